package dev.gptoss4j.engine.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API matrix kernels, float32 lanes and accumulation, at the width {@link KernelChoice} picks once:
 * 512, 256 or 128 bits (16, 8 or 4 lanes).
 *
 * <p>Every kernel computes one output element with the same arithmetic, the <em>canonical dot product</em>:
 * one accumulator vector {@code acc = fma(w[v], x[v], acc)} over the full vectors {@code v} in order, then a
 * fixed tree sum of the lanes ({@link #sum}), then {@code s += w[i] * x[i]} over the tail. The weights are
 * decoded exactly to float32 first (bf16, f16, the MXFP4 value times its power-of-two scale and the Q8_0 product
 * are all exact), so the fused matrix-vector kernels that decode on the fly and the matrix-matrix kernels that
 * decode a tile of rows once and reuse it across tokens give bit-identical results. That is what lets prefill
 * and the speculative verifier run batched and still produce exactly the tokens single-token decoding would.
 * The bits depend on the width (the lanes partition the sum differently), never on the batch or thread count.
 * {@code reduceLanes} is avoided on purpose: its lane order is unspecified and differs between the interpreter
 * and compiled code.
 *
 * <p>Blocks of 32 values (MXFP4, Q8_0) decode to {@link #PER_BLOCK} vectors in natural column order at every
 * width. MXFP4 looks its nibbles up in a table of the 16 E2M1 values already multiplied by the block's scale: one
 * {@code selectFrom} where the table fills a vector (16 lanes); below that, the 8 magnitudes (one vector of 8,
 * or a two-vector {@code selectFrom} of 4 + 4) with the sign bit moved in from the nibble.
 */
final class VectorKernels {

    private VectorKernels() {}

    static final int BITS = KernelChoice.BITS;
    static final boolean ENABLED = BITS != 0;
    static final VectorSpecies<Float> FS =
            BITS == 512 ? FloatVector.SPECIES_512 : BITS == 256 ? FloatVector.SPECIES_256 : FloatVector.SPECIES_128;
    static final int L = FS.length();
    static final VectorSpecies<Integer> IS = VectorSpecies.of(int.class, FS.vectorShape());
    static final VectorSpecies<Short> SS =
            VectorSpecies.of(short.class, VectorShape.forBitSize(Math.max(64, FS.vectorBitSize() / 2)));
    static final VectorSpecies<Byte> B64 = ByteVector.SPECIES_64;
    static final VectorSpecies<Byte> B128 = ByteVector.SPECIES_128;
    /** Vectors per 32-value block, and the byte groups of L bytes in a 16-byte MXFP4 block. */
    static final int PER_BLOCK = 32 / L;

    private static final int PARTS = 16 / L;
    /**
     * At 4 lanes an MXFP4 block decodes in a permuted order (see {@link #fp4x4}), so {@link Matrix} permutes the
     * input to match: 128-bit vectors have no byte-to-int conversion the JIT compiles, so lane {@code k} of a
     * vector takes byte {@code 4k + p} of the block by shifts of int lanes.
     */
    static final boolean MXFP4_PERMUTED = ENABLED && L == 4;
    /**
     * Few-token bf16 products stream the rows ({@link #matvecBf16x4}, {@link #matvecBf16x2}, {@link #matvecBf16x8})
     * at 512 and 256 bits. At 128 the JIT's code for them ran ten times slower than decode-then-tile (0.5 against 5
     * GB/s, {@code -XX:MaxVectorSize=16}), so that width keeps the decoded path.
     */
    static final boolean FEW_TOKENS_FUSED = ENABLED && L >= 8;

    /** Twice the 16 E2M1 values, as bytes: the 128-bit lookup table (one byte shuffle a half-block). */
    private static final ByteVector FP4_TWICE =
            ByteVector.fromArray(B128, new byte[] {0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12}, 0);

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** Decoded rows {@link #gemm} takes at once: four 4-row register tiles share each token's inputs in L1. */
    static final int TILE_ROWS = 16;
    /** Tokens per register tile: 4 rows by 4 tokens needs 16 accumulators + 5, more than AVX2's 16 registers. */
    static final int TILE_TOKENS = KernelChoice.TILE_TOKENS;
    /** Scratch floats {@link #gemm} needs: an accumulator vector per row for each of up to 64 tokens. */
    static final int ACCUMULATORS = 64 * TILE_ROWS * L;

    // E2M1 lookup table: all 16 values (16 lanes) or the 8 magnitudes (8 lanes; 4 lanes use FP4_TWICE)
    private static final FloatVector FP4_A = FloatVector.fromArray(FS, L == 16 ? Fp.FP4 : Fp.FP4_MAGNITUDES, 0);

    // lane i <-> lane i ^ step: the butterflies of the fixed summation tree
    private static final VectorShuffle<Float> SWAP8 = L >= 16 ? VectorShuffle.fromOp(FS, i -> i ^ 8) : null;
    private static final VectorShuffle<Float> SWAP4 = L >= 8 ? VectorShuffle.fromOp(FS, i -> i ^ 4) : null;
    private static final VectorShuffle<Float> SWAP2 = VectorShuffle.fromOp(FS, i -> i ^ 2);
    private static final VectorShuffle<Float> SWAP1 = VectorShuffle.fromOp(FS, i -> i ^ 1);

    /** The lanes' sum in a fixed butterfly order (the same in every execution mode). */
    static float sum(FloatVector v) {
        if (L >= 16) v = v.add(v.rearrange(SWAP8));
        if (L >= 8) v = v.add(v.rearrange(SWAP4));
        v = v.add(v.rearrange(SWAP2));
        return v.add(v.rearrange(SWAP1)).lane(0);
    }

    // ---- decoding exactly to float32 ----

    static FloatVector bf16(MemorySegment w, long at) {
        return halves(w, at).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /** L little-endian 16-bit values as int lanes (sign-extended). */
    private static IntVector halves(MemorySegment w, long at) {
        return (IntVector) ShortVector.fromMemorySegment(SS, w, at, LE).convertShape(VectorOperators.S2I, IS, 0);
    }

    /**
     * IEEE half precision, exactly: normal values rebias the exponent (+112), subnormals are their 10-bit
     * integer mantissa times 2^-24 (no subnormal float32 operand, which some CPUs handle in microcode), and
     * infinities and NaNs keep an all-ones exponent.
     */
    static FloatVector f16(MemorySegment w, long at) {
        IntVector h = halves(w, at);
        IntVector exponent = h.and(0x7C00);
        IntVector normal = h.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).add(112 << 23);
        normal = normal.blend(normal.add(112 << 23), exponent.compare(VectorOperators.EQ, 0x7C00));
        IntVector subnormal = ((FloatVector) h.and(0x3FF).convert(VectorOperators.I2F, 0))
                .mul(0x1p-24f)
                .reinterpretAsInts();
        return normal.blend(subnormal, exponent.compare(VectorOperators.EQ, 0))
                .or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16))
                .reinterpretAsFloats();
    }

    static FloatVector f32(MemorySegment w, long at) {
        return FloatVector.fromMemorySegment(FS, w, at, LE);
    }

    /** The E2M1 table times a block's scale, as int bits for {@code selectFrom}. */
    private static IntVector tableA(float scale) {
        return FP4_A.mul(scale).reinterpretAsInts();
    }

    /** Bytes {@code [at + L part, +L)} as int lanes (sign-extended; the nibble masks make that harmless). */
    private static IntVector bytes(MemorySegment w, long at, int part) {
        if (L == 16)
            return (IntVector) ByteVector.fromMemorySegment(B128, w, at, LE).convertShape(VectorOperators.B2I, IS, 0);
        if (L == 8) {
            return (IntVector)
                    ByteVector.fromMemorySegment(B64, w, at + 8L * part, LE).convertShape(VectorOperators.B2I, IS, 0);
        }
        return (IntVector) ByteVector.fromMemorySegment(B64, w, at + 8L * (part >> 1), LE)
                .convertShape(VectorOperators.B2I, IS, part & 1);
    }

    /**
     * Vector {@code k} (0 .. {@link #PER_BLOCK}-1) of an MXFP4 block whose 16 nibble bytes were read once as int
     * lanes: {@code q0} = {@link #bytes} part 0, {@code q1} = part 1 (8 lanes; 16 lanes need only part 0). The low
     * nibbles of the bytes in order, then the high nibbles (values 0..15, 16..31 for ggml; for the split layout the
     * even values then the odd ones, matching the permuted input).
     */
    private static FloatVector fp4(IntVector q0, IntVector q1, int k, IntVector ta) {
        IntVector q = (k & (PARTS - 1)) == 0 ? q0 : q1;
        int shift = k < PARTS ? 0 : 4;
        IntVector nibble = shift == 0 ? q : q.lanewise(VectorOperators.LSHR, shift);
        if (L == 16) return nibble.and(15).selectFrom(ta).reinterpretAsFloats();
        IntVector magnitude = nibble.and(7).selectFrom(ta);
        return magnitude
                .or(q.lanewise(VectorOperators.LSHL, 28 - shift).and(Integer.MIN_VALUE))
                .reinterpretAsFloats();
    }

    /** Part 1 of a block's bytes where a block spans two byte groups (8 lanes), else {@code q0} again. */
    private static IntVector secondPart(MemorySegment w, long qs, IntVector q0) {
        return PARTS > 1 ? bytes(w, qs, 1) : q0;
    }

    /** Twice the E2M1 values of the low ({@code high = false}) or high nibbles of a block's 16 bytes, as int lanes. */
    private static IntVector twice4(ByteVector q, boolean high) {
        ByteVector nibble = high ? q.lanewise(VectorOperators.LSHR, 4).and((byte) 15) : q.and((byte) 15);
        return nibble.selectFrom(FP4_TWICE).reinterpretAsInts();
    }

    /**
     * 4 lanes: byte {@code p} of each int lane of {@link #twice4} (lane k holds bytes 4k..4k+3), sign-extended,
     * times half the block's scale: exactly the E2M1 value times the scale. Vector {@code 4h + p} of a block thus
     * holds the nibbles {@code h} of bytes {@code p, 4 + p, 8 + p, 12 + p}.
     */
    private static FloatVector fp4x4(IntVector twice, int p, float halfScale) {
        IntVector b = p == 3 ? twice : twice.lanewise(VectorOperators.LSHL, 24 - 8 * p);
        return ((FloatVector) b.lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0)).mul(halfScale);
    }

    /** Vector {@code k} of a Q8_0 block (float16 scale {@code d}, then 32 signed bytes at {@code qs}). */
    private static FloatVector q8(MemorySegment w, long qs, int k, float d) {
        FloatVector v = L == 4
                ? (FloatVector) ByteVector.fromMemorySegment(B64, w, qs + 8L * (k >> 1), LE)
                        .convertShape(VectorOperators.B2F, FS, k & 1)
                : (FloatVector) ByteVector.fromMemorySegment(L == 16 ? B128 : B64, w, qs + (long) L * k, LE)
                        .convertShape(VectorOperators.B2F, FS, 0);
        return v.mul(d);
    }

    /**
     * Decodes MXFP4 rows in kernel order into {@code out}: per block the 16 low-nibble values, then the 16
     * high-nibble ones (for the ggml layout that is the natural order; for the split layout the even values
     * then the odd ones, matching the permuted input).
     */
    static void decodeMxfp4(
            MemorySegment w,
            long base,
            long blockStride,
            long qsOffset,
            MemorySegment scales,
            long scaleBase,
            long scaleStride,
            int blocks,
            float[] out,
            int outOff) {
        for (int b = 0; b < blocks; b++) {
            long qs = base + blockStride * b + qsOffset;
            float scale = Fp.E8M0[scales.get(ValueLayout.JAVA_BYTE, scaleBase + scaleStride * b) & 0xFF];
            int o = outOff + 32 * b;
            if (L == 4) {
                ByteVector q = ByteVector.fromMemorySegment(B128, w, qs, LE);
                IntVector lo = twice4(q, false), hi = twice4(q, true);
                float half = 0.5f * scale;
                for (int p = 0; p < 4; p++) {
                    fp4x4(lo, p, half).intoArray(out, o + 4 * p);
                    fp4x4(hi, p, half).intoArray(out, o + 16 + 4 * p);
                }
                continue;
            }
            IntVector ta = tableA(scale);
            IntVector q0 = bytes(w, qs, 0), q1 = secondPart(w, qs, q0);
            for (int k = 0; k < PER_BLOCK; k++) fp4(q0, q1, k, ta).intoArray(out, o + L * k);
        }
    }

    static void decodeQ8_0(MemorySegment w, long base, int blocks, float[] out, int outOff) {
        for (int b = 0; b < blocks; b++) {
            long block = base + 34L * b;
            float d = Fp.f16ToFloat(w.get(ScalarKernels.I16, block));
            for (int k = 0; k < PER_BLOCK; k++) q8(w, block + 2, k, d).intoArray(out, outOff + 32 * b + L * k);
        }
    }

    static void decodeBf16(MemorySegment w, long base, int n, float[] out, int outOff) {
        int bound = FS.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) bf16(w, base + 2L * i).intoArray(out, outOff + i);
        for (; i < n; i++) out[outOff + i] = Fp.bf16ToFloat(w.get(ScalarKernels.I16, base + 2L * i));
    }

    static void decodeF16(MemorySegment w, long base, int n, float[] out, int outOff) {
        int bound = FS.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) f16(w, base + 2L * i).intoArray(out, outOff + i);
        for (; i < n; i++) out[outOff + i] = Fp.f16ToFloat(w.get(ScalarKernels.I16, base + 2L * i));
    }

    // ---- matrix x vector, decoding on the fly, four rows at a time (four independent FMA chains) ----

    static void matvecF32(
            MemorySegment w,
            long base,
            long stride,
            float[] x,
            int xOff,
            int n,
            float[] out,
            int outOff,
            int from,
            int to) {
        int bound = FS.loopBound(n);
        int r = from;
        for (; r + 4 <= to; r += 4) {
            long r0 = base + r * stride, r1 = r0 + stride, r2 = r1 + stride, r3 = r2 + stride;
            FloatVector a0 = FloatVector.zero(FS), a1 = a0, a2 = a0, a3 = a0;
            for (int i = 0; i < bound; i += L) {
                FloatVector xv = FloatVector.fromArray(FS, x, xOff + i);
                a0 = f32(w, r0 + 4L * i).fma(xv, a0);
                a1 = f32(w, r1 + 4L * i).fma(xv, a1);
                a2 = f32(w, r2 + 4L * i).fma(xv, a2);
                a3 = f32(w, r3 + 4L * i).fma(xv, a3);
            }
            out[outOff + r] = tailF32(w, r0, x, xOff, bound, n, sum(a0));
            out[outOff + r + 1] = tailF32(w, r1, x, xOff, bound, n, sum(a1));
            out[outOff + r + 2] = tailF32(w, r2, x, xOff, bound, n, sum(a2));
            out[outOff + r + 3] = tailF32(w, r3, x, xOff, bound, n, sum(a3));
        }
        for (; r < to; r++) {
            long r0 = base + r * stride;
            FloatVector a0 = FloatVector.zero(FS);
            for (int i = 0; i < bound; i += L) a0 = f32(w, r0 + 4L * i).fma(FloatVector.fromArray(FS, x, xOff + i), a0);
            out[outOff + r] = tailF32(w, r0, x, xOff, bound, n, sum(a0));
        }
    }

    private static float tailF32(MemorySegment w, long row, float[] x, int xOff, int from, int n, float s) {
        for (int i = from; i < n; i++) s += w.get(ScalarKernels.F32, row + 4L * i) * x[xOff + i];
        return s;
    }

    static void matvecBf16(
            MemorySegment w,
            long base,
            long stride,
            float[] x,
            int xOff,
            int n,
            float[] out,
            int outOff,
            int from,
            int to) {
        int bound = FS.loopBound(n);
        int r = from;
        for (; r + 4 <= to; r += 4) {
            long r0 = base + r * stride, r1 = r0 + stride, r2 = r1 + stride, r3 = r2 + stride;
            FloatVector a0 = FloatVector.zero(FS), a1 = a0, a2 = a0, a3 = a0;
            for (int i = 0; i < bound; i += L) {
                FloatVector xv = FloatVector.fromArray(FS, x, xOff + i);
                a0 = bf16(w, r0 + 2L * i).fma(xv, a0);
                a1 = bf16(w, r1 + 2L * i).fma(xv, a1);
                a2 = bf16(w, r2 + 2L * i).fma(xv, a2);
                a3 = bf16(w, r3 + 2L * i).fma(xv, a3);
            }
            out[outOff + r] = tailBf16(w, r0, x, xOff, bound, n, sum(a0));
            out[outOff + r + 1] = tailBf16(w, r1, x, xOff, bound, n, sum(a1));
            out[outOff + r + 2] = tailBf16(w, r2, x, xOff, bound, n, sum(a2));
            out[outOff + r + 3] = tailBf16(w, r3, x, xOff, bound, n, sum(a3));
        }
        for (; r < to; r++) {
            long r0 = base + r * stride;
            FloatVector a0 = FloatVector.zero(FS);
            for (int i = 0; i < bound; i += L)
                a0 = bf16(w, r0 + 2L * i).fma(FloatVector.fromArray(FS, x, xOff + i), a0);
            out[outOff + r] = tailBf16(w, r0, x, xOff, bound, n, sum(a0));
        }
    }

    /**
     * bf16 rows times four inputs at {@code x[xo[t]..)} into {@code out[oo[t] + row]} (a repeated offset stands in
     * for a missing input), four rows per pass: each weight vector is decoded once and used for every input, where
     * the decode-then-tile path of {@link #gemm} writes and rereads the decoded rows. A few inputs at a time is what
     * decoding several sequences together looks like. Per (row, input) the sum is formed exactly as
     * {@link #matvecBf16} forms it.
     */
    static void matvecBf16x4(
            MemorySegment w,
            long base,
            long stride,
            float[] x,
            int[] xo,
            int n,
            float[] out,
            int[] oo,
            int from,
            int to,
            float[] acc) {
        int bound = FS.loopBound(n);
        int xo0 = xo[0], xo1 = xo[1], xo2 = xo[2], xo3 = xo[3];
        int r = from;
        for (; r + 4 <= to; r += 4) {
            long r0 = base + r * stride, r1 = r0 + stride, r2 = r1 + stride, r3 = r2 + stride;
            FloatVector a00 = FloatVector.zero(FS), a01 = a00, a02 = a00, a03 = a00;
            FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
            FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
            FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
            for (int i = 0; i < bound; i += L) {
                FloatVector w0 = bf16(w, r0 + 2L * i), w1 = bf16(w, r1 + 2L * i);
                FloatVector w2 = bf16(w, r2 + 2L * i), w3 = bf16(w, r3 + 2L * i);
                FloatVector xv = FloatVector.fromArray(FS, x, xo0 + i);
                a00 = w0.fma(xv, a00);
                a10 = w1.fma(xv, a10);
                a20 = w2.fma(xv, a20);
                a30 = w3.fma(xv, a30);
                xv = FloatVector.fromArray(FS, x, xo1 + i);
                a01 = w0.fma(xv, a01);
                a11 = w1.fma(xv, a11);
                a21 = w2.fma(xv, a21);
                a31 = w3.fma(xv, a31);
                xv = FloatVector.fromArray(FS, x, xo2 + i);
                a02 = w0.fma(xv, a02);
                a12 = w1.fma(xv, a12);
                a22 = w2.fma(xv, a22);
                a32 = w3.fma(xv, a32);
                xv = FloatVector.fromArray(FS, x, xo3 + i);
                a03 = w0.fma(xv, a03);
                a13 = w1.fma(xv, a13);
                a23 = w2.fma(xv, a23);
                a33 = w3.fma(xv, a33);
            }
            // through memory, not through a call taking vectors: a vector argument C2 does not inline is boxed
            a00.intoArray(acc, 0);
            a01.intoArray(acc, L);
            a02.intoArray(acc, 2 * L);
            a03.intoArray(acc, 3 * L);
            a10.intoArray(acc, 4 * L);
            a11.intoArray(acc, 5 * L);
            a12.intoArray(acc, 6 * L);
            a13.intoArray(acc, 7 * L);
            a20.intoArray(acc, 8 * L);
            a21.intoArray(acc, 9 * L);
            a22.intoArray(acc, 10 * L);
            a23.intoArray(acc, 11 * L);
            a30.intoArray(acc, 12 * L);
            a31.intoArray(acc, 13 * L);
            a32.intoArray(acc, 14 * L);
            a33.intoArray(acc, 15 * L);
            storeSums(acc, 0, 4, 4, w, r0, stride, x, xo, bound, n, out, oo, r);
        }
        aloneBf16(w, base, stride, x, xo, 4, n, out, oo, r, to);
    }

    /**
     * {@link #matvecBf16x4} for two inputs: four rows times two (8 accumulators, 4 row vectors, 1 input), each
     * weight vector decoded once for both.
     */
    static void matvecBf16x2(
            MemorySegment w,
            long base,
            long stride,
            float[] x,
            int[] xo,
            int n,
            float[] out,
            int[] oo,
            int from,
            int to,
            float[] acc) {
        int bound = FS.loopBound(n);
        int xo0 = xo[0], xo1 = xo[1];
        int r = from;
        for (; r + 4 <= to; r += 4) {
            long r0 = base + r * stride, r1 = r0 + stride, r2 = r1 + stride, r3 = r2 + stride;
            FloatVector a00 = FloatVector.zero(FS), a01 = a00, a10 = a00, a11 = a00;
            FloatVector a20 = a00, a21 = a00, a30 = a00, a31 = a00;
            for (int i = 0; i < bound; i += L) {
                FloatVector w0 = bf16(w, r0 + 2L * i), w1 = bf16(w, r1 + 2L * i);
                FloatVector w2 = bf16(w, r2 + 2L * i), w3 = bf16(w, r3 + 2L * i);
                FloatVector xv = FloatVector.fromArray(FS, x, xo0 + i);
                a00 = w0.fma(xv, a00);
                a10 = w1.fma(xv, a10);
                a20 = w2.fma(xv, a20);
                a30 = w3.fma(xv, a30);
                xv = FloatVector.fromArray(FS, x, xo1 + i);
                a01 = w0.fma(xv, a01);
                a11 = w1.fma(xv, a11);
                a21 = w2.fma(xv, a21);
                a31 = w3.fma(xv, a31);
            }
            a00.intoArray(acc, 0);
            a01.intoArray(acc, L);
            a10.intoArray(acc, 2 * L);
            a11.intoArray(acc, 3 * L);
            a20.intoArray(acc, 4 * L);
            a21.intoArray(acc, 5 * L);
            a30.intoArray(acc, 6 * L);
            a31.intoArray(acc, 7 * L);
            storeSums(acc, 0, 4, 2, w, r0, stride, x, xo, bound, n, out, oo, r);
        }
        aloneBf16(w, base, stride, x, xo, 2, n, out, oo, r, to);
    }

    /**
     * bf16 rows times five to eight inputs ({@code xo[0..8)}, {@code oo[0..8)}; repeated entries pad), two rows
     * per pass with 16 accumulators: for 32-register CPUs, where two passes of {@link #matvecBf16x4} would read
     * the rows twice.
     */
    static void matvecBf16x8(
            MemorySegment w,
            long base,
            long stride,
            float[] x,
            int[] xo,
            int n,
            float[] out,
            int[] oo,
            int from,
            int to,
            float[] acc) {
        int bound = FS.loopBound(n);
        int pairsEnd = from + ((to - from) & ~1);
        // eight inputs of 2880 floats (92 KB) overflow L1, so the rows go by column blocks (8 x 512 floats, 16 KB)
        // with their accumulators kept in acc between blocks: each one still sees its FMAs in column order
        for (int u = from; u < pairsEnd; u += TILE_ROWS) {
            int uEnd = Math.min(pairsEnd, u + TILE_ROWS);
            java.util.Arrays.fill(acc, 0, (uEnd - u) * 8 * L, 0f);
            for (int c = 0; c < bound; c += BLOCK) {
                int cEnd = Math.min(bound, c + BLOCK);
                for (int r = u; r < uEnd; r += 2)
                    bf16Pair8(w, base + r * stride, stride, x, xo, c, cEnd, acc, (r - u) * 8 * L);
            }
            for (int r = u; r < uEnd; r += 2) {
                storeSums(acc, (r - u) * 8 * L, 2, 8, w, base + r * stride, stride, x, xo, bound, n, out, oo, r);
            }
        }
        aloneBf16(w, base, stride, x, xo, 8, n, out, oo, pairsEnd, to);
    }

    /** Rows r0 and r0 + stride, columns [c, cEnd), eight inputs: 16 accumulators at {@code acc[a + (8 row + t) L]}. */
    private static void bf16Pair8(
            MemorySegment w, long r0, long stride, float[] x, int[] xo, int c, int cEnd, float[] acc, int a) {
        long r1 = r0 + stride;
        int x0 = xo[0], x1 = xo[1], x2 = xo[2], x3 = xo[3], x4 = xo[4], x5 = xo[5], x6 = xo[6], x7 = xo[7];
        FloatVector a00 = FloatVector.fromArray(FS, acc, a), a01 = FloatVector.fromArray(FS, acc, a + L);
        FloatVector a02 = FloatVector.fromArray(FS, acc, a + 2 * L), a03 = FloatVector.fromArray(FS, acc, a + 3 * L);
        FloatVector a04 = FloatVector.fromArray(FS, acc, a + 4 * L), a05 = FloatVector.fromArray(FS, acc, a + 5 * L);
        FloatVector a06 = FloatVector.fromArray(FS, acc, a + 6 * L), a07 = FloatVector.fromArray(FS, acc, a + 7 * L);
        FloatVector a10 = FloatVector.fromArray(FS, acc, a + 8 * L), a11 = FloatVector.fromArray(FS, acc, a + 9 * L);
        FloatVector a12 = FloatVector.fromArray(FS, acc, a + 10 * L), a13 = FloatVector.fromArray(FS, acc, a + 11 * L);
        FloatVector a14 = FloatVector.fromArray(FS, acc, a + 12 * L), a15 = FloatVector.fromArray(FS, acc, a + 13 * L);
        FloatVector a16 = FloatVector.fromArray(FS, acc, a + 14 * L), a17 = FloatVector.fromArray(FS, acc, a + 15 * L);
        for (int i = c; i < cEnd; i += L) {
            FloatVector w0 = bf16(w, r0 + 2L * i), w1 = bf16(w, r1 + 2L * i);
            FloatVector xv = FloatVector.fromArray(FS, x, x0 + i);
            a00 = w0.fma(xv, a00);
            a10 = w1.fma(xv, a10);
            xv = FloatVector.fromArray(FS, x, x1 + i);
            a01 = w0.fma(xv, a01);
            a11 = w1.fma(xv, a11);
            xv = FloatVector.fromArray(FS, x, x2 + i);
            a02 = w0.fma(xv, a02);
            a12 = w1.fma(xv, a12);
            xv = FloatVector.fromArray(FS, x, x3 + i);
            a03 = w0.fma(xv, a03);
            a13 = w1.fma(xv, a13);
            xv = FloatVector.fromArray(FS, x, x4 + i);
            a04 = w0.fma(xv, a04);
            a14 = w1.fma(xv, a14);
            xv = FloatVector.fromArray(FS, x, x5 + i);
            a05 = w0.fma(xv, a05);
            a15 = w1.fma(xv, a15);
            xv = FloatVector.fromArray(FS, x, x6 + i);
            a06 = w0.fma(xv, a06);
            a16 = w1.fma(xv, a16);
            xv = FloatVector.fromArray(FS, x, x7 + i);
            a07 = w0.fma(xv, a07);
            a17 = w1.fma(xv, a17);
        }
        a00.intoArray(acc, a);
        a01.intoArray(acc, a + L);
        a02.intoArray(acc, a + 2 * L);
        a03.intoArray(acc, a + 3 * L);
        a04.intoArray(acc, a + 4 * L);
        a05.intoArray(acc, a + 5 * L);
        a06.intoArray(acc, a + 6 * L);
        a07.intoArray(acc, a + 7 * L);
        a10.intoArray(acc, a + 8 * L);
        a11.intoArray(acc, a + 9 * L);
        a12.intoArray(acc, a + 10 * L);
        a13.intoArray(acc, a + 11 * L);
        a14.intoArray(acc, a + 12 * L);
        a15.intoArray(acc, a + 13 * L);
        a16.intoArray(acc, a + 14 * L);
        a17.intoArray(acc, a + 15 * L);
    }

    /**
     * The sums of {@code rows} rows from {@code row0} times {@code tokens} inputs, from their accumulators stored
     * row by row at {@code acc[ao + (row tokens + t) L..)}, plus each row's tail columns, into {@code out[oo[t] + r +
     * row]}.
     */
    private static void storeSums(
            float[] acc,
            int ao,
            int rows,
            int tokens,
            MemorySegment w,
            long row0,
            long stride,
            float[] x,
            int[] xo,
            int bound,
            int n,
            float[] out,
            int[] oo,
            int r) {
        for (int k = 0; k < rows * tokens; k++) {
            int row = k / tokens, t = k % tokens;
            out[oo[t] + r + row] = tailBf16(
                    w, row0 + row * stride, x, xo[t], bound, n, sum(FloatVector.fromArray(FS, acc, ao + k * L)));
        }
    }

    /** Rows {@code r .. to-1} left over by a multi-row pass: each input on its own, the same sums. */
    private static void aloneBf16(
            MemorySegment w,
            long base,
            long stride,
            float[] x,
            int[] xo,
            int tokens,
            int n,
            float[] out,
            int[] oo,
            int r,
            int to) {
        for (int t = 0; t < tokens; t++) matvecBf16(w, base, stride, x, xo[t], n, out, oo[t], r, to);
    }

    private static float tailBf16(MemorySegment w, long row, float[] x, int xOff, int from, int n, float s) {
        for (int i = from; i < n; i++) s += Fp.bf16ToFloat(w.get(ScalarKernels.I16, row + 2L * i)) * x[xOff + i];
        return s;
    }

    /**
     * MXFP4 rows (either layout) times an input in kernel order. A block is {@code blockStride} bytes with its
     * 16 nibble bytes at {@code qsOffset}; its scale byte is at {@code scaleBase + row * scaleRowStride + b *
     * scaleStride} of {@code scales} (for ggml that is the block's own first byte).
     *
     * <p>Rows go two at a time (and so do those of the few-token kernels), row {@code r} with row {@code r + half}
     * of the range, not with its neighbour: an MXFP4 row of 2880 columns is 1530 bytes, so neighbours interleave
     * two positions of one 4 KB page, a pattern the hardware prefetchers do not take for a stream, while rows half
     * the range apart are two plain streams in different pages. Same sums (each row's own FMAs, in order); one thread
     * streaming from memory, 184320 x 2880: 3.85 -> 2.36 ns a block and row at 512 bits, 5.3 -> 4.4 at 256 (AVX2),
     * 8.9 -> 7.8 at 128; L3-resident rates unchanged.
     */
    static void matvecMxfp4(
            MemorySegment w,
            long base,
            long stride,
            long blockStride,
            long qsOffset,
            MemorySegment scales,
            long scaleBase,
            long scaleRowStride,
            long scaleStride,
            float[] x,
            int xOff,
            int n,
            float[] out,
            int outOff,
            int from,
            int to) {
        int blocks = n / 32;
        int half = (to - from) / 2;
        // one method per row pair keeps each compilation unit under C2's inlining node budget
        for (int r = from; r < from + half; r++) {
            mxfp4Rows2(
                    w,
                    base + r * stride,
                    stride * half,
                    blockStride,
                    qsOffset,
                    scales,
                    scaleBase + r * scaleRowStride,
                    scaleRowStride * half,
                    scaleStride,
                    x,
                    xOff,
                    blocks,
                    out,
                    outOff + r,
                    half);
        }
        for (int r = from + 2 * half; r < to; r++) {
            mxfp4Row(
                    w,
                    base + r * stride,
                    blockStride,
                    qsOffset,
                    scales,
                    scaleBase + r * scaleRowStride,
                    scaleStride,
                    x,
                    xOff,
                    blocks,
                    out,
                    outOff + r);
        }
    }

    private static void mxfp4Rows2(
            MemorySegment w,
            long w0,
            long stride,
            long blockStride,
            long qsOffset,
            MemorySegment scales,
            long s0,
            long scaleRowStride,
            long scaleStride,
            float[] x,
            int xOff,
            int blocks,
            float[] out,
            int o,
            int apart) {
        // the blocks' offsets advance by addition: a multiply per block kept two more registers busy
        long q0 = w0 + qsOffset, q1 = q0 + stride;
        long c0 = s0, c1 = s0 + scaleRowStride;
        FloatVector a0 = FloatVector.zero(FS), a1 = a0;
        for (int b = 0; b < blocks; b++, q0 += blockStride, q1 += blockStride, c0 += scaleStride, c1 += scaleStride) {
            int xb = xOff + 32 * b;
            if (L == 16) {
                FloatVector xl = FloatVector.fromArray(FS, x, xb);
                FloatVector xh = FloatVector.fromArray(FS, x, xb + 16);
                a0 = block16(w, q0, scales, c0, xl, xh, a0);
                a1 = block16(w, q1, scales, c1, xl, xh, a1);
            } else {
                a0 = block(w, q0, scales, c0, x, xb, a0);
                a1 = block(w, q1, scales, c1, x, xb, a1);
            }
        }
        out[o] = sum(a0);
        out[o + apart] = sum(a1);
    }

    /**
     * {@link #matvecMxfp4} for two inputs at once ({@code x[xo[0]..)} and {@code x[xo[1]..)} into
     * {@code out[oo[0] + r]} and {@code out[oo[1] + r]}): each block is decoded once for both, and each input's
     * accumulator sees the same FMAs in the same order as alone, so the sums are bit-identical to two calls.
     */
    static void matvecMxfp4x2(
            MemorySegment w,
            long base,
            long stride,
            long blockStride,
            long qsOffset,
            MemorySegment scales,
            long scaleBase,
            long scaleRowStride,
            long scaleStride,
            float[] x,
            int[] xo,
            int n,
            float[] out,
            int[] oo,
            int from,
            int to) {
        int blocks = n / 32;
        int half = (to - from) / 2;
        for (int r = from; r < from + half; r++) {
            mxfp4Rows2x2(
                    w,
                    base + r * stride,
                    stride * half,
                    blockStride,
                    qsOffset,
                    scales,
                    scaleBase + r * scaleRowStride,
                    scaleRowStride * half,
                    scaleStride,
                    x,
                    xo[0],
                    xo[1],
                    blocks,
                    out,
                    oo[0] + r,
                    oo[1] + r,
                    half);
        }
        for (int r = from + 2 * half; r < to; r++) {
            for (int t = 0; t < 2; t++) {
                mxfp4Row(
                        w,
                        base + r * stride,
                        blockStride,
                        qsOffset,
                        scales,
                        scaleBase + r * scaleRowStride,
                        scaleStride,
                        x,
                        xo[t],
                        blocks,
                        out,
                        oo[t] + r);
            }
        }
    }

    /** Two rows by two inputs: four accumulators, each block of each row decoded once. */
    private static void mxfp4Rows2x2(
            MemorySegment w,
            long w0,
            long stride,
            long blockStride,
            long qsOffset,
            MemorySegment scales,
            long s0,
            long scaleRowStride,
            long scaleStride,
            float[] x,
            int x0,
            int x1,
            int blocks,
            float[] out,
            int o0,
            int o1,
            int apart) {
        long w1 = w0 + stride;
        long s1 = s0 + scaleRowStride;
        FloatVector a00 = FloatVector.zero(FS), a01 = a00, a10 = a00, a11 = a00;
        for (int b = 0; b < blocks; b++) {
            long q = blockStride * b + qsOffset;
            long s = scaleStride * b;
            int xb = 32 * b;
            IntVector t0 = tableA(Fp.E8M0[scales.get(ValueLayout.JAVA_BYTE, s0 + s) & 0xFF]);
            IntVector t1 = tableA(Fp.E8M0[scales.get(ValueLayout.JAVA_BYTE, s1 + s) & 0xFF]);
            // 16 lanes: each row's bytes read once for both vectors; 8 lanes: read per vector, as two rows'
            // byte groups held across the loop spill AVX2's 16 registers
            IntVector q0 = L == 16 ? bytes(w, w0 + q, 0) : null, q1 = L == 16 ? bytes(w, w1 + q, 0) : null;
            for (int k = 0; k < PER_BLOCK; k++) {
                FloatVector v0 = FloatVector.fromArray(FS, x, x0 + xb + L * k);
                FloatVector v1 = FloatVector.fromArray(FS, x, x1 + xb + L * k);
                IntVector b0 = L == 16 ? q0 : bytes(w, w0 + q, k & (PARTS - 1));
                FloatVector d = fp4(b0, b0, k, t0);
                a00 = d.fma(v0, a00);
                a01 = d.fma(v1, a01);
                IntVector b1 = L == 16 ? q1 : bytes(w, w1 + q, k & (PARTS - 1));
                d = fp4(b1, b1, k, t1);
                a10 = d.fma(v0, a10);
                a11 = d.fma(v1, a11);
            }
        }
        out[o0] = sum(a00);
        out[o1] = sum(a01);
        out[o0 + apart] = sum(a10);
        out[o1 + apart] = sum(a11);
    }

    /** {@link #matvecMxfp4x2} for four inputs (512 bits: 8 accumulators, 8 input vectors, 2 decoded). */
    static void matvecMxfp4x4(
            MemorySegment w,
            long base,
            long stride,
            long blockStride,
            long qsOffset,
            MemorySegment scales,
            long scaleBase,
            long scaleRowStride,
            long scaleStride,
            float[] x,
            int[] xo,
            int n,
            float[] out,
            int[] oo,
            int from,
            int to) {
        int blocks = n / 32;
        int half = (to - from) / 2;
        for (int r = from; r < from + half; r++) {
            mxfp4Rows2x4(
                    w,
                    base + r * stride,
                    stride * half,
                    blockStride,
                    qsOffset,
                    scales,
                    scaleBase + r * scaleRowStride,
                    scaleRowStride * half,
                    scaleStride,
                    x,
                    xo,
                    blocks,
                    out,
                    oo,
                    r,
                    half);
        }
        for (int r = from + 2 * half; r < to; r++) {
            for (int t = 0; t < 4; t++) {
                mxfp4Row(
                        w,
                        base + r * stride,
                        blockStride,
                        qsOffset,
                        scales,
                        scaleBase + r * scaleRowStride,
                        scaleStride,
                        x,
                        xo[t],
                        blocks,
                        out,
                        oo[t] + r);
            }
        }
    }

    private static void mxfp4Rows2x4(
            MemorySegment w,
            long w0,
            long stride,
            long blockStride,
            long qsOffset,
            MemorySegment scales,
            long s0,
            long scaleRowStride,
            long scaleStride,
            float[] x,
            int[] xo,
            int blocks,
            float[] out,
            int[] oo,
            int r,
            int apart) {
        long w1 = w0 + stride;
        long s1 = s0 + scaleRowStride;
        int x0 = xo[0], x1 = xo[1], x2 = xo[2], x3 = xo[3];
        FloatVector a00 = FloatVector.zero(FS), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        for (int b = 0; b < blocks; b++) {
            long q = blockStride * b + qsOffset;
            long s = scaleStride * b;
            int xb = 32 * b;
            IntVector t0 = tableA(Fp.E8M0[scales.get(ValueLayout.JAVA_BYTE, s0 + s) & 0xFF]);
            IntVector t1 = tableA(Fp.E8M0[scales.get(ValueLayout.JAVA_BYTE, s1 + s) & 0xFF]);
            // 16 lanes: each row's bytes read once for both vectors; 8 lanes: read per vector, as two rows'
            // byte groups held across the loop spill AVX2's 16 registers
            IntVector q0 = L == 16 ? bytes(w, w0 + q, 0) : null, q1 = L == 16 ? bytes(w, w1 + q, 0) : null;
            for (int k = 0; k < PER_BLOCK; k++) {
                int i = xb + L * k;
                FloatVector v0 = FloatVector.fromArray(FS, x, x0 + i);
                FloatVector v1 = FloatVector.fromArray(FS, x, x1 + i);
                FloatVector v2 = FloatVector.fromArray(FS, x, x2 + i);
                FloatVector v3 = FloatVector.fromArray(FS, x, x3 + i);
                IntVector b0 = L == 16 ? q0 : bytes(w, w0 + q, k & (PARTS - 1));
                FloatVector d = fp4(b0, b0, k, t0);
                a00 = d.fma(v0, a00);
                a01 = d.fma(v1, a01);
                a02 = d.fma(v2, a02);
                a03 = d.fma(v3, a03);
                IntVector b1 = L == 16 ? q1 : bytes(w, w1 + q, k & (PARTS - 1));
                d = fp4(b1, b1, k, t1);
                a10 = d.fma(v0, a10);
                a11 = d.fma(v1, a11);
                a12 = d.fma(v2, a12);
                a13 = d.fma(v3, a13);
            }
        }
        out[oo[0] + r] = sum(a00);
        out[oo[1] + r] = sum(a01);
        out[oo[2] + r] = sum(a02);
        out[oo[3] + r] = sum(a03);
        out[oo[0] + r + apart] = sum(a10);
        out[oo[1] + r + apart] = sum(a11);
        out[oo[2] + r + apart] = sum(a12);
        out[oo[3] + r + apart] = sum(a13);
    }

    private static void mxfp4Row(
            MemorySegment w,
            long w0,
            long blockStride,
            long qsOffset,
            MemorySegment scales,
            long s0,
            long scaleStride,
            float[] x,
            int xOff,
            int blocks,
            float[] out,
            int o) {
        FloatVector a0 = FloatVector.zero(FS);
        for (int b = 0; b < blocks; b++)
            a0 = block(w, w0 + blockStride * b + qsOffset, scales, s0 + scaleStride * b, x, xOff + 32 * b, a0);
        out[o] = sum(a0);
    }

    /** One block at 16 lanes, the two input vectors shared by the rows: two nibble lookups, two FMAs. */
    private static FloatVector block16(
            MemorySegment w,
            long qs,
            MemorySegment scales,
            long scaleAt,
            FloatVector xl,
            FloatVector xh,
            FloatVector acc) {
        IntVector table = tableA(Fp.E8M0[scales.get(ValueLayout.JAVA_BYTE, scaleAt) & 0xFF]);
        IntVector q = bytes(w, qs, 0);
        return fp4(q, q, 1, table).fma(xh, fp4(q, q, 0, table).fma(xl, acc));
    }

    /** One block at any width: {@link #PER_BLOCK} decoded vectors times the input's, in column order. */
    private static FloatVector block(
            MemorySegment w, long qs, MemorySegment scales, long scaleAt, float[] x, int xb, FloatVector acc) {
        float scale = Fp.E8M0[scales.get(ValueLayout.JAVA_BYTE, scaleAt) & 0xFF];
        if (L == 4) {
            ByteVector q = ByteVector.fromMemorySegment(B128, w, qs, LE);
            IntVector lo = twice4(q, false), hi = twice4(q, true);
            float half = 0.5f * scale;
            for (int p = 0; p < 4; p++) acc = fp4x4(lo, p, half).fma(FloatVector.fromArray(FS, x, xb + 4 * p), acc);
            for (int p = 0; p < 4; p++)
                acc = fp4x4(hi, p, half).fma(FloatVector.fromArray(FS, x, xb + 16 + 4 * p), acc);
            return acc;
        }
        IntVector ta = tableA(scale);
        IntVector q0 = bytes(w, qs, 0), q1 = secondPart(w, qs, q0);
        for (int k = 0; k < PER_BLOCK; k++) acc = fp4(q0, q1, k, ta).fma(FloatVector.fromArray(FS, x, xb + L * k), acc);
        return acc;
    }

    /** The canonical dot product of {@code w[wOff..wOff+n)} and {@code x[xOff..xOff+n)}, both already float32. */
    static float dot(float[] w, int wOff, float[] x, int xOff, int n) {
        int bound = FS.loopBound(n);
        FloatVector a = FloatVector.zero(FS);
        for (int i = 0; i < bound; i += L) {
            a = FloatVector.fromArray(FS, w, wOff + i).fma(FloatVector.fromArray(FS, x, xOff + i), a);
        }
        float s = sum(a);
        for (int i = bound; i < n; i++) s += w[wOff + i] * x[xOff + i];
        return s;
    }

    /**
     * {@code out[o + k] = w_k . x[xOff..]} for the {@code rows} decoded rows of a unit {@code w} (laid out as
     * {@link #unitIndex} says): the canonical dot product, four rows at a time (four FMA chains), so each result
     * has the bits {@link #gemm} gives it.
     */
    static void dotRows(float[] w, int rows, int n, float[] x, int xOff, float[] out, int o) {
        int bound = FS.loopBound(n);
        int k = 0;
        for (; k + 4 <= rows; k += 4) {
            FloatVector a0 = FloatVector.zero(FS), a1 = a0, a2 = a0, a3 = a0;
            for (int c = 0; c < bound; c += BLOCK) {
                int cEnd = Math.min(bound, c + BLOCK);
                // row k's column i is at p + i, rows k+1..k+3 a block-row apart
                int p = unitIndex(k, c) - c;
                for (int i = c; i < cEnd; i += L) {
                    FloatVector xv = FloatVector.fromArray(FS, x, xOff + i);
                    a0 = FloatVector.fromArray(FS, w, p + i).fma(xv, a0);
                    a1 = FloatVector.fromArray(FS, w, p + i + BLOCK).fma(xv, a1);
                    a2 = FloatVector.fromArray(FS, w, p + i + 2 * BLOCK).fma(xv, a2);
                    a3 = FloatVector.fromArray(FS, w, p + i + 3 * BLOCK).fma(xv, a3);
                }
            }
            out[o + k] = tail(w, k, x, xOff, bound, n, sum(a0));
            out[o + k + 1] = tail(w, k + 1, x, xOff, bound, n, sum(a1));
            out[o + k + 2] = tail(w, k + 2, x, xOff, bound, n, sum(a2));
            out[o + k + 3] = tail(w, k + 3, x, xOff, bound, n, sum(a3));
        }
        for (; k < rows; k++) out[o + k] = dotRow(w, k, n, x, xOff);
    }

    /** The canonical dot product of row {@code k} of a decoded unit and {@code x[xOff..xOff+n)}. */
    private static float dotRow(float[] w, int k, int n, float[] x, int xOff) {
        int bound = FS.loopBound(n);
        FloatVector a = FloatVector.zero(FS);
        for (int c = 0; c < bound; c += BLOCK) {
            int cEnd = Math.min(bound, c + BLOCK), p = unitIndex(k, c) - c;
            for (int i = c; i < cEnd; i += L) {
                a = FloatVector.fromArray(FS, w, p + i).fma(FloatVector.fromArray(FS, x, xOff + i), a);
            }
        }
        return tail(w, k, x, xOff, bound, n, sum(a));
    }

    /**
     * Where column {@code c} of row {@code k} of a decoded unit lies: the unit is stored by column blocks of
     * {@link #BLOCK} columns, each holding {@link #TILE_ROWS} rows of {@code BLOCK} floats. Within a block the
     * rows a tile reads are a constant distance apart, so the compiled loops address them from one index (with
     * rows {@code n} floats apart, every row took an index register of its own and the loop ran out of them).
     */
    static int unitIndex(int k, int c) {
        return c / BLOCK * (TILE_ROWS * BLOCK) + k * BLOCK + c % BLOCK;
    }

    /** Floats a decoded unit of rows of {@code n} columns takes. */
    static int unitSize(int n) {
        return (n + BLOCK - 1) / BLOCK * (TILE_ROWS * BLOCK);
    }

    // ---- matrix x matrix on decoded rows: register tiles of 4 rows x 4 tokens, blocked over the columns ----

    /** Tokens whose accumulators are kept in scratch while a column block of the rows is reused for all of them. */
    static final int GROUP = ACCUMULATORS / (TILE_ROWS * L);
    /**
     * Columns per block: the decoded rows' block (up to 16 rows, 32 KB) and four tokens' inputs (8 KB) stay in L1,
     * so each input vector comes from L2 once per 16 rows instead of once per 4. Unblocked, a 2880-column tile of
     * 4 rows and 4 tokens (92 KB) overflows L1 and the kernel waits on L2.
     */
    static final int BLOCK = 512;

    /**
     * For the {@code rows} (1..{@link #TILE_ROWS}) decoded rows in {@code w} (row k at {@code k * n}) and the
     * tokens {@code t = first .. first+count-1}: {@code out[outOffs[t] + row + k] = w_k . x[xOffs[t] ..]}.
     * {@code acc} holds {@link #ACCUMULATORS} floats of scratch from {@code ao}. Each accumulator vector is stored
     * between column blocks and reloaded, so it sees exactly the FMAs of the unblocked canonical dot product, in
     * order.
     */
    static void gemm(
            float[] w,
            int rows,
            int n,
            float[] x,
            int[] xOffs,
            int first,
            int count,
            float[] out,
            int[] outOffs,
            int row,
            float[] acc,
            int ao) {
        int end = first + count;
        int tiled = rows & ~3;
        if (tiled > 0) {
            int bound = FS.loopBound(n);
            for (int g = first; g < end; g += GROUP) {
                int gEnd = Math.min(end, g + GROUP);
                java.util.Arrays.fill(acc, ao, ao + (gEnd - g) * tiled * L, 0f);
                for (int c = 0; c < bound; c += BLOCK) {
                    columnBlock(w, tiled, n, x, xOffs, g, gEnd, c, Math.min(bound, c + BLOCK), acc, ao);
                }
                finish(acc, ao, tiled, w, n, x, xOffs, g, gEnd, out, outOffs, row, bound);
            }
        }
        for (int k = tiled; k < rows; k++) {
            for (int t = first; t < end; t++) out[outOffs[t] + row + k] = dotRow(w, k, n, x, xOffs[t]);
        }
    }

    /**
     * Columns [c, cEnd) of the group's tokens, in register tiles of 4 rows by {@code T = TILE_TOKENS} tokens. Token
     * {@code g + T q + j} of a full tile keeps row {@code k + kk} ({@code k} a multiple of 4) at
     * {@code ao + T q span + T k L + (4j + kk) L}, {@code span = tiled L}; a token after the last full tile
     * keeps row r at {@code ao + (t - g) span + r L}.
     */
    private static void columnBlock(
            float[] w,
            int tiled,
            int n,
            float[] x,
            int[] xOffs,
            int g,
            int gEnd,
            int c,
            int cEnd,
            float[] acc,
            int ao) {
        int span = tiled * L;
        int t = g;
        for (; t + TILE_TOKENS <= gEnd; t += TILE_TOKENS) {
            int a = ao + (t - g) * span;
            for (int k = 0; k < tiled; k += 4) {
                int p = unitIndex(k, c) - c;
                if (TILE_TOKENS == 4) tile4x4(w, p, x, xOffs, t, c, cEnd, acc, a + 4 * k * L);
                else tile4x2(w, p, x, xOffs, t, c, cEnd, acc, a + 2 * k * L);
            }
        }
        for (; t < gEnd; t++) {
            int a = ao + (t - g) * span;
            for (int k = 0; k < tiled; k += 4) tile4x1(w, unitIndex(k, c) - c, x, xOffs[t], c, cEnd, acc, a + k * L);
        }
    }

    /**
     * Tokens t..t+3, columns [c, cEnd) of the 4 rows whose column i is at {@code w[p + i + r BLOCK]}: the
     * accumulators of token j, row r at {@code a + (4j + r) L}.
     */
    private static void tile4x4(float[] w, int p, float[] x, int[] xOffs, int t, int c, int cEnd, float[] acc, int a) {
        int x0 = xOffs[t], x1 = xOffs[t + 1], x2 = xOffs[t + 2], x3 = xOffs[t + 3];
        FloatVector a00 = FloatVector.fromArray(FS, acc, a), a10 = FloatVector.fromArray(FS, acc, a + L);
        FloatVector a20 = FloatVector.fromArray(FS, acc, a + 2 * L), a30 = FloatVector.fromArray(FS, acc, a + 3 * L);
        FloatVector a01 = FloatVector.fromArray(FS, acc, a + 4 * L), a11 = FloatVector.fromArray(FS, acc, a + 5 * L);
        FloatVector a21 = FloatVector.fromArray(FS, acc, a + 6 * L), a31 = FloatVector.fromArray(FS, acc, a + 7 * L);
        FloatVector a02 = FloatVector.fromArray(FS, acc, a + 8 * L), a12 = FloatVector.fromArray(FS, acc, a + 9 * L);
        FloatVector a22 = FloatVector.fromArray(FS, acc, a + 10 * L), a32 = FloatVector.fromArray(FS, acc, a + 11 * L);
        FloatVector a03 = FloatVector.fromArray(FS, acc, a + 12 * L), a13 = FloatVector.fromArray(FS, acc, a + 13 * L);
        FloatVector a23 = FloatVector.fromArray(FS, acc, a + 14 * L), a33 = FloatVector.fromArray(FS, acc, a + 15 * L);
        for (int i = c; i < cEnd; i += L) {
            FloatVector v0 = FloatVector.fromArray(FS, x, x0 + i);
            FloatVector v1 = FloatVector.fromArray(FS, x, x1 + i);
            FloatVector v2 = FloatVector.fromArray(FS, x, x2 + i);
            FloatVector v3 = FloatVector.fromArray(FS, x, x3 + i);
            FloatVector r = FloatVector.fromArray(FS, w, p + i);
            a00 = r.fma(v0, a00);
            a01 = r.fma(v1, a01);
            a02 = r.fma(v2, a02);
            a03 = r.fma(v3, a03);
            r = FloatVector.fromArray(FS, w, p + i + BLOCK);
            a10 = r.fma(v0, a10);
            a11 = r.fma(v1, a11);
            a12 = r.fma(v2, a12);
            a13 = r.fma(v3, a13);
            r = FloatVector.fromArray(FS, w, p + i + 2 * BLOCK);
            a20 = r.fma(v0, a20);
            a21 = r.fma(v1, a21);
            a22 = r.fma(v2, a22);
            a23 = r.fma(v3, a23);
            r = FloatVector.fromArray(FS, w, p + i + 3 * BLOCK);
            a30 = r.fma(v0, a30);
            a31 = r.fma(v1, a31);
            a32 = r.fma(v2, a32);
            a33 = r.fma(v3, a33);
        }
        a00.intoArray(acc, a);
        a10.intoArray(acc, a + L);
        a20.intoArray(acc, a + 2 * L);
        a30.intoArray(acc, a + 3 * L);
        a01.intoArray(acc, a + 4 * L);
        a11.intoArray(acc, a + 5 * L);
        a21.intoArray(acc, a + 6 * L);
        a31.intoArray(acc, a + 7 * L);
        a02.intoArray(acc, a + 8 * L);
        a12.intoArray(acc, a + 9 * L);
        a22.intoArray(acc, a + 10 * L);
        a32.intoArray(acc, a + 11 * L);
        a03.intoArray(acc, a + 12 * L);
        a13.intoArray(acc, a + 13 * L);
        a23.intoArray(acc, a + 14 * L);
        a33.intoArray(acc, a + 15 * L);
    }

    /** Tokens t, t+1, columns [c, cEnd): 8 accumulators + 3 vectors fit AVX2's 16 registers. */
    private static void tile4x2(float[] w, int p, float[] x, int[] xOffs, int t, int c, int cEnd, float[] acc, int a) {
        int x0 = xOffs[t], x1 = xOffs[t + 1];
        FloatVector a00 = FloatVector.fromArray(FS, acc, a), a10 = FloatVector.fromArray(FS, acc, a + L);
        FloatVector a20 = FloatVector.fromArray(FS, acc, a + 2 * L), a30 = FloatVector.fromArray(FS, acc, a + 3 * L);
        FloatVector a01 = FloatVector.fromArray(FS, acc, a + 4 * L), a11 = FloatVector.fromArray(FS, acc, a + 5 * L);
        FloatVector a21 = FloatVector.fromArray(FS, acc, a + 6 * L), a31 = FloatVector.fromArray(FS, acc, a + 7 * L);
        for (int i = c; i < cEnd; i += L) {
            FloatVector v0 = FloatVector.fromArray(FS, x, x0 + i);
            FloatVector v1 = FloatVector.fromArray(FS, x, x1 + i);
            FloatVector r = FloatVector.fromArray(FS, w, p + i);
            a00 = r.fma(v0, a00);
            a01 = r.fma(v1, a01);
            r = FloatVector.fromArray(FS, w, p + i + BLOCK);
            a10 = r.fma(v0, a10);
            a11 = r.fma(v1, a11);
            r = FloatVector.fromArray(FS, w, p + i + 2 * BLOCK);
            a20 = r.fma(v0, a20);
            a21 = r.fma(v1, a21);
            r = FloatVector.fromArray(FS, w, p + i + 3 * BLOCK);
            a30 = r.fma(v0, a30);
            a31 = r.fma(v1, a31);
        }
        a00.intoArray(acc, a);
        a10.intoArray(acc, a + L);
        a20.intoArray(acc, a + 2 * L);
        a30.intoArray(acc, a + 3 * L);
        a01.intoArray(acc, a + 4 * L);
        a11.intoArray(acc, a + 5 * L);
        a21.intoArray(acc, a + 6 * L);
        a31.intoArray(acc, a + 7 * L);
    }

    private static void tile4x1(float[] w, int p, float[] x, int x0, int c, int cEnd, float[] acc, int a) {
        FloatVector a0 = FloatVector.fromArray(FS, acc, a), a1 = FloatVector.fromArray(FS, acc, a + L);
        FloatVector a2 = FloatVector.fromArray(FS, acc, a + 2 * L), a3 = FloatVector.fromArray(FS, acc, a + 3 * L);
        for (int i = c; i < cEnd; i += L) {
            FloatVector v = FloatVector.fromArray(FS, x, x0 + i);
            a0 = FloatVector.fromArray(FS, w, p + i).fma(v, a0);
            a1 = FloatVector.fromArray(FS, w, p + i + BLOCK).fma(v, a1);
            a2 = FloatVector.fromArray(FS, w, p + i + 2 * BLOCK).fma(v, a2);
            a3 = FloatVector.fromArray(FS, w, p + i + 3 * BLOCK).fma(v, a3);
        }
        a0.intoArray(acc, a);
        a1.intoArray(acc, a + L);
        a2.intoArray(acc, a + 2 * L);
        a3.intoArray(acc, a + 3 * L);
    }

    /** Sums the group's stored accumulators (laid out as {@link #columnBlock} says), adds the tails, stores. */
    private static void finish(
            float[] acc,
            int ao,
            int tiled,
            float[] w,
            int n,
            float[] x,
            int[] xOffs,
            int g,
            int gEnd,
            float[] out,
            int[] outOffs,
            int row,
            int bound) {
        int span = tiled * L;
        int tileTokens = (gEnd - g) / TILE_TOKENS * TILE_TOKENS;
        for (int i = 0; i < gEnd - g; i++) {
            int t = g + i;
            int j = i % TILE_TOKENS;
            for (int r = 0; r < tiled; r++) {
                int a = i < tileTokens
                        ? ao + (i - j) * span + TILE_TOKENS * (r & ~3) * L + (4 * j + (r & 3)) * L
                        : ao + i * span + r * L;
                float s = sum(FloatVector.fromArray(FS, acc, a));
                out[outOffs[t] + row + r] = tail(w, r, x, xOffs[t], bound, n, s);
            }
        }
    }

    /** {@code s} plus the products of columns {@code from..n-1} of row {@code k} of a decoded unit, in order. */
    private static float tail(float[] w, int k, float[] x, int xOff, int from, int n, float s) {
        for (int i = from; i < n; i++) s += w[unitIndex(k, i)] * x[xOff + i];
        return s;
    }

    // ---- small vector helpers of the forward pass ----

    /** {@code acc[aOff..+n) += w * x[xOff..+n)}. */
    static void addScaled(float[] acc, int aOff, float[] x, int xOff, float w, int n) {
        int bound = FS.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(FS, x, xOff + i)
                    .fma(FloatVector.broadcast(FS, w), FloatVector.fromArray(FS, acc, aOff + i))
                    .intoArray(acc, aOff + i);
        }
        for (; i < n; i++) acc[aOff + i] = Math.fma(x[xOff + i], w, acc[aOff + i]);
    }

    /** {@code sum(x[i]^2)} over {@code x[off..off+n)} with the canonical arithmetic (RMSNorm's mean square). */
    static float sumOfSquares(float[] x, int off, int n) {
        return dot(x, off, x, off, n);
    }

    /** {@code out[o + i] = x[xOff + i] * inv * scale[i]}: the same two roundings per element as the scalar loop. */
    static void scaleBy(float[] out, int o, float[] x, int xOff, float inv, float[] scale, int n) {
        int bound = FS.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(FS, x, xOff + i)
                    .mul(inv)
                    .mul(FloatVector.fromArray(FS, scale, i))
                    .intoArray(out, o + i);
        }
        for (; i < n; i++) out[o + i] = x[xOff + i] * inv * scale[i];
    }

    /**
     * Rotates the pairs {@code (x[b + i], x[b + half + i])} by the angles at {@code cos/sin[a + i]}, with the
     * scalar loop's arithmetic (two products and a difference or sum, each rounded), so every width gives the
     * same bits.
     */
    static void rotate(float[] x, int b, int half, float[] cos, float[] sin, int a) {
        int bound = FS.loopBound(half);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector x1 = FloatVector.fromArray(FS, x, b + i), x2 = FloatVector.fromArray(FS, x, b + half + i);
            FloatVector c = FloatVector.fromArray(FS, cos, a + i), s = FloatVector.fromArray(FS, sin, a + i);
            x1.mul(c).sub(x2.mul(s)).intoArray(x, b + i);
            x2.mul(c).add(x1.mul(s)).intoArray(x, b + half + i);
        }
        for (; i < half; i++) {
            float x1 = x[b + i], x2 = x[b + half + i], c = cos[a + i], s = sin[a + i];
            x[b + i] = x1 * c - x2 * s;
            x[b + half + i] = x2 * c + x1 * s;
        }
    }
}
