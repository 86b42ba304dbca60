package dev.gptoss4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gptoss4j.engine.kernels.KvBuffer;
import dev.gptoss4j.engine.kernels.KvPool;
import dev.gptoss4j.engine.kernels.KvType;
import dev.gptoss4j.engine.kernels.Parallel;
import dev.gptoss4j.engine.model.GptOssConfig;
import org.junit.jupiter.api.Test;

/**
 * A gpt-oss-20b-shaped session (24 layers, hidden 2880, 64/8 heads of 64, 32 experts top-4, vocab 201088,
 * window 128) at a full 8k context must stay under 2 GB of its own memory (the weights are mapped, not counted), and
 * at the full 131,072-token context fit beside its mapped weights in 16 GiB with a 16-bit cache.
 */
class MemoryBudgetTest {

    static GptOssConfig twentyB() {
        return new GptOssConfig(
                201088,
                2880,
                24,
                64,
                8,
                64,
                32,
                4,
                2880,
                7.0f,
                128,
                GptOssConfig.alternatingSlidingLayers(24),
                150000,
                32,
                1,
                32,
                4096,
                131072,
                1e-5f,
                new int[] {200002});
    }

    @Test
    void cacheGrowsLazilyAndFullContextFitsTheBudget() {
        GptOssConfig c = twentyB();
        Transformer tf = new Transformer(c, null);
        try (Parallel pool = new Parallel(1);
                KvPool kv = new KvPool(KvType.F32, c.numKvHeads(), c.headDim())) {
            Transformer.State s = new Transformer.State(tf, 8192, 256, 9, pool);
            KvBuffer[] cache = tf.newCache(kv, 8192, 256, 256);
            long atStart = 0;
            for (KvBuffer b : cache) atStart += b.allocatedBytes();
            assertEquals(0, atStart, "no block is taken before a token is written");
            for (KvBuffer b : cache) for (int p = 0; p < 8192; p++) b.reserve(p);
            long kvBytes = 0;
            for (KvBuffer b : cache) kvBytes += b.allocatedBytes();
            // sliding layers keep window 128 + batch 256 - 1 + slack 256 = 639 positions: at most 21 blocks of 32
            long block = 2L * KvPool.BLOCK * 512 * 4;
            long sliding = kvBytes - 12L * 8192 * 512 * 4 * 2;
            assertTrue(sliding > 0 && sliding <= 12 * 21 * block, "sliding layers hold " + sliding);
            long buffers = s.bufferBytes();
            assertTrue(buffers < 200L << 20, "batch buffers " + buffers);
            long sampler = 201088L * (4 + 8 + 4 + 4);
            long total = kvBytes + buffers + sampler;
            assertTrue(total < 2L * 1024 * 1024 * 1024, "session memory " + total);
            for (KvBuffer b : cache) b.close();
            assertEquals(0, kv.blocksInUse(), "closing the buffers hands every block back");
        }
    }

    /**
     * gpt-oss-20b at its full 131,072-token context in 16 GiB of RAM: the mapped weights of a 20b GGUF (bf16
     * attention, router, embedding and unembedding, MXFP4 experts, float32 biases and norms), the half-precision cache
     * (12 full layers at every position, 12 sliding layers at their window) and the session's buffers.
     */
    @Test
    void twentyBAtFullContextFitsSixteenGigabytesWithA16BitCache() {
        GptOssConfig c = twentyB();
        int context = c.maxContext();
        assertEquals(131072, context);
        long weights = twentyBWeightBytes(c);
        long half = cacheBytes(c, context, KvType.F16);
        long f32 = cacheBytes(c, context, KvType.F32);
        long buffers;
        try (Parallel pool = new Parallel(1)) {
            buffers = new Transformer.State(new Transformer(c, null), context, 256, 9, pool).bufferBytes();
        }
        long sampler = 201088L * (4 + 8 + 4 + 4);
        long gib16 = 16L << 30;
        long total = weights + half + buffers + sampler;
        System.out.printf(
                "gpt-oss-20b at %d tokens: weights %.2f GiB + 16-bit cache %.2f GiB + buffers %.0f MiB"
                        + " = %.2f GiB (float32 cache: %.2f GiB)%n",
                context,
                weights / 1073741824.0,
                half / 1073741824.0,
                (buffers + sampler) / 1048576.0,
                total / 1073741824.0,
                (weights + f32 + buffers) / 1073741824.0);
        assertTrue(total < gib16, "20b at full context needs " + total + " bytes");
        assertTrue(weights + f32 + buffers > gib16, "a float32 cache would not fit: the 16-bit type is what makes it");
        // the default picks the 16-bit cache there and float32 for the default 8k context
        assertEquals(KvType.F16, Session.defaultKvType(c, context, gib16));
        assertEquals(KvType.F32, Session.defaultKvType(c, 8192, gib16));
    }

