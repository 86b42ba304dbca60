package dev.gptoss4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Grouped-query attention reads each cached row once for all the query heads of its key/value head, and sums L
 * rows' dot products together: every head must still get bit for bit what it gets alone, for every cache type,
 * at every window (block boundaries, partial blocks, fewer keys than a vector's lanes) and head width.
 */
class AttentionGroupTest {

    @Test
    void groupedHeadsMatchHeadByHeadBitForBit() {
        Random rnd = new Random(11);
        int[][] shapes = {{64, 8, 4}, {32, 4, 2}, {16, 2, 3}, {12, 2, 2}};
        for (KvType type : KvType.values()) {
            for (int[] shape : shapes) {
                int headDim = shape[0], qPerKv = shape[1], kvHeads = shape[2];
                try (KvPool pool = new KvPool(type, kvHeads, headDim)) {
                    int positions = 300;
                    KvBuffer kv = KvBuffer.growing(pool, positions);
                    float[] k = new float[kvHeads * headDim], v = new float[k.length];
                    for (int p = 0; p < positions; p++) {
                        for (int i = 0; i < k.length; i++) {
                            k[i] = (float) rnd.nextGaussian() * 3;
                            v[i] = (float) rnd.nextGaussian();
                        }
                        kv.write(p, k, 0, v, 0);
                    }
                    int heads = qPerKv * kvHeads;
                    float[] q = new float[heads * headDim];
                    for (int i = 0; i < q.length; i++) q[i] = (float) rnd.nextGaussian();
                    float[] sinks = new float[heads];
                    for (int h = 0; h < heads; h++) sinks[h] = (float) rnd.nextGaussian();
                    float scale = (float) (1 / Math.sqrt(headDim));
                    int[][] windows = {{0, 0}, {0, 5}, {0, 16}, {3, 40}, {31, 32}, {0, 299}, {170, 299}, {64, 95}};
                    for (int[] w : windows) {
                        float[] single = new float[q.length], grouped = new float[q.length];
                        float[] scores = new float[positions + 1];
                        for (int h = 0; h < heads; h++) {
                            Attention.attendHead(
                                    q,
                                    h * headDim,
                                    kv,
                                    h / qPerKv,
                                    w[0],
                                    w[1],
                                    sinks[h],
                                    scale,
                                    scores,
                                    single,
                                    h * headDim);
                        }
                        float[] group = new float[Attention.groupScratch(qPerKv, w[1] - w[0] + 1)];
                        float[] rows = new float[Attention.rowScratch(headDim)];
                        for (int split : new int[] {1, 2}) {
                            java.util.Arrays.fill(grouped, Float.NaN);
                            int part = qPerKv / split;
                            for (int first = 0; first < heads; first += part) {
                                Attention.attendGroup(
                                        q,
                                        first * headDim,
                                        part,
                                        kv,
                                        first / qPerKv,
                                        w[0],
                                        w[1],
                                        sinks,
                                        first,
                                        scale,
                                        group,
                                        rows,
                                        grouped,
                                        first * headDim);
                            }
                            for (int i = 0; i < q.length; i++) {
                                assertEquals(
                                        Float.floatToRawIntBits(single[i]),
                                        Float.floatToRawIntBits(grouped[i]),
                                        type + " headDim " + headDim + " window " + w[0] + ".." + w[1] + " split "
                                                + split + " number " + i);
                            }
                        }
                    }
                    kv.close();
                }
            }
        }
    }

    @Test
    void decodedRowsAreTheStoredNumbersWidened() {
        Random rnd = new Random(3);
        for (KvType type : KvType.values()) {
            try (KvPool pool = new KvPool(type, 1, 48)) {
                KvBuffer kv = KvBuffer.growing(pool, 40);
                float[] row = new float[48];
                for (int p = 0; p < 5; p++) {
                    for (int i = 0; i < 48; i++) row[i] = (float) rnd.nextGaussian();
                    kv.write(p, row, 0, row, 0);
                }
                float[] keys = new float[5 * 48], values = new float[keys.length];
                kv.read(0, 5, keys, values);
                float[] rows = new float[5 * 48 + 3];
                KvKernels.decodeRows(type, pool.segment(kv.block(0)), pool.keyOffset(0, 0), rows, 3, 5 * 48);
                for (int i = 0; i < keys.length; i++) assertEquals(keys[i], rows[3 + i], 0f, type + " " + i);
                kv.close();
            }
        }
    }
}
