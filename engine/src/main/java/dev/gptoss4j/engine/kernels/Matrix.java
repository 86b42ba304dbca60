package dev.gptoss4j.engine.kernels;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A row-major matrix of weights used in place in a (mapped) memory segment, in one of the {@link WeightType}
 * encodings. Rows may be strided, so that one view can pick every other row of an interleaved tensor (the
 * gate and linear halves of gpt-oss's fused expert projection) or a range of rows of a fused one (q, k, v).
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class Matrix {

    private final WeightType type;
    private final int rows;
    private final int cols;
    private final MemorySegment data;
    private final long offset;
    private final long rowStride;
    private final MemorySegment scales;
    private final long scaleOffset;
    private final long scaleRowStride;

    private Matrix(
            WeightType type,
            int rows,
            int cols,
            MemorySegment data,
            long offset,
            long rowStride,
            MemorySegment scales,
            long scaleOffset,
            long scaleRowStride) {
        this.type = type;
        this.rows = rows;
        this.cols = cols;
        this.data = data;
        this.offset = offset;
        this.rowStride = rowStride;
        this.scales = scales;
        this.scaleOffset = scaleOffset;
        this.scaleRowStride = scaleRowStride;
    }

    /**
     * A dense matrix starting at {@code offset} of {@code data}. Checks that every byte it will read lies inside
     * the segment, so a wrong shape fails here, not as an access fault later.
     */
    public static Matrix of(WeightType type, int rows, int cols, MemorySegment data, long offset) {
        Objects.requireNonNull(type, "type");
        if (type == WeightType.MXFP4_SPLIT) {
            throw new IllegalArgumentException("MXFP4_SPLIT needs its scales: use mxfp4Split");
        }
        checkShape(type, rows, cols);
        long rowBytes = type.rowBytes(cols);
        checkRange(data, offset, rowBytes * rows, "matrix data");
        // a ggml MXFP4 block starts with its scale byte: the scales are the data itself, at the rows' stride
        boolean ggml = type == WeightType.MXFP4;
        return new Matrix(
                type, rows, cols, data, offset, rowBytes, ggml ? data : null, ggml ? offset : 0, ggml ? rowBytes : 0);
    }

    /** An MXFP4 matrix in the safetensors layout: 16-byte blocks in {@code blocks}, one scale byte each in {@code scales}. */
    public static Matrix mxfp4Split(
            int rows, int cols, MemorySegment blocks, long blocksOffset, MemorySegment scales, long scalesOffset) {
        checkShape(WeightType.MXFP4_SPLIT, rows, cols);
        long rowBytes = WeightType.MXFP4_SPLIT.rowBytes(cols);
        long scaleRow = cols / 32;
        checkRange(blocks, blocksOffset, rowBytes * rows, "MXFP4 blocks");
        checkRange(scales, scalesOffset, scaleRow * rows, "MXFP4 scales");
        return new Matrix(
                WeightType.MXFP4_SPLIT, rows, cols, blocks, blocksOffset, rowBytes, scales, scalesOffset, scaleRow);
    }

    private static void checkShape(WeightType type, int rows, int cols) {
        if (rows <= 0 || cols <= 0) throw new IllegalArgumentException("bad shape " + rows + "x" + cols);
        if (cols % type.blockSize() != 0) {
            throw new IllegalArgumentException(
                    type + " rows need a multiple of " + type.blockSize() + " columns, got " + cols);
        }
    }

    private static void checkRange(MemorySegment seg, long offset, long length, String what) {
        if (offset < 0 || length < 0 || offset > seg.byteSize() - length) {
            throw new IllegalArgumentException(
                    what + " [" + offset + ", +" + length + ") lies outside its " + seg.byteSize() + "-byte segment");
        }
    }

    /** Rows {@code from .. from+count-1} of this matrix. */
    public Matrix rowRange(int from, int count) {
        Objects.checkFromIndexSize(from, count, rows);
        return new Matrix(
                type,
                count,
                cols,
                data,
                offset + from * rowStride,
                rowStride,
                scales,
                scaleOffset + from * scaleRowStride,
                scaleRowStride);
    }

    /** Rows {@code first, first+step, first+2*step, ...} of this matrix. */
    public Matrix everyNthRow(int first, int step) {
        if (step <= 0 || first < 0 || first >= step || rows % step != 0) {
            throw new IllegalArgumentException(
                    "cannot take every " + step + "th row from " + first + " of " + rows + " rows");
        }
        return new Matrix(
                type,
                rows / step,
                cols,
                data,
                offset + first * rowStride,
                rowStride * step,
                scales,
                scaleOffset + first * scaleRowStride,
                scaleRowStride * step);
    }

    public WeightType type() {
        return type;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /**
     * Dot product of row {@code row} with {@code x[0..cols)} (natural order), with the same arithmetic as
     * {@link #matvec}. Allocates; the forward pass uses {@link #matvec} and {@link #matmul}.
     */
    public float dot(int row, float[] x) {
        float[] in = x;
        if (permutesInput()) {
            in = new float[cols];
            permuteInput(x, 0, in, 0);
        }
        float[] out = new float[1];
        rowRange(row, 1).matvec(in, 0, out, 0, 0, 1, new float[scratchSize()]);
        return out[0];
    }

    /** The plain scalar dot product: the reference the vectorized kernels are tested against. */
    public float dotScalar(int row, float[] x) {
        long base = offset + row * rowStride;
        return switch (type) {
            case F32 -> ScalarKernels.dotF32(data, base, x, cols);
            case BF16 -> ScalarKernels.dotBf16(data, base, x, cols);
            case F16 -> ScalarKernels.dotF16(data, base, x, cols);
            case Q8_0 -> ScalarKernels.dotQ8_0(data, base, x, cols);
            case MXFP4 -> ScalarKernels.dotMxfp4(data, base, x, cols);
            case MXFP4_SPLIT ->
                ScalarKernels.dotMxfp4Split(data, base, scales, scaleOffset + row * scaleRowStride, x, cols);
        };
    }

    /**
     * Whether the kernels read their input in another order than the natural one: the safetensors MXFP4 layout
     * packs values 2k and 2k+1 into one byte, so its kernels take each 32-value block's even values, then its odd
     * ones (one cheap reordering of the input instead of an interleave per block and row); at 4 vector lanes both
     * MXFP4 layouts read each block in the order their 128-bit decoding produces.
     */
    public boolean permutesInput() {
        return type == WeightType.MXFP4_SPLIT || type == WeightType.MXFP4 && VectorKernels.MXFP4_PERMUTED;
    }

    /** Copies {@code x[xOff..xOff+cols)} to {@code dst[dOff..)} in the order the kernels read it. */
    public void permuteInput(float[] x, int xOff, float[] dst, int dOff) {
        if (!permutesInput()) {
            System.arraycopy(x, xOff, dst, dOff, cols);
            return;
        }
        for (int j = 0; j < cols; j++) dst[dOff + inputPosition(j)] = x[xOff + j];
    }

    /** Where input element {@code j} goes in kernel order. */
    public int inputPosition(int j) {
        if (!permutesInput()) return j;
        int k = j & 31;
        // the value's nibble (0 low, 1 high) and byte within its block
        int nibble = type == WeightType.MXFP4 ? k >> 4 : k & 1;
        int b = type == WeightType.MXFP4 ? k & 15 : k >> 1;
        int inBlock = VectorKernels.MXFP4_PERMUTED ? 16 * nibble + 4 * (b & 3) + (b >> 2) : 16 * nibble + b;
        return j - k + inBlock;
    }

    /**
     * Rows {@link #matmul} decodes at once; callers that split a matrix among workers use units of this many rows
     * so each call fills the kernel's tile.
     */
    public static final int TILE_ROWS = VectorKernels.TILE_ROWS;

    /** Floats of scratch {@link #matvec} and {@link #matmul} need: {@link #TILE_ROWS} decoded rows, accumulators. */
    public int scratchSize() {
        return scratchSize(cols);
    }

    /** {@link #scratchSize()} of a matrix with {@code cols} columns. */
    public static int scratchSize(int cols) {
        return unitSize(cols) + VectorKernels.ACCUMULATORS;
    }

    /** Floats a unit of {@link #TILE_ROWS} decoded rows takes (the vector kernels' layout pads its column blocks). */
    private static int unitSize(int cols) {
        return Math.max(TILE_ROWS * cols, VectorKernels.unitSize(cols));
    }

    /**
     * {@code out[outOff + r] = row r . x[xOff..)} for rows {@code from .. to-1}, the input in kernel order (see
     * {@link #permuteInput}); decodes on the fly where a fused kernel exists. Every element is computed exactly
     * as {@link #matmul} computes it.
     */
    public void matvec(float[] x, int xOff, float[] out, int outOff, int from, int to, float[] scratch) {
        if (VectorKernels.ENABLED) {
            switch (type) {
                case F32 -> VectorKernels.matvecF32(data, offset, rowStride, x, xOff, cols, out, outOff, from, to);
                case BF16 -> VectorKernels.matvecBf16(data, offset, rowStride, x, xOff, cols, out, outOff, from, to);
                case MXFP4, MXFP4_SPLIT ->
                    VectorKernels.matvecMxfp4(
                            data,
                            offset,
                            rowStride,
                            blockStride(),
                            qsOffset(),
                            scales,
                            scaleOffset,
                            scaleRowStride,
                            scaleStride(),
                            x,
                            xOff,
                            cols,
                            out,
                            outOff,
                            from,
                            to);
                case F16, Q8_0 -> matvecDecoded(x, xOff, out, outOff, from, to, scratch);
            }
            return;
        }
        for (int r = from; r < to; r++) {
            decodeRows(r, 1, scratch, 0);
            out[outOff + r] = ScalarKernels.dot(scratch, 0, x, xOff, cols);
        }
    }

    /**
     * For rows {@code from .. to-1} and tokens {@code t = first .. first+count-1}:
     * {@code out[outOffs[t] + r] = row r . x[xOffs[t]..)}, inputs in kernel order. Rows are decoded once,
     * {@link #TILE_ROWS} at a time, and reused across the tokens; a single token takes the {@link #matvec} path.
     * Results are bit-identical to {@link #matvec} whatever {@code count}.
     */
    public void matmul(
            float[] x,
            int[] xOffs,
            int first,
            int count,
            float[] out,
            int[] outOffs,
            int from,
            int to,
            float[] scratch) {
        if (count == 1) {
            matvec(x, xOffs[first], out, outOffs[first], from, to, scratch);
            return;
        }
        if (type == WeightType.BF16 && VectorKernels.FEW_TOKENS_FUSED && count <= FEW_TOKENS) {
            // a few tokens (sequences decoding together): stream the rows once, decoding in registers
            // four at a time (a repeated input pads three), two as a pair, one alone: measured best at 512 and
            // 256 bits alike, the four-input kernel's spills on AVX2 costing less than a second pass over the rows
            int end = first + count;
            if (count > 4) {
                // five to eight: one pass of the eight-input kernel (32 registers only, see FEW_TOKENS)
                VectorKernels.matvecBf16x8(
                        data,
                        offset,
                        rowStride,
                        x,
                        padded(xOffs, first, count, 8),
                        cols,
                        out,
                        padded(outOffs, first, count, 8),
                        from,
                        to,
                        scratch);
                return;
            }
            for (int t = first; t < end; ) {
                int left = end - t;
                if (left >= 3) {
                    VectorKernels.matvecBf16x4(
                            data,
                            offset,
                            rowStride,
                            x,
                            padded(xOffs, t, left, 4),
                            cols,
                            out,
                            padded(outOffs, t, left, 4),
                            from,
                            to,
                            scratch);
                    t += 4;
                } else if (left == 2) {
                    VectorKernels.matvecBf16x2(
                            data,
                            offset,
                            rowStride,
                            x,
                            padded(xOffs, t, 2, 2),
                            cols,
                            out,
                            padded(outOffs, t, 2, 2),
                            from,
                            to,
                            scratch);
                    t += 2;
                } else {
                    matvec(x, xOffs[t], out, outOffs[t], from, to, scratch);
                    t++;
                }
            }
            return;
        }
        if (isMxfp4() && count <= FEW_TOKENS_MXFP4) {
            // an expert chosen by a few of the sequences decoding together: each block decoded once for all
            if (count == 2) mxfp4Few(2, x, padded(xOffs, first, 2, 2), out, padded(outOffs, first, 2, 2), from, to);
            else mxfp4Few(4, x, padded(xOffs, first, count, 4), out, padded(outOffs, first, count, 4), from, to);
            return;
        }
        matmulDecoded(x, xOffs, first, count, out, outOffs, from, to, scratch);
    }

    private boolean isMxfp4() {
        return type == WeightType.MXFP4 || type == WeightType.MXFP4_SPLIT;
    }

    /** Two or four inputs through the fused MXFP4 kernels (a repeated input pads three to four). */
    private void mxfp4Few(int inputs, float[] x, int[] xo, float[] out, int[] oo, int from, int to) {
        if (inputs == 2) {
            VectorKernels.matvecMxfp4x2(
                    data,
                    offset,
                    rowStride,
                    blockStride(),
                    qsOffset(),
                    scales,
                    scaleOffset,
                    scaleRowStride,
                    scaleStride(),
                    x,
                    xo,
                    cols,
                    out,
                    oo,
                    from,
                    to);
        } else {
            VectorKernels.matvecMxfp4x4(
                    data,
                    offset,
                    rowStride,
                    blockStride(),
                    qsOffset(),
                    scales,
                    scaleOffset,
                    scaleRowStride,
                    scaleStride(),
                    x,
                    xo,
                    cols,
                    out,
                    oo,
                    from,
                    to);
        }
    }

    // MXFP4 blocks: ggml's are 17 bytes, the scale byte then 16 bytes of nibbles; the split layout's are the 16
    // bytes alone, the scale bytes in a tensor of their own
    private long blockStride() {
        return type == WeightType.MXFP4 ? 17 : 16;
    }

    private long qsOffset() {
        return type == WeightType.MXFP4 ? 1 : 0;
    }

    private long scaleStride() {
        return type == WeightType.MXFP4 ? 17 : 1;
    }

    /**
     * Up to this many tokens {@link #matmul} runs MXFP4 rows through the fused few-token kernels (each block
     * decoded once in registers for two or four inputs) instead of decoding them to a scratch first: at 512 bits
     * up to four (single-thread, 5760 x 2880: two tokens 2.6 against 5.4 ns a block and row decoded, four 4.5
     * against 7.5), at 256 bits two (7.8 against 8.6; three and four were no faster than decoded), none at 128
     * (the few-token kernels read blocks in natural order, not in the permuted order of 4 lanes). These are the
     * experts that a few of the sequences decoding together chose.
     */
    static final int FEW_TOKENS_MXFP4 =
            Integer.getInteger("gptoss.fewTokensMxfp4", VectorKernels.L >= 16 ? 4 : VectorKernels.L >= 8 ? 2 : 0);

    /**
     * Up to this many tokens {@link #matmul} streams bf16 rows once, decoding in registers, instead of decoding
     * them to a scratch first: eight where there are 32 vector registers, four with 16 (AVX2), beyond which the
     * decoded tiles were faster (single-thread CPU time, 65536 x 2880).
     */
    static final int FEW_TOKENS = Integer.getInteger("gptoss.fewTokens", VectorKernels.TILE_TOKENS == 4 ? 8 : 4);

    /**
     * Offsets {@code offs[first ..]} of {@code count} tokens, padded to {@code width} by repeating the last: a
     * padding input is computed again and stored where the real one goes, with the same value.
     */
    private static int[] padded(int[] offs, int first, int count, int width) {
        int[] p = new int[width];
        for (int k = 0; k < width; k++) p[k] = offs[first + Math.min(k, count - 1)];
        return p;
    }

    /** No fused kernel: decode a unit of rows (vectorized), then four rows at a time against the one input. */
    private void matvecDecoded(float[] x, int xOff, float[] out, int outOff, int from, int to, float[] scratch) {
        for (int r = from; r < to; r += TILE_ROWS) {
            int n = Math.min(TILE_ROWS, to - r);
            decodeUnit(r, n, scratch);
            VectorKernels.dotRows(scratch, n, cols, x, xOff, out, outOff + r);
        }
    }

    private void matmulDecoded(
            float[] x,
            int[] xOffs,
            int first,
            int count,
            float[] out,
            int[] outOffs,
            int from,
            int to,
            float[] scratch) {
        for (int r = from; r < to; r += TILE_ROWS) {
            int n = Math.min(TILE_ROWS, to - r);
            if (VectorKernels.ENABLED) {
                decodeUnit(r, n, scratch);
                VectorKernels.gemm(scratch, n, cols, x, xOffs, first, count, out, outOffs, r, scratch, unitSize(cols));
            } else {
                decodeRows(r, n, scratch, 0);
                for (int k = 0; k < n; k++) {
                    for (int t = first; t < first + count; t++) {
                        out[outOffs[t] + r + k] = ScalarKernels.dot(scratch, k * cols, x, xOffs[t], cols);
                    }
                }
            }
        }
    }

    /**
     * Decodes rows {@code row .. row+count-1} (at most {@link #TILE_ROWS}) for the vector kernels, in kernel order,
     * laid out by column blocks as {@code VectorKernels.unitIndex} says.
     */
    private void decodeUnit(int row, int count, float[] dst) {
        int block = VectorKernels.BLOCK;
        for (int k = 0; k < count; k++) {
            for (int c = 0; c < cols; c += block) {
                decodeColumns(row + k, c, Math.min(cols, c + block), dst, VectorKernels.unitIndex(k, c));
            }
        }
    }

    /**
     * Columns {@code c0 .. c1-1} of row {@code r} ({@code c0} a multiple of the encoding's block), decoded by the
     * vector kernels in kernel order to {@code dst[o..)}.
     */
    private void decodeColumns(int r, int c0, int c1, float[] dst, int o) {
        long base = offset + r * rowStride;
        int n = c1 - c0;
        switch (type) {
            case F32 -> ScalarKernels.rowF32(data, base + 4L * c0, dst, o, n);
            case BF16 -> VectorKernels.decodeBf16(data, base + 2L * c0, n, dst, o);
            case F16 -> VectorKernels.decodeF16(data, base + 2L * c0, n, dst, o);
            case Q8_0 -> VectorKernels.decodeQ8_0(data, base + type.rowBytes(c0), n / 32, dst, o);
            case MXFP4, MXFP4_SPLIT -> {
                int b0 = c0 / 32;
                VectorKernels.decodeMxfp4(
                        data,
                        base + blockStride() * b0,
                        blockStride(),
                        qsOffset(),
                        scales,
                        scaleOffset + r * scaleRowStride + scaleStride() * b0,
                        scaleStride(),
                        n / 32,
                        dst,
                        o);
            }
        }
    }

    /** Decodes rows {@code row .. row+count-1} exactly to float32, in kernel order, to {@code dst[dOff..)}. */
    public void decodeRows(int row, int count, float[] dst, int dOff) {
        for (int k = 0; k < count; k++) {
            int r = row + k;
            int o = dOff + k * cols;
            if (VectorKernels.ENABLED) {
                decodeColumns(r, 0, cols, dst, o);
                continue;
            }
            long base = offset + r * rowStride;
            switch (type) {
                case F32 -> ScalarKernels.rowF32(data, base, dst, o, cols);
                case BF16 -> ScalarKernels.rowBf16(data, base, dst, o, cols);
                case F16 -> ScalarKernels.rowF16(data, base, dst, o, cols);
                case Q8_0 -> ScalarKernels.rowQ8_0(data, base, dst, o, cols);
                case MXFP4 -> ScalarKernels.rowMxfp4(data, base, dst, o, cols);
                case MXFP4_SPLIT ->
                    ScalarKernels.rowMxfp4SplitKernelOrder(
                            data, base, scales, scaleOffset + r * scaleRowStride, dst, o, cols);
            }
        }
    }

    /** Decodes row {@code row} to float32 into {@code out[0..cols)}, in natural order. */
    public void readRow(int row, float[] out) {
        readRow(row, out, 0);
    }

    /** Decodes row {@code row} to float32 into {@code out[off..off+cols)}, in natural order. */
    public void readRow(int row, float[] out, int off) {
        long base = offset + row * rowStride;
        switch (type) {
            case F32 -> ScalarKernels.rowF32(data, base, out, off, cols);
            case BF16 -> ScalarKernels.rowBf16(data, base, out, off, cols);
            case F16 -> ScalarKernels.rowF16(data, base, out, off, cols);
            case Q8_0 -> ScalarKernels.rowQ8_0(data, base, out, off, cols);
            case MXFP4 -> ScalarKernels.rowMxfp4(data, base, out, off, cols);
            case MXFP4_SPLIT ->
                ScalarKernels.rowMxfp4Split(data, base, scales, scaleOffset + row * scaleRowStride, out, off, cols);
        }
    }

    /** Bytes of weight data (scales included) one pass over all rows reads. */
    public long byteSize() {
        long bytes = type.rowBytes(cols) * rows;
        if (type == WeightType.MXFP4_SPLIT) bytes += (long) rows * (cols / 32);
        return bytes;
    }

    /** Decodes the whole matrix; meant for small tensors (biases, norms) and tests, never for the big weights. */
    public float[] toFloatArray() {
        float[] all = new float[Math.multiplyExact(rows, cols)];
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            readRow(r, row);
            System.arraycopy(row, 0, all, r * cols, cols);
        }
        return all;
    }

    @Override
    public String toString() {
        return "Matrix[" + type + " " + rows + "x" + cols + "]";
    }
}