    /**
     * A 32,768-token sequence on the 4-layer 20b-shaped benchmark file with a 2 GB heap: the cache is off-heap, so
     * what the heap holds for a sequence is its batch buffers (fixed by the batch size), attention's scores (one
     * head group's, per worker, growing with the context), the token history and the block tables. Computed here
     * at its most so that nothing sized by the context can grow on the heap unnoticed.
     */
    @Test
    void thirtyTwoThousandTokensNeedFewHeapBytesPerSequence() {
        GptOssConfig c = fourLayers();
        int threads = 2;
        long at32k = heapBytesPerSequence(c, 32768, threads);
        long at4k = heapBytesPerSequence(c, 4096, threads);
        long perPosition = (at32k - at4k) / (32768 - 4096);
        System.out.printf(
                "heap per sequence (4-layer 20b shape, %d workers): %.1f MiB at 4,096 tokens, %.1f MiB at 32,768"
                        + " (%d bytes per position)%n",
                threads, at4k / 1048576.0, at32k / 1048576.0, perPosition);
        // per position: the scores of one group of 8 query heads per worker (32 bytes each), the history (4 bytes,
        // doubled by its growth) and the block tables: well under 128 bytes; a per-layer or per-head copy of the
        // context would be kilobytes
        assertTrue(perPosition <= 128, "heap bytes per context position " + perPosition);
        assertTrue(at32k < 128L << 20, "heap per 32k sequence " + at32k);
    }

    /** The heap a session of {@code context} positions holds at its most, the cache (off-heap) aside. */
    static long heapBytesPerSequence(GptOssConfig c, int context, int threads) {
        Transformer tf = new Transformer(c, null);
        long buffers;
        try (Parallel pool = new Parallel(threads)) {
            buffers = new Transformer.State(tf, context, 256, 9, pool).peakBufferBytes();
        }
        long history = 4L * 2 * context; // int per token, grown by doubling
        long tables = (long) c.numLayers() * 4 * 2 * KvPool.blocksFor(context); // block ids per layer, doubled
        long sampler = (long) c.vocabSize() * (4 + 8 + 4 + 4);
        return buffers + history + tables + sampler;
    }

    /** The benchmark file's shape: gpt-oss-20b cut to 4 layers ({@code synth --config 20b --layers 4}). */
    static GptOssConfig fourLayers() {
        GptOssConfig c = twentyB();
        return new GptOssConfig(
                c.vocabSize(),
                c.hiddenSize(),
                4,
                c.numHeads(),
                c.numKvHeads(),
                c.headDim(),
                c.numExperts(),
                c.expertsPerToken(),
                c.intermediateSize(),
                c.swigluLimit(),
                c.slidingWindow(),
                GptOssConfig.alternatingSlidingLayers(4),
                c.ropeTheta(),
                c.ropeScalingFactor(),
                c.ropeNtkAlpha(),
                c.ropeNtkBeta(),
                c.initialContextLength(),
                c.maxContext(),
                c.rmsNormEps(),
                c.eosTokenIds());
    }

    /** The sliding layers' ring and the full layers at every position, in whole blocks, as the pool hands them out. */
    static long cacheBytes(GptOssConfig c, int context, KvType type) {
        long block = 2L * KvPool.BLOCK * c.kvDim() * type.bytes();
        long blocks = 0;
        for (int l = 0; l < c.numLayers(); l++) {
            blocks += c.isSliding(l) ? KvPool.blocksFor(c.slidingWindow() + 255 + 256) + 1 : KvPool.blocksFor(context);
        }
        return blocks * block;
    }

    static long twentyBWeightBytes(GptOssConfig c) {
        long h = c.hiddenSize();
        long q = c.qDim();
        long kv = c.kvDim();
        long inter = c.intermediateSize();
        long e = c.numExperts();
        long attention = 2 * (h * (q + 2 * kv) + q * h) + 4 * (q + 2 * kv + h + c.numHeads());
        long router = 2 * e * h + 4 * e;
        long mxfp4 = 17; // bytes per 32 weights: 16 of nibbles and a scale
        long experts = e * (mxfp4 * (2 * inter * h + h * inter) / 32 + 4 * (2 * inter + h));
        long norms = 4 * 2 * h;
        long perLayer = attention + router + experts + norms;
        long embeddings = 2 * 2L * c.vocabSize() * h + 4 * h;
        return c.numLayers() * perLayer + embeddings;
    }
}
