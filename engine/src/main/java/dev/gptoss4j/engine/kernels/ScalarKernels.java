package dev.gptoss4j.engine.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Plain-Java dot products and row decoders, one per weight encoding; float32 accumulation in index order. */
final class ScalarKernels {

    private ScalarKernels() {}

    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static float dotF32(MemorySegment w, long base, float[] x, int n) {
        float sum = 0f;
        for (int i = 0; i < n; i++) sum += w.get(F32, base + 4L * i) * x[i];
        return sum;
    }

    static float dotBf16(MemorySegment w, long base, float[] x, int n) {
        float sum = 0f;
        for (int i = 0; i < n; i++) sum += Fp.bf16ToFloat(w.get(I16, base + 2L * i)) * x[i];
        return sum;
    }

    static float dotF16(MemorySegment w, long base, float[] x, int n) {
        float sum = 0f;
        for (int i = 0; i < n; i++) sum += Fp.f16ToFloat(w.get(I16, base + 2L * i)) * x[i];
        return sum;
    }

    static float dotQ8_0(MemorySegment w, long base, float[] x, int n) {
        float sum = 0f;
        for (int b = 0; b < n / 32; b++) {
            long block = base + 34L * b;
            float d = Fp.f16ToFloat(w.get(I16, block));
            float s = 0f;
            for (int j = 0; j < 32; j++) s += w.get(ValueLayout.JAVA_BYTE, block + 2 + j) * x[b * 32 + j];
            sum += s * d;
        }
        return sum;
    }

    /** ggml block: scale byte, then value j in the low nibble of byte j and value j+16 in its high nibble. */
    static float dotMxfp4(MemorySegment w, long base, float[] x, int n) {
        float sum = 0f;
        for (int b = 0; b < n / 32; b++) {
            long block = base + 17L * b;
            float scale = Fp.E8M0[w.get(ValueLayout.JAVA_BYTE, block) & 0xFF];
            int xi = b * 32;
            float s = 0f;
            for (int j = 0; j < 16; j++) {
                int q = w.get(ValueLayout.JAVA_BYTE, block + 1 + j);
                s += Fp.FP4[q & 0xF] * x[xi + j] + Fp.FP4[(q >> 4) & 0xF] * x[xi + 16 + j];
            }
            sum += s * scale;
        }
        return sum;
    }

    /** Safetensors blocks: value 2k in the low nibble of byte k, value 2k+1 in its high nibble; scales apart. */
    static float dotMxfp4Split(MemorySegment w, long base, MemorySegment scales, long scaleBase, float[] x, int n) {
        float sum = 0f;
        for (int b = 0; b < n / 32; b++) {
            long block = base + 16L * b;
            float scale = Fp.E8M0[scales.get(ValueLayout.JAVA_BYTE, scaleBase + b) & 0xFF];
            int xi = b * 32;
            float s = 0f;
            for (int k = 0; k < 16; k++) {
                int q = w.get(ValueLayout.JAVA_BYTE, block + k);
                s += Fp.FP4[q & 0xF] * x[xi + 2 * k] + Fp.FP4[(q >> 4) & 0xF] * x[xi + 2 * k + 1];
            }
            sum += s * scale;
        }
        return sum;
    }

    static void rowF32(MemorySegment w, long base, float[] out, int o, int n) {
        for (int i = 0; i < n; i++) out[o + i] = w.get(F32, base + 4L * i);
    }

    static void rowBf16(MemorySegment w, long base, float[] out, int o, int n) {
        for (int i = 0; i < n; i++) out[o + i] = Fp.bf16ToFloat(w.get(I16, base + 2L * i));
    }

    static void rowF16(MemorySegment w, long base, float[] out, int o, int n) {
        for (int i = 0; i < n; i++) out[o + i] = Fp.f16ToFloat(w.get(I16, base + 2L * i));
    }

    static void rowQ8_0(MemorySegment w, long base, float[] out, int o, int n) {
        for (int b = 0; b < n / 32; b++) {
            long block = base + 34L * b;
            float d = Fp.f16ToFloat(w.get(I16, block));
            for (int j = 0; j < 32; j++) out[o + b * 32 + j] = w.get(ValueLayout.JAVA_BYTE, block + 2 + j) * d;
        }
    }

    static void rowMxfp4(MemorySegment w, long base, float[] out, int o, int n) {
        for (int b = 0; b < n / 32; b++) {
            long block = base + 17L * b;
            float scale = Fp.E8M0[w.get(ValueLayout.JAVA_BYTE, block) & 0xFF];
            for (int j = 0; j < 16; j++) {
                int q = w.get(ValueLayout.JAVA_BYTE, block + 1 + j);
                out[o + b * 32 + j] = Fp.FP4[q & 0xF] * scale;
                out[o + b * 32 + 16 + j] = Fp.FP4[(q >> 4) & 0xF] * scale;
            }
        }
    }

    static void rowMxfp4Split(
            MemorySegment w, long base, MemorySegment scales, long scaleBase, float[] out, int o, int n) {
        for (int b = 0; b < n / 32; b++) {
            long block = base + 16L * b;
            float scale = Fp.E8M0[scales.get(ValueLayout.JAVA_BYTE, scaleBase + b) & 0xFF];
            for (int k = 0; k < 16; k++) {
                int q = w.get(ValueLayout.JAVA_BYTE, block + k);
                out[o + b * 32 + 2 * k] = Fp.FP4[q & 0xF] * scale;
                out[o + b * 32 + 2 * k + 1] = Fp.FP4[(q >> 4) & 0xF] * scale;
            }
        }
    }

    /** The split layout decoded in kernel order: per block the 16 even values (low nibbles), then the 16 odd ones. */
    static void rowMxfp4SplitKernelOrder(
            MemorySegment w, long base, MemorySegment scales, long scaleBase, float[] out, int o, int n) {
        for (int b = 0; b < n / 32; b++) {
            long block = base + 16L * b;
            float scale = Fp.E8M0[scales.get(ValueLayout.JAVA_BYTE, scaleBase + b) & 0xFF];
            for (int k = 0; k < 16; k++) {
                int q = w.get(ValueLayout.JAVA_BYTE, block + k);
                out[o + b * 32 + k] = Fp.FP4[q & 0xF] * scale;
                out[o + b * 32 + 16 + k] = Fp.FP4[(q >> 4) & 0xF] * scale;
            }
        }
    }

    /** The scalar canonical dot product on decoded floats: {@code s += w[i] * x[i]} in index order. */
    static float dot(float[] w, int wOff, float[] x, int xOff, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) s += w[wOff + i] * x[xOff + i];
        return s;
    }
}
