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

    private Matrix(WeightType type, int rows, int cols, MemorySegment data, long offset, long rowStride,
                   MemorySegment scales, long scaleOffset, long scaleRowStride) {
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
        return new Matrix(type, rows, cols, data, offset, rowBytes, null, 0, 0);
    }

    /** An MXFP4 matrix in the safetensors layout: 16-byte blocks in {@code blocks}, one scale byte each in {@code scales}. */
    public static Matrix mxfp4Split(int rows, int cols, MemorySegment blocks, long blocksOffset,
                                    MemorySegment scales, long scalesOffset) {
        checkShape(WeightType.MXFP4_SPLIT, rows, cols);
        long rowBytes = WeightType.MXFP4_SPLIT.rowBytes(cols);
        long scaleRow = cols / 32;
        checkRange(blocks, blocksOffset, rowBytes * rows, "MXFP4 blocks");
        checkRange(scales, scalesOffset, scaleRow * rows, "MXFP4 scales");
        return new Matrix(WeightType.MXFP4_SPLIT, rows, cols, blocks, blocksOffset, rowBytes,
                scales, scalesOffset, scaleRow);
    }

    private static void checkShape(WeightType type, int rows, int cols) {
        if (rows <= 0 || cols <= 0) throw new IllegalArgumentException("bad shape " + rows + "x" + cols);
        if (cols % type.blockSize() != 0) {
            throw new IllegalArgumentException(type + " rows need a multiple of " + type.blockSize()
                    + " columns, got " + cols);
        }
    }

    private static void checkRange(MemorySegment seg, long offset, long length, String what) {
        if (offset < 0 || length < 0 || offset > seg.byteSize() - length) {
            throw new IllegalArgumentException(what + " [" + offset + ", +" + length + ") lies outside its "
                    + seg.byteSize() + "-byte segment");
        }
    }

    /** Rows {@code from .. from+count-1} of this matrix. */
    public Matrix rowRange(int from, int count) {
        Objects.checkFromIndexSize(from, count, rows);
        return new Matrix(type, count, cols, data, offset + from * rowStride, rowStride,
                scales, scaleOffset + from * scaleRowStride, scaleRowStride);
    }

    /** Rows {@code first, first+step, first+2*step, ...} of this matrix. */
    public Matrix everyNthRow(int first, int step) {
        if (step <= 0 || first < 0 || first >= step || rows % step != 0) {
            throw new IllegalArgumentException("cannot take every " + step + "th row from " + first
                    + " of " + rows + " rows");
        }
        return new Matrix(type, rows / step, cols, data, offset + first * rowStride, rowStride * step,
                scales, scaleOffset + first * scaleRowStride, scaleRowStride * step);
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

    /** Dot product of row {@code row} with {@code x[0..cols)}, float32 accumulation; uses the Vector API where it can. */
    public float dot(int row, float[] x) {
        long base = offset + row * rowStride;
        return switch (type) {
            case F32 -> VectorKernels.ENABLED ? VectorKernels.dotF32(data, base, x, cols)
                    : ScalarKernels.dotF32(data, base, x, cols);
            case BF16 -> VectorKernels.ENABLED ? VectorKernels.dotBf16(data, base, x, cols)
                    : ScalarKernels.dotBf16(data, base, x, cols);
            case F16 -> ScalarKernels.dotF16(data, base, x, cols);
            case Q8_0 -> ScalarKernels.dotQ8_0(data, base, x, cols);
            case MXFP4 -> VectorKernels.ENABLED ? VectorKernels.dotMxfp4(data, base, x, cols)
                    : ScalarKernels.dotMxfp4(data, base, x, cols);
            case MXFP4_SPLIT -> ScalarKernels.dotMxfp4Split(data, base, scales,
                    scaleOffset + row * scaleRowStride, x, cols);
        };
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
            case MXFP4_SPLIT -> ScalarKernels.dotMxfp4Split(data, base, scales,
                    scaleOffset + row * scaleRowStride, x, cols);
        };
    }

    /** {@code out[r] = row r . x} for rows {@code from .. to-1}. */
    public void matvec(float[] x, float[] out, int from, int to) {
        for (int r = from; r < to; r++) out[r] = dot(r, x);
    }

    /** Decodes row {@code row} to float32 into {@code out[0..cols)}. */
    public void readRow(int row, float[] out) {
        long base = offset + row * rowStride;
        switch (type) {
            case F32 -> ScalarKernels.rowF32(data, base, out, cols);
            case BF16 -> ScalarKernels.rowBf16(data, base, out, cols);
            case F16 -> ScalarKernels.rowF16(data, base, out, cols);
            case Q8_0 -> ScalarKernels.rowQ8_0(data, base, out, cols);
            case MXFP4 -> ScalarKernels.rowMxfp4(data, base, out, cols);
            case MXFP4_SPLIT -> ScalarKernels.rowMxfp4Split(data, base, scales,
                    scaleOffset + row * scaleRowStride, out, cols);
        }
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
