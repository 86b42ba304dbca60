package dev.gptoss4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** Paged buffers: rings hand blocks back, shared blocks are copied before a write, the budget is enforced. */
class KvBufferTest {

    @Test
    void halfPrecisionWideningIsExactForEveryBitPattern() {
        int n = VectorKernels.ENABLED ? VectorKernels.L : 1;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(2L * n);
            for (int bits = 0; bits < 65536; bits += n) {
                for (int i = 0; i < n; i++) seg.set(KvKernels.I16, 2L * i, (short) (bits + i));
                float[] q = new float[n];
                float[] out = new float[n];
                KvKernels.addScaled(KvType.F16, out, 0, seg, 0, 1f, n);
                for (int i = 0; i < n; i++) {
                    float expected = Float.float16ToFloat((short) (bits + i));
                    if (Float.isNaN(expected)) assertTrue(Float.isNaN(out[i]), "bits " + (bits + i));
                    else assertEquals(expected, out[i], 0f, "bits " + (bits + i));
                }
            }
        }
    }

    @Test
    void sixteenBitTypesRoundTripWithinHalfAUnitInTheLastPlace() {
        java.util.Random rnd = new java.util.Random(5);
        for (KvType type : new KvType[] {KvType.BF16, KvType.F16}) {
            try (KvPool pool = new KvPool(type, 2, 32)) {
                KvBuffer kv = KvBuffer.growing(pool, 100);
                float[] k = new float[64], v = new float[64];
                for (int i = 0; i < 64; i++) {
                    k[i] = (float) rnd.nextGaussian() * 10;
                    v[i] = (float) rnd.nextGaussian();
                }
                kv.write(37, k, 0, v, 0);
                float[] k2 = new float[64], v2 = new float[64];
                kv.read(37, 38, k2, v2);
                double rel = type == KvType.BF16 ? 0x1p-8 : 0x1p-11;
                for (int i = 0; i < 64; i++) {
                    assertTrue(
                            Math.abs(k2[i] - k[i]) <= rel * Math.abs(k[i]),
                            type + " key " + i + ": " + k[i] + " -> " + k2[i]);
                    assertTrue(Math.abs(v2[i] - v[i]) <= rel * Math.abs(v[i]), type + " value " + i);
                }
                // attention reads the same numbers as read() returns
                float[] q = new float[32];
                for (int i = 0; i < 32; i++) q[i] = (float) rnd.nextGaussian();
                var seg = pool.segment(kv.block(37));
                float dot = KvKernels.dot(type, q, 0, seg, pool.keyOffset(1, 37 % KvPool.BLOCK), 32);
                double expected = 0;
                for (int i = 0; i < 32; i++) expected += q[i] * k2[32 + i];
                assertEquals(expected, dot, 1e-3 * (1 + Math.abs(expected)), type + " dot");
                kv.close();
            }
        }
    }

    @Test
    void bfloat16RoundsToNearestEven() {
        assertEquals((short) 0x3F80, KvKernels.toBf16(1.0f));
        assertEquals((short) 0x3F80, KvKernels.toBf16(Float.intBitsToFloat(0x3F808000))); // tie: stays even
        assertEquals((short) 0x3F82, KvKernels.toBf16(Float.intBitsToFloat(0x3F818000))); // tie: rounds up to even
        assertEquals((short) 0x3F81, KvKernels.toBf16(Float.intBitsToFloat(0x3F808001)));
        assertTrue(Float.isNaN(Fp.bf16ToFloat(KvKernels.toBf16(Float.NaN))));
    }

    @Test
    void ringHandsOldBlocksBackAndKeepsItsWindow() {
        try (KvPool pool = new KvPool(KvType.BF16, 2, 16)) {
            KvBuffer ring = KvBuffer.ring(pool, 40);
            float[] row = new float[32];
            for (int p = 0; p < 1000; p++) {
                java.util.Arrays.fill(row, p % 256);
                ring.write(p, row, 0, row, 0);
                assertTrue(pool.blocksInUse() <= KvPool.blocksFor(40) + 1, "blocks in use " + pool.blocksInUse());
            }
            float[] k = new float[40 * 32], v = new float[40 * 32];
            ring.read(960, 1000, k, v);
            for (int p = 0; p < 40; p++) assertEquals((960 + p) % 256, k[p * 32 + 31], 0f); // exact in bfloat16
            assertTrue(ring.oldestHeld() <= 960);
            ring.close();
            assertEquals(0, pool.blocksInUse());
        }
    }

    @Test
    void sharedBlocksAreCopiedBeforeAWrite() {
        try (KvPool pool = new KvPool(KvType.F32, 1, 8)) {
            KvBuffer a = KvBuffer.growing(pool, 100);
            float[] row = {1, 2, 3, 4, 5, 6, 7, 8};
            a.write(0, row, 0, row, 0);
            int block = a.block(0);
            KvBuffer b = KvBuffer.growing(pool, 100);
            b.adopt(0, block);
            assertTrue(pool.isShared(block));
            float[] other = {9, 9, 9, 9, 9, 9, 9, 9};
            b.write(1, other, 0, other, 0);
            assertTrue(b.block(0) != block, "the writer got its own copy");
            float[] k = new float[16], v = new float[16];
            b.read(0, 2, k, v);
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 9, 9, 9, 9, 9}, k);
            float[] ka = new float[16];
            a.read(0, 1, ka, new float[16]);
            assertEquals(1f, ka[0]);
            assertTrue(!pool.isShared(block), "the original is the first holder's alone again");
            a.close();
            b.close();
            assertEquals(0, pool.blocksInUse());
        }
    }

    @Test
    void theBudgetIsCountedInBlocks() {
        try (KvPool pool = new KvPool(KvType.F16, 1, 8)) {
            pool.setMaxBlocks(2);
            KvBuffer a = KvBuffer.growing(pool, 1000);
            float[] row = new float[8];
            for (int p = 0; p < 2 * KvPool.BLOCK; p++) a.write(p, row, 0, row, 0);
            KvPool.KvBudgetException e =
                    assertThrows(KvPool.KvBudgetException.class, () -> a.write(2 * KvPool.BLOCK, row, 0, row, 0));
            assertTrue(e.getMessage().contains("all 2 blocks"), e.getMessage());
            a.truncate(KvPool.BLOCK);
            assertEquals(1, pool.blocksInUse());
            a.write(KvPool.BLOCK, row, 0, row, 0);
            a.close();
        }
    }
}
