package dev.gptoss4j.engine.synth;

import java.nio.ByteBuffer;

/**
 * A floating-point tensor encoded as F32, F16, BF16 or Q8_0. Row {@code r}, column {@code c} holds the
 * field's value at {@code r * rowStride + offset + c * columnStride}: identity for most tensors, every
 * other element for the gate or up half of gpt-oss's interleaved {@code gate_up_proj_bias}.
 */
final class FloatTensorData implements TensorData {

    private final FloatField field;
    private final long rows;
    private final int columns;
    private final long rowStride;
    private final long offset;
    private final int columnStride;
    private final GgufType encoding;

    FloatTensorData(
            FloatField field,
            long rows,
            int columns,
            long rowStride,
            long offset,
            int columnStride,
            GgufType encoding) {
        if (encoding == GgufType.MXFP4) throw new IllegalArgumentException("MXFP4 tensors are not float fields");
        this.field = field;
        this.rows = rows;
        this.columns = columns;
        this.rowStride = rowStride;
        this.offset = offset;
        this.columnStride = columnStride;
        this.encoding = encoding;
    }

    /** A tensor laid out as the field itself: {@code rows x columns}, row-major. */
    static FloatTensorData plain(FloatField field, long rows, int columns, GgufType encoding) {
        return new FloatTensorData(field, rows, columns, columns, 0, 1, encoding);
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public int rowBytes() {
        return encoding.rowBytes(columns, "float tensor");
    }

    @Override
    public void fill(long firstRow, int count, ByteBuffer out) {
        float[] row = new float[columns];
        for (long r = firstRow; r < firstRow + count; r++) {
            long base = r * rowStride + offset;
            for (int c = 0; c < columns; c++) row[c] = field.at(base + (long) c * columnStride);
            switch (encoding) {
                case F32 -> {
                    for (float v : row) out.putFloat(v);
                }
                case BF16 -> {
                    for (float v : row) out.putShort(FloatFormats.bf16(v));
                }
                case F16 -> {
                    for (float v : row) out.putShort(FloatFormats.f16(v));
                }
                case Q8_0 -> putQ8_0(row, out);
                case MXFP4 -> throw new IllegalStateException("unreachable");
            }
        }
    }

    /** ggml's Q8_0: per 32 values, the f16 scale amax / 127, then round(value / scale) as int8. */
    private static void putQ8_0(float[] row, ByteBuffer out) {
        for (int b = 0; b < row.length; b += 32) {
            float amax = 0;
            for (int i = b; i < b + 32; i++) amax = Math.max(amax, Math.abs(row[i]));
            float d = amax / 127.0f;
            float id = d != 0 ? 1.0f / d : 0.0f;
            out.putShort(FloatFormats.f16(d));
            for (int i = b; i < b + 32; i++) out.put((byte) Math.round(row[i] * id));
        }
    }
}
