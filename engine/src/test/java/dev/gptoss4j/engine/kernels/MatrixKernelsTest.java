package dev.gptoss4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every encoding's dot product (vectorized and scalar) against a double-precision sum over the decoded row. */
class MatrixKernelsTest {

    static final int ROWS = 5;
    static final int COLS = 96; // three blocks of 32, and a vector tail for no species

    /** Random bytes that are a valid encoding of {@code type} (finite scales). */
    static byte[] randomEncoding(WeightType type, Random rnd) {
        ByteBuffer b = ByteBuffer.allocate((int) type.rowBytes(COLS) * ROWS).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < ROWS; r++) {
            switch (type) {
                case F32 -> {
                    for (int i = 0; i < COLS; i++) b.putFloat((float) rnd.nextGaussian());
                }
                case F16 -> {
                    for (int i = 0; i < COLS; i++) b.putShort(Float.floatToFloat16((float) rnd.nextGaussian()));
                }
                case BF16 -> {
                    for (int i = 0; i < COLS; i++)
                        b.putShort((short) (Float.floatToIntBits((float) rnd.nextGaussian()) >>> 16));
                }
                case Q8_0 -> {
                    for (int k = 0; k < COLS / 32; k++) {
                        b.putShort(Float.floatToFloat16(0.01f + rnd.nextFloat() * 0.05f));
                        for (int j = 0; j < 32; j++) b.put((byte) (rnd.nextInt(255) - 127));
                    }
                }
                case MXFP4 -> {
                    for (int k = 0; k < COLS / 32; k++) {
                        b.put((byte) (120 + rnd.nextInt(10)));
                        for (int j = 0; j < 16; j++) b.put((byte) rnd.nextInt(256));
                    }
                }
                case MXFP4_SPLIT -> {
                    for (int i = 0; i < COLS / 2; i++) b.put((byte) rnd.nextInt(256));
                }
            }
        }
        return b.array();
    }

    static Matrix matrix(WeightType type, byte[] data, byte[] scales) {
        MemorySegment seg = MemorySegment.ofArray(data);
        if (type == WeightType.MXFP4_SPLIT) {
            return Matrix.mxfp4Split(ROWS, COLS, seg, 0, MemorySegment.ofArray(scales), 0);
        }
        return Matrix.of(type, ROWS, COLS, seg, 0);
    }

    @ParameterizedTest
    @EnumSource(WeightType.class)
    void dotAgreesWithDecodedRow(WeightType type) {
        Random rnd = new Random(type.ordinal());
        byte[] scales = new byte[ROWS * COLS / 32];
        for (int i = 0; i < scales.length; i++) scales[i] = (byte) (120 + rnd.nextInt(10));
        // off-heap too: mapped weights are native segments, and the vector loads take another path there
        try (Arena arena = Arena.ofConfined()) {
            byte[] bytes = randomEncoding(type, rnd);
            MemorySegment native_ = arena.allocate(bytes.length);
            native_.copyFrom(MemorySegment.ofArray(bytes));
            Matrix heap = matrix(type, bytes, scales);
            Matrix off = type == WeightType.MXFP4_SPLIT
                    ? Matrix.mxfp4Split(ROWS, COLS, native_, 0, MemorySegment.ofArray(scales), 0)
                    : Matrix.of(type, ROWS, COLS, native_, 0);
            float[] x = new float[COLS];
            for (int i = 0; i < COLS; i++) x[i] = (float) rnd.nextGaussian();
            float[] row = new float[COLS];
            for (int r = 0; r < ROWS; r++) {
                heap.readRow(r, row);
                double exact = 0;
                double magnitude = 0;
                for (int i = 0; i < COLS; i++) {
                    exact += (double) row[i] * x[i];
                    magnitude += Math.abs((double) row[i] * x[i]);
                }
                double tol = 1e-5 * magnitude + 1e-6;
                assertEquals(exact, heap.dotScalar(r, x), tol, type + " scalar row " + r);
                assertEquals(exact, heap.dot(r, x), tol, type + " dot row " + r);
                assertEquals(exact, off.dot(r, x), tol, type + " off-heap dot row " + r);
            }
        }
    }

    @Test
    void mxfp4DecodesTheSpecValues() {
        // one ggml block: scale byte 128 (2^1), nibbles 0..15 in the low halves, 15..0 in the high halves
        byte[] block = new byte[17];
        block[0] = (byte) 128;
        for (int j = 0; j < 16; j++) block[1 + j] = (byte) (j | ((15 - j) << 4));
        float[] row = new float[32];
        Matrix.of(WeightType.MXFP4, 1, 32, MemorySegment.ofArray(block), 0).readRow(0, row);
        float[] fp4 = {0, .5f, 1, 1.5f, 2, 3, 4, 6, -0f, -.5f, -1, -1.5f, -2, -3, -4, -6};
        for (int j = 0; j < 16; j++) {
            assertEquals(2 * fp4[j], row[j], 0, "value " + j);
            assertEquals(2 * fp4[15 - j], row[16 + j], 0, "value " + (16 + j));
        }
    }

    @Test
    void mxfp4LayoutsHoldTheSameValuesAfterRepacking() {
        // safetensors: value 2k low / 2k+1 high nibble of byte k; ggml: value j low / j+16 high nibble of byte j
        Random rnd = new Random(7);
        byte[] split = new byte[16];
        rnd.nextBytes(split);
        byte scale = (byte) 125;
        int[] values = new int[32];
        for (int k = 0; k < 16; k++) {
            values[2 * k] = split[k] & 0xF;
            values[2 * k + 1] = (split[k] >> 4) & 0xF;
        }
        byte[] ggml = new byte[17];
        ggml[0] = scale;
        for (int j = 0; j < 16; j++) ggml[1 + j] = (byte) (values[j] | (values[j + 16] << 4));
        float[] a = new float[32];
        float[] b = new float[32];
        Matrix.mxfp4Split(1, 32, MemorySegment.ofArray(split), 0, MemorySegment.ofArray(new byte[] {scale}), 0)
                .readRow(0, a);
        Matrix.of(WeightType.MXFP4, 1, 32, MemorySegment.ofArray(ggml), 0).readRow(0, b);
        assertArrayEquals(a, b);
    }

    @Test
    void stridedViewsPickInterleavedRows() {
        float[] values = new float[6 * 32];
        for (int i = 0; i < values.length; i++) values[i] = i;
        MemorySegment seg = MemorySegment.ofArray(values);
        Matrix all = Matrix.of(WeightType.F32, 6, 32, seg, 0);
        Matrix odd = all.everyNthRow(1, 2);
        Matrix middle = all.rowRange(2, 3);
        float[] row = new float[32];
        odd.readRow(2, row);
        assertEquals(5 * 32, row[0]);
        middle.readRow(0, row);
        assertEquals(2 * 32, row[0]);
        assertEquals(3, odd.rows());
    }

    @Test
    void outOfRangeMatricesAreRejected() {
        MemorySegment seg = MemorySegment.ofArray(new byte[100]);
        assertThrows(IllegalArgumentException.class, () -> Matrix.of(WeightType.F32, 2, 32, seg, 0));
        assertThrows(IllegalArgumentException.class, () -> Matrix.of(WeightType.Q8_0, 1, 33, seg, 0));
        assertThrows(IllegalArgumentException.class, () -> Matrix.of(WeightType.F32, 1, 8, seg, 90));
    }

    @Test
    void bf16AndF16Conversions() {
        assertEquals(1.0f, Fp.bf16ToFloat((short) 0x3F80));
        assertEquals(-2.0f, Fp.bf16ToFloat((short) 0xC000));
        assertEquals(1.0f, Fp.f16ToFloat((short) 0x3C00));
        assertEquals(0.5f, Fp.e8m0ToFloat((byte) 126));
        assertEquals(ValueLayout.JAVA_FLOAT.byteSize(), 4);
    }
}
