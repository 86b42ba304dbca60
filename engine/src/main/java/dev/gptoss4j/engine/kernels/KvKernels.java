package dev.gptoss4j.engine.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;

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

    /**
     * Widens {@code count} stored numbers at {@code at} into {@code out[off..+count)}, a vector at a time (the
     * attention kernels decode a block's rows once for every query head that reads them).
     */
    static void decodeRows(KvType type, MemorySegment seg, long at, float[] out, int off, int count) {
        if (type == KvType.F32) {
            MemorySegment.copy(seg, F32, at, out, off, count);
            return;
        }
        int i = 0;
        if (VectorKernels.ENABLED) {
            // one loop per type, each widening stored into the array: a vector returned by a method the JIT
            // does not inline (f16's is large) would be boxed, one allocation per 16 numbers
            if (type == KvType.BF16) {
                for (; i + L <= count; i += L, at += 2L * L)
                    VectorKernels.bf16(seg, at).intoArray(out, off + i);
            } else {
                for (; i + L <= count; i += L, at += 2L * L) f16(seg, at, out, off + i);
            }
        }
        for (; i < count; i++, at += type.bytes()) out[off + i] = get(type, seg, at, 0);
    }

    /** {@link #f16(MemorySegment, long)} of L numbers at {@code at}, stored at {@code out[off..+L)}. */
    private static void f16(MemorySegment seg, long at, float[] out, int off) {
        f16(seg, at).intoArray(out, off);
    }

    // the butterflies of VectorKernels.sum, applied to L accumulators at once: lanes whose bit d is set, and the swap
    private static final VectorMask<Float> HALF8 = mask(8);
    private static final VectorMask<Float> HALF4 = mask(4);
    private static final VectorMask<Float> HALF2 = mask(2);
    private static final VectorMask<Float> HALF1 = mask(1);
    private static final VectorShuffle<Float> SWAP8 = swap(8);
    private static final VectorShuffle<Float> SWAP4 = swap(4);
    private static final VectorShuffle<Float> SWAP2 = swap(2);
    private static final VectorShuffle<Float> SWAP1 = swap(1);
    /** Lane j of the transposed sums holds key bitreverse(j): this puts key j in lane j. */
    private static final VectorShuffle<Float> BITREVERSE = VectorKernels.ENABLED
            ? VectorShuffle.fromOp(
                    VectorKernels.FS, j -> Integer.reverse(j) >>> (32 - Integer.numberOfTrailingZeros(L)))
            : null;

    private static VectorMask<Float> mask(int d) {
        if (!VectorKernels.ENABLED || d >= L) return null;
        boolean[] bits = new boolean[L];
        for (int j = 0; j < L; j++) bits[j] = (j & d) != 0;
        return VectorMask.fromArray(VectorKernels.FS, bits, 0);
    }

    private static VectorShuffle<Float> swap(int d) {
        return VectorKernels.ENABLED && d < L ? VectorShuffle.fromOp(VectorKernels.FS, j -> j ^ d) : null;
    }

    // One butterfly step for two vectors x, y at once: x.blend(y, HALFd).add(y.blend(x, HALFd).rearrange(SWAPd))
    // holds x[j] + x[j^d] where bit d of lane j is clear and y[j] + y[j^d] where it is set: the sums
    // VectorKernels.sum forms, in half the lanes. Written out in place rather than as a method: the JIT's node
    // budget for inlining ordinary methods runs out in sums16, and a vector handed to a method not inlined is boxed.

    /**
     * {@code out[outOff + k] = scale * (q[qOff..+n) . rows[k n..+n))} for the {@code count} rows: the products of
     * {@link #dot} (one accumulator per row, FMAs in order) and its butterfly lane sum, bit for bit, but L rows'
     * sums are formed together, a butterfly step serving two rows' accumulators per vector addition instead of one.
     */
    static void scores(float[] q, int qOff, float[] rows, int count, int n, float scale, float[] out, int outOff) {
        int k = 0;
        if (vector(n)) {
            var fs = VectorKernels.FS;
            for (; k + L <= count; k += L) {
                switch (L) {
                    case 16 -> sums16(q, qOff, rows, k * n, n, scale, out, outOff + k);
                    case 8 -> sums8(q, qOff, rows, k * n, n, scale, out, outOff + k);
                    default -> sums4(q, qOff, rows, k * n, n, scale, out, outOff + k);
                }
            }
            for (; k < count; k++) {
                FloatVector a = FloatVector.zero(fs);
                int row = k * n;
                for (int i = 0; i < n; i += L) {
                    a = FloatVector.fromArray(fs, q, qOff + i).fma(FloatVector.fromArray(fs, rows, row + i), a);
                }
                out[outOff + k] = VectorKernels.sum(a) * scale;
            }
            return;
        }
        for (; k < count; k++) {
            float dot = 0f;
            for (int i = 0; i < n; i++) dot += q[qOff + i] * rows[k * n + i];
            out[outOff + k] = dot * scale;
        }
    }

    // Rows r.. of n numbers: L rows' accumulators side by side ({@link #dot}'s FMAs in order for each), then the
    // butterfly steps pairing them, all in one method that stores its result: no vector leaves a method (one that
    // is not inlined would box it).

    /** Rows 0..3's scaled sums into {@code out[outOff..+4)} (4 lanes: butterfly steps 2, then 1). */
    private static void sums4(float[] q, int qOff, float[] rows, int r, int n, float scale, float[] out, int outOff) {
        var fs = VectorKernels.FS;
        FloatVector a0 = FloatVector.zero(fs), a1 = a0, a2 = a0, a3 = a0;
        for (int i = 0; i < n; i += L) {
            FloatVector qv = FloatVector.fromArray(fs, q, qOff + i);
            a0 = qv.fma(FloatVector.fromArray(fs, rows, r + 0 * n + i), a0);
            a1 = qv.fma(FloatVector.fromArray(fs, rows, r + 1 * n + i), a1);
            a2 = qv.fma(FloatVector.fromArray(fs, rows, r + 2 * n + i), a2);
            a3 = qv.fma(FloatVector.fromArray(fs, rows, r + 3 * n + i), a3);
        }
        FloatVector m0 = a0.blend(a1, HALF2).add(a1.blend(a0, HALF2).rearrange(SWAP2));
        FloatVector m1 = a2.blend(a3, HALF2).add(a3.blend(a2, HALF2).rearrange(SWAP2));
        FloatVector m2 = m0.blend(m1, HALF1).add(m1.blend(m0, HALF1).rearrange(SWAP1));
        m2.rearrange(BITREVERSE).mul(scale).intoArray(out, outOff);
    }

    /** Rows 0..7's scaled sums into {@code out[outOff..+8)} (8 lanes: butterfly steps 4, 2, 1). */
    private static void sums8(float[] q, int qOff, float[] rows, int r, int n, float scale, float[] out, int outOff) {
        var fs = VectorKernels.FS;
        FloatVector a0 = FloatVector.zero(fs), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (int i = 0; i < n; i += L) {
            FloatVector qv = FloatVector.fromArray(fs, q, qOff + i);
            a0 = qv.fma(FloatVector.fromArray(fs, rows, r + 0 * n + i), a0);
            a1 = qv.fma(FloatVector.fromArray(fs, rows, r + 1 * n + i), a1);
            a2 = qv.fma(FloatVector.fromArray(fs, rows, r + 2 * n + i), a2);
            a3 = qv.fma(FloatVector.fromArray(fs, rows, r + 3 * n + i), a3);
            a4 = qv.fma(FloatVector.fromArray(fs, rows, r + 4 * n + i), a4);
            a5 = qv.fma(FloatVector.fromArray(fs, rows, r + 5 * n + i), a5);
            a6 = qv.fma(FloatVector.fromArray(fs, rows, r + 6 * n + i), a6);
            a7 = qv.fma(FloatVector.fromArray(fs, rows, r + 7 * n + i), a7);
        }
        FloatVector m0 = a0.blend(a1, HALF4).add(a1.blend(a0, HALF4).rearrange(SWAP4));
        FloatVector m1 = a2.blend(a3, HALF4).add(a3.blend(a2, HALF4).rearrange(SWAP4));
        FloatVector m2 = a4.blend(a5, HALF4).add(a5.blend(a4, HALF4).rearrange(SWAP4));
        FloatVector m3 = a6.blend(a7, HALF4).add(a7.blend(a6, HALF4).rearrange(SWAP4));
        FloatVector m4 = m0.blend(m1, HALF2).add(m1.blend(m0, HALF2).rearrange(SWAP2));
        FloatVector m5 = m2.blend(m3, HALF2).add(m3.blend(m2, HALF2).rearrange(SWAP2));
        FloatVector m6 = m4.blend(m5, HALF1).add(m5.blend(m4, HALF1).rearrange(SWAP1));
        m6.rearrange(BITREVERSE).mul(scale).intoArray(out, outOff);
    }

    /** Rows 0..15's scaled sums into {@code out[outOff..+16)} (16 lanes: butterfly steps 8, 4, 2, 1). */
    private static void sums16(float[] q, int qOff, float[] rows, int r, int n, float scale, float[] out, int outOff) {
        var fs = VectorKernels.FS;
        FloatVector a0 = FloatVector.zero(fs),
                a1 = a0,
                a2 = a0,
                a3 = a0,
                a4 = a0,
                a5 = a0,
                a6 = a0,
                a7 = a0,
                a8 = a0,
                a9 = a0,
                a10 = a0,
                a11 = a0,
                a12 = a0,
                a13 = a0,
                a14 = a0,
                a15 = a0;
        for (int i = 0; i < n; i += L) {
            FloatVector qv = FloatVector.fromArray(fs, q, qOff + i);
            a0 = qv.fma(FloatVector.fromArray(fs, rows, r + 0 * n + i), a0);
            a1 = qv.fma(FloatVector.fromArray(fs, rows, r + 1 * n + i), a1);
            a2 = qv.fma(FloatVector.fromArray(fs, rows, r + 2 * n + i), a2);
            a3 = qv.fma(FloatVector.fromArray(fs, rows, r + 3 * n + i), a3);
            a4 = qv.fma(FloatVector.fromArray(fs, rows, r + 4 * n + i), a4);
            a5 = qv.fma(FloatVector.fromArray(fs, rows, r + 5 * n + i), a5);
            a6 = qv.fma(FloatVector.fromArray(fs, rows, r + 6 * n + i), a6);
            a7 = qv.fma(FloatVector.fromArray(fs, rows, r + 7 * n + i), a7);
            a8 = qv.fma(FloatVector.fromArray(fs, rows, r + 8 * n + i), a8);
            a9 = qv.fma(FloatVector.fromArray(fs, rows, r + 9 * n + i), a9);
            a10 = qv.fma(FloatVector.fromArray(fs, rows, r + 10 * n + i), a10);
            a11 = qv.fma(FloatVector.fromArray(fs, rows, r + 11 * n + i), a11);
            a12 = qv.fma(FloatVector.fromArray(fs, rows, r + 12 * n + i), a12);
            a13 = qv.fma(FloatVector.fromArray(fs, rows, r + 13 * n + i), a13);
            a14 = qv.fma(FloatVector.fromArray(fs, rows, r + 14 * n + i), a14);
            a15 = qv.fma(FloatVector.fromArray(fs, rows, r + 15 * n + i), a15);
        }
        FloatVector m0 = a0.blend(a1, HALF8).add(a1.blend(a0, HALF8).rearrange(SWAP8));
        FloatVector m1 = a2.blend(a3, HALF8).add(a3.blend(a2, HALF8).rearrange(SWAP8));
        FloatVector m2 = a4.blend(a5, HALF8).add(a5.blend(a4, HALF8).rearrange(SWAP8));
        FloatVector m3 = a6.blend(a7, HALF8).add(a7.blend(a6, HALF8).rearrange(SWAP8));
        FloatVector m4 = a8.blend(a9, HALF8).add(a9.blend(a8, HALF8).rearrange(SWAP8));
        FloatVector m5 = a10.blend(a11, HALF8).add(a11.blend(a10, HALF8).rearrange(SWAP8));
        FloatVector m6 = a12.blend(a13, HALF8).add(a13.blend(a12, HALF8).rearrange(SWAP8));
        FloatVector m7 = a14.blend(a15, HALF8).add(a15.blend(a14, HALF8).rearrange(SWAP8));
        FloatVector m8 = m0.blend(m1, HALF4).add(m1.blend(m0, HALF4).rearrange(SWAP4));
        FloatVector m9 = m2.blend(m3, HALF4).add(m3.blend(m2, HALF4).rearrange(SWAP4));
        FloatVector m10 = m4.blend(m5, HALF4).add(m5.blend(m4, HALF4).rearrange(SWAP4));
        FloatVector m11 = m6.blend(m7, HALF4).add(m7.blend(m6, HALF4).rearrange(SWAP4));
        FloatVector m12 = m8.blend(m9, HALF2).add(m9.blend(m8, HALF2).rearrange(SWAP2));
        FloatVector m13 = m10.blend(m11, HALF2).add(m11.blend(m10, HALF2).rearrange(SWAP2));
        FloatVector m14 = m12.blend(m13, HALF1).add(m13.blend(m12, HALF1).rearrange(SWAP1));
        m14.rearrange(BITREVERSE).mul(scale).intoArray(out, outOff);
    }

    /**
     * {@code out[oOff..+n) += w[wOff + k] * rows[k n..+n)} for k = 0..count-1 in order: {@link #addScaled}'s
     * arithmetic row after row, each slice of the output kept in a register across the rows.
     */
    static void accumulate(float[] w, int wOff, float[] rows, int count, int n, float[] out, int oOff) {
        if (vector(n)) {
            var fs = VectorKernels.FS;
            int i = 0;
            // four slices at once: four independent FMA chains instead of one waiting on the last FMA's latency
            for (; i + 4 * L <= n; i += 4 * L) {
                FloatVector a0 = FloatVector.fromArray(fs, out, oOff + i);
                FloatVector a1 = FloatVector.fromArray(fs, out, oOff + i + L);
                FloatVector a2 = FloatVector.fromArray(fs, out, oOff + i + 2 * L);
                FloatVector a3 = FloatVector.fromArray(fs, out, oOff + i + 3 * L);
                for (int k = 0, r = i; k < count; k++, r += n) {
                    FloatVector wv = FloatVector.broadcast(fs, w[wOff + k]);
                    a0 = FloatVector.fromArray(fs, rows, r).fma(wv, a0);
                    a1 = FloatVector.fromArray(fs, rows, r + L).fma(wv, a1);
                    a2 = FloatVector.fromArray(fs, rows, r + 2 * L).fma(wv, a2);
                    a3 = FloatVector.fromArray(fs, rows, r + 3 * L).fma(wv, a3);
                }
                a0.intoArray(out, oOff + i);
                a1.intoArray(out, oOff + i + L);
                a2.intoArray(out, oOff + i + 2 * L);
                a3.intoArray(out, oOff + i + 3 * L);
            }
            for (; i < n; i += L) {
                FloatVector acc = FloatVector.fromArray(fs, out, oOff + i);
                for (int k = 0; k < count; k++) {
                    acc = FloatVector.fromArray(fs, rows, k * n + i).fma(FloatVector.broadcast(fs, w[wOff + k]), acc);
                }
                acc.intoArray(out, oOff + i);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            float acc = out[oOff + i];
            for (int k = 0; k < count; k++) acc += w[wOff + k] * rows[k * n + i];
            out[oOff + i] = acc;
        }
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
