package dev.gptoss4j.engine.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Attention's reads and writes of the key/value cache in each {@link KvType}. Reads widen the stored numbers
 * exactly to float32 and then run the same arithmetic as {@link VectorKernels#dot} and
 * {@link VectorKernels#addScaled} (one accumulator vector, FMAs in order, the fixed lane sum), so a float32 cache
 * gives bit for bit the numbers of an on-heap float array. Writes round to nearest-even.
 */
final class KvKernels {

    private KvKernels() {}

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final ValueLayout.OfFloat F32 = ScalarKernels.F32;
    static final ValueLayout.OfShort I16 = ScalarKernels.I16;
    private static final int L = VectorKernels.L;

    /** Whether the vector kernels handle rows of {@code n} numbers (else the scalar loops do). */
    static boolean vector(int n) {
        return VectorKernels.ENABLED && n % L == 0;
    }

    static void encode(KvType type, float[] src, int off, MemorySegment seg, long at, int n) {
        switch (type) {
            case F32 -> MemorySegment.copy(src, off, seg, F32, at, n);
            case BF16 -> {
                for (int i = 0; i < n; i++) seg.set(I16, at + 2L * i, toBf16(src[off + i]));
            }
            case F16 -> {
                for (int i = 0; i < n; i++) seg.set(I16, at + 2L * i, Float.floatToFloat16(src[off + i]));
            }
        }
    }

    static void decode(KvType type, MemorySegment seg, long at, float[] out, int off, int n) {
        switch (type) {
            case F32 -> MemorySegment.copy(seg, F32, at, out, off, n);
            case BF16 -> {
                for (int i = 0; i < n; i++) out[off + i] = Fp.bf16ToFloat(seg.get(I16, at + 2L * i));
            }
            case F16 -> {
                for (int i = 0; i < n; i++) out[off + i] = Fp.f16ToFloat(seg.get(I16, at + 2L * i));
            }
        }
    }

    /** float32 to bfloat16, rounding to nearest-even (NaN stays NaN). */
    static short toBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7FFFFFFF) > 0x7F800000) return (short) ((bits >>> 16) | 0x40);
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    /** The scalar widening of one stored number. */
    private static float get(KvType type, MemorySegment seg, long at, int i) {
        return switch (type) {
            case F32 -> seg.get(F32, at + 4L * i);
            case BF16 -> Fp.bf16ToFloat(seg.get(I16, at + 2L * i));
            case F16 -> Fp.f16ToFloat(seg.get(I16, at + 2L * i));
        };
    }

    private static FloatVector load(KvType type, MemorySegment seg, long at) {
        return switch (type) {
            case F32 -> VectorKernels.f32(seg, at);
            case BF16 -> VectorKernels.bf16(seg, at);
            case F16 -> f16(seg, at);
        };
    }

    private static final FloatVector HALF_SCALE =
            VectorKernels.ENABLED ? FloatVector.broadcast(VectorKernels.FS, 0x1p112f) : null;

    /**
     * IEEE half to float32, exactly: the half's exponent and fraction shifted into float32's fields give the value
     * times 2^-112 (subnormals included), so one multiplication by 2^112 is exact; infinities and NaNs are moved
     * to float32's top exponent instead.
     */
    static FloatVector f16(MemorySegment seg, long at) {
        ShortVector raw = ShortVector.fromMemorySegment(VectorKernels.SS, seg, at, LE);
        IntVector bits = (IntVector) raw.convertShape(VectorOperators.S2I, VectorKernels.IS, 0);
        IntVector magnitude = bits.and(0x7FFF);
        IntVector sign = bits.and(0x8000).lanewise(VectorOperators.LSHL, 16);
        FloatVector finite = magnitude
                .lanewise(VectorOperators.LSHL, 13)
                .reinterpretAsFloats()
                .mul(HALF_SCALE);
        VectorMask<Integer> special = magnitude.compare(VectorOperators.GE, 0x7C00);
        IntVector result = finite.reinterpretAsInts();
        if (special.anyTrue()) {
            result = result.blend(magnitude.lanewise(VectorOperators.LSHL, 13).or(0x7F800000), special);
        }
        return result.or(sign).reinterpretAsFloats();
    }

    /** {@code q[qOff..+n) . row}, the row stored at {@code at}. */
    static float dot(KvType type, float[] q, int qOff, MemorySegment seg, long at, int n) {
        if (!vector(n)) {
            float dot = 0f;
            for (int i = 0; i < n; i++) dot += q[qOff + i] * get(type, seg, at, i);
            return dot;
        }
        FloatVector a = FloatVector.zero(VectorKernels.FS);
        long step = (long) L * type.bytes();
        for (int i = 0; i < n; i += L, at += step) {
            a = FloatVector.fromArray(VectorKernels.FS, q, qOff + i).fma(load(type, seg, at), a);
        }
        return VectorKernels.sum(a);
    }

    /** {@code out[oOff..+n) += w * row}, the row stored at {@code at}. */
    static void addScaled(KvType type, float[] out, int oOff, MemorySegment seg, long at, float w, int n) {
        if (!vector(n)) {
            for (int i = 0; i < n; i++) out[oOff + i] += w * get(type, seg, at, i);
            return;
        }
        FloatVector wv = FloatVector.broadcast(VectorKernels.FS, w);
        long step = (long) L * type.bytes();
        for (int i = 0; i < n; i += L, at += step) {
            load(type, seg, at)
                    .fma(wv, FloatVector.fromArray(VectorKernels.FS, out, oOff + i))
                    .intoArray(out, oOff + i);
        }
    }
}
