package dev.gptoss4j.engine.kernels;

/**
 * How the values of one weight matrix are stored in the mapped file. Matrices are used in place in these
 * encodings; nothing is dequantized wholesale.
 */
public enum WeightType {
    /** IEEE float32, 4 bytes a value. */
    F32(1, 4),
    /** IEEE float16, 2 bytes a value. */
    F16(1, 2),
    /** bfloat16 (the top half of a float32), 2 bytes a value. */
    BF16(1, 2),
    /** ggml Q8_0: blocks of 32 values, a float16 scale then 32 signed bytes (34 bytes). */
    Q8_0(32, 34),
    /**
     * ggml MXFP4: blocks of 32 values, one E8M0 scale byte then 16 bytes; value j is the low nibble of byte j,
     * value j+16 the high nibble (17 bytes).
     */
    MXFP4(32, 17),
    /**
     * MXFP4 as the safetensors checkpoints store it: 16-byte blocks in one tensor (value 2k is the low nibble of
     * byte k, value 2k+1 the high nibble) and the E8M0 scales in another tensor, one byte a block.
     */
    MXFP4_SPLIT(32, 16);

    private final int blockSize;
    private final int blockBytes;

    WeightType(int blockSize, int blockBytes) {
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /** Values per block (1 for the plain float types). */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block in the main data (for {@link #MXFP4_SPLIT} not counting the separate scale byte). */
    public int blockBytes() {
        return blockBytes;
    }

    /** Bytes one row of {@code cols} values takes in the main data; {@code cols} must be a multiple of the block. */
    public long rowBytes(long cols) {
        return cols / blockSize * blockBytes;
    }
}
