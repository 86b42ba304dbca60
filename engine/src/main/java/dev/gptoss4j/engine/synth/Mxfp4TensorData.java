package dev.gptoss4j.engine.synth;

import java.nio.ByteBuffer;

/**
 * One MXFP4 expert tensor, in one of three layouts. Rows are expert output rows; row {@code r} of expert
 * {@code e = r / rowsPerExpert} is row {@code (r % rowsPerExpert) * rowStep + rowOffset} of that expert in
 * the Hugging Face tensor, so GGUF's separate gate and up tensors take the even and odd rows of the
 * interleaved {@code gate_up_proj}.
 */
final class Mxfp4TensorData implements TensorData {

    enum Layout {
        /** Hugging Face {@code *_blocks}: 16 bytes per block, value 2j in the low nibble of byte j, 2j+1 in its high nibble. */
        HF_BLOCKS,
        /** Hugging Face {@code *_scales}: one E8M0 byte per block. */
        HF_SCALES,
        /** ggml's {@code block_mxfp4}: the E8M0 byte, then 16 bytes with value j low and value j+16 high in byte j. */
        GGML
    }

    private static final long LOW_NIBBLES = 0x0F0F0F0F0F0F0F0FL;
    private static final long HIGH_NIBBLES = 0xF0F0F0F0F0F0F0F0L;

    private final Mxfp4Field field;
    private final Layout layout;
    private final int experts;
    private final int rowsPerExpert;
    private final int hfRowsPerExpert;
    private final int rowStep;
    private final int rowOffset;
    private final int blocksPerRow;

    Mxfp4TensorData(
            Mxfp4Field field,
            Layout layout,
            int experts,
            int rowsPerExpert,
            int hfRowsPerExpert,
            int rowStep,
            int rowOffset,
            int columns) {
        this.field = field;
        this.layout = layout;
        this.experts = experts;
        this.rowsPerExpert = rowsPerExpert;
        this.hfRowsPerExpert = hfRowsPerExpert;
        this.rowStep = rowStep;
        this.rowOffset = rowOffset;
        this.blocksPerRow = columns / SynthConfig.MXFP4_BLOCK;
    }

    @Override
    public long rows() {
        return (long) experts * rowsPerExpert;
    }

    @Override
    public int rowBytes() {
        return blocksPerRow
                * switch (layout) {
                    case HF_BLOCKS -> 16;
                    case HF_SCALES -> 1;
                    case GGML -> 17;
                };
    }

    @Override
    public void fill(long firstRow, int count, ByteBuffer out) {
        for (long r = firstRow; r < firstRow + count; r++) {
            long hfRow = r / rowsPerExpert * hfRowsPerExpert + (r % rowsPerExpert) * rowStep + rowOffset;
            long block = hfRow * blocksPerRow;
            for (int k = 0; k < blocksPerRow; k++, block++) {
                switch (layout) {
                    case HF_BLOCKS -> out.putLong(field.low(block)).putLong(field.high(block));
                    case HF_SCALES -> out.put(field.scale(block));
                    case GGML -> {
                        long lo = field.low(block);
                        long hi = field.high(block);
                        out.put(field.scale(block));
                        out.putLong(Long.expand(lo & 0xffffffffL, LOW_NIBBLES)
                                | Long.expand(hi & 0xffffffffL, HIGH_NIBBLES));
                        out.putLong(Long.expand(lo >>> 32, LOW_NIBBLES) | Long.expand(hi >>> 32, HIGH_NIBBLES));
                    }
                }
            }
        }
    }
}
