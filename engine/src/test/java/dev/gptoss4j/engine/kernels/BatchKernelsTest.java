package dev.gptoss4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The matrix-vector kernels (decoding on the fly) and the matrix-matrix kernels (rows decoded once, reused across
 * tokens) must give bit-identical results for every token whatever the batch size: batched prefill and speculative
 * verification rely on it to produce exactly the tokens of one-at-a-time decoding. Both must also agree with a
 * double-precision reference on the naturally ordered input.
 */
class BatchKernelsTest {

    static final int ROWS = 11; // not a multiple of the 4-row tiles nor of the 2-row groups
    static final int COLS = 96;

    @ParameterizedTest
    @EnumSource(WeightType.class)
    void matmulEqualsMatvecBitForBitAtEveryBatchSize(WeightType type) {
        Random rnd = new Random(31 + type.ordinal());
        try (Arena arena = Arena.ofConfined()) {
            Matrix m = randomMatrix(type, rnd, arena);
            for (int tokens = 1; tokens <= 9; tokens++) {
                float[] natural = new float[tokens * COLS];
                for (int i = 0; i < natural.length; i++) natural[i] = (float) rnd.nextGaussian();
                float[] x = new float[natural.length];
                int[] xOffs = new int[tokens];
                int[] outOffs = new int[tokens];
                for (int t = 0; t < tokens; t++) {
                    xOffs[t] = t * COLS;
                    outOffs[t] = t * ROWS;
                    m.permuteInput(natural, t * COLS, x, t * COLS);
                }
                float[] scratch = new float[m.scratchSize()];
                float[] batched = new float[tokens * ROWS];
                m.matmul(x, xOffs, 0, tokens, batched, outOffs, 0, ROWS, scratch);
                float[] single = new float[ROWS];
                float[] row = new float[COLS];
                for (int t = 0; t < tokens; t++) {
                    m.matvec(x, t * COLS, single, 0, 0, ROWS, scratch);
                    for (int r = 0; r < ROWS; r++) {
                        assertEquals(
                                Float.floatToIntBits(single[r]),
                                Float.floatToIntBits(batched[t * ROWS + r]),
                                type + " tokens=" + tokens + " t=" + t + " r=" + r);
                        m.readRow(r, row);
                        double exact = 0, magnitude = 0;
                        for (int i = 0; i < COLS; i++) {
                            exact += (double) row[i] * natural[t * COLS + i];
                            magnitude += Math.abs((double) row[i] * natural[t * COLS + i]);
                        }
                        assertEquals(exact, single[r], 1e-5 * magnitude + 1e-6, type + " row " + r);
                    }
                }
                // a row range inside the matrix, as the workers split it
                float[] part = new float[tokens * ROWS];
                m.matmul(x, xOffs, 0, tokens, part, outOffs, 3, 9, scratch);
                for (int t = 0; t < tokens; t++) {
                    for (int r = 3; r < 9; r++) assertEquals(batched[t * ROWS + r], part[t * ROWS + r]);
                }
            }
        }
    }

    /**
     * Batches wider than the small matrix above: the few-token kernels (2 to 8 sequences decoding together) walk
     * the rows by column blocks and units, and the matrix-matrix kernel (prefill) keeps its accumulators in scratch
     * across column blocks and token groups; every element must still have exactly the matrix-vector kernel's
     * bits, also for a row range that starts and ends inside a unit, as the workers split it.
     */
    @ParameterizedTest
    @EnumSource(WeightType.class)
    void matmulAcrossColumnBlocksAndTokenGroupsEqualsMatvec(WeightType type) {
        // three column blocks, more than two 16-row units and an odd row; two token groups at 70 tokens; a vector
        // tail at every width where the encoding allows one (blocks of 32 values fill every vector)
        int rows = 37, cols = type.blockSize() == 1 ? 1126 : 1120;
        Random rnd = new Random(77 + type.ordinal());
        try (Arena arena = Arena.ofConfined()) {
            Matrix m = randomMatrix(type, rnd, arena, rows, cols);
            for (int tokens : new int[] {2, 3, 4, 5, 8, 70}) {
                float[] x = new float[tokens * cols];
                for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
                int[] xOffs = new int[tokens];
                int[] outOffs = new int[tokens];
                for (int t = 0; t < tokens; t++) {
                    xOffs[t] = t * cols;
                    outOffs[t] = t * rows;
                }
                float[] scratch = new float[m.scratchSize()];
                float[] batched = new float[tokens * rows];
                m.matmul(x, xOffs, 0, tokens, batched, outOffs, 0, rows, scratch);
                float[] part = new float[tokens * rows];
                m.matmul(x, xOffs, 0, tokens, part, outOffs, 3, 30, scratch);
                float[] single = new float[rows];
                for (int t = 0; t < tokens; t++) {
                    m.matvec(x, t * cols, single, 0, 0, rows, scratch);
                    for (int r = 0; r < rows; r++) {
                        String where = type + " tokens=" + tokens + " t=" + t + " r=" + r;
                        assertEquals(
                                Float.floatToIntBits(single[r]), Float.floatToIntBits(batched[t * rows + r]), where);
                        if (r >= 3 && r < 30) {
                            assertEquals(
                                    Float.floatToIntBits(single[r]), Float.floatToIntBits(part[t * rows + r]), where);
                        }
                    }
                }
            }
        }
    }

    static Matrix randomMatrix(WeightType type, Random rnd, Arena arena) {
        return randomMatrix(type, rnd, arena, ROWS, COLS);
    }

    static Matrix randomMatrix(WeightType type, Random rnd, Arena arena, int ROWS, int COLS) {
        byte[] bytes = MatrixKernelsTestData.encoding(type, ROWS, COLS, rnd);
        MemorySegment data = arena.allocate(bytes.length + 64);
        data.asSlice(7).copyFrom(MemorySegment.ofArray(bytes)); // unaligned on purpose, as in GGUF files
        if (type == WeightType.MXFP4_SPLIT) {
            byte[] scales = new byte[ROWS * COLS / 32];
            for (int i = 0; i < scales.length; i++) scales[i] = (byte) (118 + rnd.nextInt(12));
            return Matrix.mxfp4Split(ROWS, COLS, data, 7, MemorySegment.ofArray(scales), 0);
        }
        return Matrix.of(type, ROWS, COLS, data, 7);
    }
}
