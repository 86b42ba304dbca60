package dev.gptoss4j.engine.synth;

/** Rounding float32 to the narrower number formats the files store. */
final class FloatFormats {

    private FloatFormats() {}

    /** bfloat16 bits of {@code v}, rounded to nearest even (the values here are finite). */
    static short bf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }

    /** The float a bfloat16 holds. */
    static float fromBf16(short b) {
        return Float.intBitsToFloat((b & 0xffff) << 16);
    }

    /** float16 bits of {@code v}, rounded to nearest even. */
    static short f16(float v) {
        return Float.floatToFloat16(v);
    }
}
