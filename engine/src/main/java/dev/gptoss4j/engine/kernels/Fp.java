package dev.gptoss4j.engine.kernels;

/** Conversions of the small float encodings found in model files to float32. */
public final class Fp {

    private Fp() {}

    /** The 16 E2M1 (FP4) values by nibble, as the MX specification and the reference define them. */
    static final float[] FP4 = {
        +0.0f, +0.5f, +1.0f, +1.5f, +2.0f, +3.0f, +4.0f, +6.0f, -0.0f, -0.5f, -1.0f, -1.5f, -2.0f, -3.0f, -4.0f, -6.0f
    };

    /** The 8 E2M1 magnitudes (nibble & 7); bit 3 of the nibble is the sign. */
    static final float[] FP4_MAGNITUDES = {0.0f, 0.5f, 1.0f, 1.5f, 2.0f, 3.0f, 4.0f, 6.0f};

    /** E8M0 scale byte e means 2^(e-127) (the reference subtracts 127 and uses ldexp). */
    static final float[] E8M0 = new float[256];

    static {
        for (int e = 0; e < 256; e++) E8M0[e] = Math.scalb(1.0f, e - 127);
    }

    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    public static float f16ToFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    public static float fp4ToFloat(int nibble) {
        return FP4[nibble & 0xF];
    }

    public static float e8m0ToFloat(byte e) {
        return E8M0[e & 0xFF];
    }
}
