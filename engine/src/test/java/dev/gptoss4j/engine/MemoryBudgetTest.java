package dev.gptoss4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gptoss4j.engine.kernels.KvBuffer;
import dev.gptoss4j.engine.kernels.Parallel;
import dev.gptoss4j.engine.model.GptOssConfig;
import org.junit.jupiter.api.Test;

/**
 * A gpt-oss-20b-shaped session (24 layers, hidden 2880, 64/8 heads of 64, 32 experts top-4, vocab 201088,
 * window 128) at a full 8k context must stay under 2 GB of its own memory (the weights are mapped, not counted).
 */
class MemoryBudgetTest {

    static GptOssConfig twentyB() {
        return new GptOssConfig(201088, 2880, 24, 64, 8, 64, 32, 4, 2880, 7.0f, 128,
                GptOssConfig.alternatingSlidingLayers(24), 150000, 32, 1, 32, 4096, 131072, 1e-5f, new int[] {200002});
    }

    @Test
    void cacheGrowsLazilyAndFullContextFitsTheBudget() {
        GptOssConfig c = twentyB();
        try (Parallel pool = new Parallel(1)) {
            Transformer.State s = new Transformer.State(new Transformer(c, null), 8192, 256, 256, 9, pool);
            long atStart = 0;
            for (KvBuffer kv : s.cache) atStart += kv.allocatedBytes();
            // only the 12 sliding layers' rings (window 128 + batch 256 - 1 + slack 256) exist before any token
            assertEquals(12L * 639 * 512 * 4 * 2, atStart);
            for (KvBuffer kv : s.cache) for (int p = 0; p < 8192; p++) kv.reserve(p);
            long kvBytes = 0;
            for (KvBuffer kv : s.cache) kvBytes += kv.allocatedBytes();
            long buffers = s.bufferBytes();
            assertTrue(buffers < 200L << 20, "batch buffers " + buffers);
            long sampler = 201088L * (4 + 8 + 4 + 4);
            long total = kvBytes + buffers + sampler;
            // 12 full layers x 8192 x 512 floats x (K + V) = 384 MiB, plus the rings
            assertEquals(12L * 8192 * 512 * 4 * 2 + atStart, kvBytes);
            assertTrue(total < 2L * 1024 * 1024 * 1024, "session memory " + total);
        }
    }
}
