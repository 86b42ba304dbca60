package dev.gptoss4j.engine.synth;

import java.nio.ByteBuffer;

/**
 * The bytes of one tensor, produced on demand a range of rows at a time, so that a writer can stream a
 * tensor of any size to disk (and produce several ranges in parallel) without holding it in memory.
 * A row is the tensor's unit of layout: one innermost-dimension line (for block-quantized types, its blocks).
 */
public interface TensorData {

    /** Number of rows. */
    long rows();

    /** Bytes in one row. */
    int rowBytes();

    /**
     * Puts the bytes of rows {@code [firstRow, firstRow + count)} at the buffer's position, advancing it by
     * exactly {@code count * rowBytes()}. Called concurrently for disjoint ranges.
     */
    void fill(long firstRow, int count, ByteBuffer out);

    default long byteSize() {
        return rows() * rowBytes();
    }
}
