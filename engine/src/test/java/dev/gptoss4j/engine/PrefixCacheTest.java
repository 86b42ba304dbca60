package dev.gptoss4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A fresh session restores the longest prefix other sessions published and computes only the rest, with logits
 * bit-identical to computing everything; the cache stays within its memory budget, least recently used first.
 */
class PrefixCacheTest {

    static int[] tokens(int n, int seed) {
        int[] t = new int[n];
        java.util.Random rnd = new java.util.Random(seed);
        for (int i = 0; i < n; i++) t[i] = rnd.nextInt(512);
        return t;
    }

    static float[] fresh(GptOss model, int[] tokens) {
        try (Session s =
                model.newSession(SessionOptions.builder().usePrefixCache(false).build())) {
            return s.prefill(tokens);
        }
    }

    @Test
    void newSessionReusesThePublishedPrefix() {
        try (GptOss model = GptOss.load(Fixtures.ggufBf16())) {
            int[] turn1 = tokens(60, 1); // longer than window + SLIDING_EXTRA is not needed: window is 8
            try (Session s = model.newSession()) {
                s.prefill(turn1);
                s.generate(
                        GenerationRequest.builder()
                                .maxTokens(5)
                                .stopTokens(Set.of(100000))
                                .build(),
                        TokenListener.none());
                turn1 = s.tokens(); // generate published the prompt and the reply
            }
            assertEquals(1, model.prefixCache().size());
            int[] turn2 = Arrays.copyOf(turn1, turn1.length + 12);
            System.arraycopy(tokens(12, 2), 0, turn2, turn1.length, 12);
            long reusedBefore = model.prefixCache().reusedTokens();
            try (Session s = model.newSession()) {
                float[] logits = s.prefill(turn2);
                assertArrayEquals(fresh(model, turn2), logits);
                // generation continues from there exactly as from a fresh computation
                GenerationResult a = s.generate(
                        GenerationRequest.builder()
                                .maxTokens(6)
                                .stopTokens(Set.of(100000))
                                .build(),
                        TokenListener.none());
                try (Session f = model.newSession(
                        SessionOptions.builder().usePrefixCache(false).build())) {
                    f.prefill(turn2);
                    GenerationResult b = f.generate(
                            GenerationRequest.builder()
                                    .maxTokens(6)
                                    .stopTokens(Set.of(100000))
                                    .build(),
                            TokenListener.none());
                    assertArrayEquals(b.tokens(), a.tokens());
                }
            }
            assertEquals(
                    turn1.length - 1,
                    model.prefixCache().reusedTokens() - reusedBefore - 0,
                    "reused tokens"); // the last cached token is recomputed only when it is the prompt's last
            // the longer conversation replaced the shorter entry it extends
            assertEquals(1, model.prefixCache().size());
        }
    }

    @Test
    void divergingPromptsReuseTheCommonPartAndRewindWorksAfterARestore() {
        try (GptOss model = GptOss.load(Fixtures.ggufF32())) {
            int[] a = tokens(40, 5);
            try (Session s = model.newSession()) {
                s.prefill(a);
                s.publishPrefix();
            }
            int[] b = Arrays.copyOf(a, 40);
            System.arraycopy(tokens(15, 6), 0, b, 25, 15); // shares 25 tokens with a
            try (Session s = model.newSession()) {
                assertArrayEquals(fresh(model, b), s.prefill(b));
                // rewinding below the restored window recomputes instead of reading missing keys
                s.rewind(3);
                assertArrayEquals(fresh(model, Arrays.copyOf(b, 3)), s.logits());
                assertArrayEquals(fresh(model, Arrays.copyOf(b, 30)), s.prefill(Arrays.copyOfRange(b, 3, 30)));
            }
        }
    }

    @Test
    void budgetEvictsLeastRecentlyUsed() {
        try (GptOss model = GptOss.load(Fixtures.ggufF32())) {
            PrefixCache cache = model.prefixCache();
            int[][] prompts = {tokens(30, 11), tokens(30, 12), tokens(30, 13)};
            for (int i = 0; i < 3; i++) prompts[i][0] = i + 1; // no common prefix at all
            for (int[] p : prompts) {
                try (Session s = model.newSession()) {
                    s.prefill(p);
                    s.publishPrefix();
                }
            }
            assertEquals(3, cache.size());
            long each = cache.usedBytes() / 3;
            // touch the first, then shrink to two entries: the second (least recently used) goes
            try (Session s = model.newSession()) {
                s.prefill(prompts[0]);
            }
            cache.setMaxBytes(2 * each + each / 2);
            assertEquals(2, cache.size());
            assertTrue(cache.usedBytes() <= cache.maxBytes());
            long hits = cache.hits();
            try (Session s = model.newSession()) {
                s.prefill(prompts[1]);
            }
            assertEquals(hits, cache.hits(), "the evicted prompt must not be found");
            try (Session s = model.newSession()) {
                s.prefill(prompts[0]);
            }
            assertEquals(hits + 1, cache.hits());
            cache.setMaxBytes(0);
            assertEquals(0, cache.size());
        }
    }

    @Test
    void entriesShareBlocksAndAMatchKeepsThemWhenTheEntryGoes() {
        int[] tokens = Fixtures.reference().get(2).tokens();
        try (GptOss model = GptOss.load(Fixtures.ggufBf16())) {
            var pool = model.kvPool(dev.gptoss4j.engine.kernels.KvType.F32);
            Session s = model.newSession(SessionOptions.builder()
                    .kvType(dev.gptoss4j.engine.kernels.KvType.F32)
                    .build());
            s.prefill(tokens);
            int held = pool.blocksInUse();
            s.publishPrefix();
            assertEquals(held, pool.blocksInUse(), "publishing shares the session's blocks, it copies none");
            PrefixCache.Match m = model.prefixCache()
                    .find(
                            pool,
                            tokens,
                            tokens.length,
                            tokens.length - 1,
                            0,
                            model.config().slidingWindow(),
                            model.config().slidingLayers());
            s.close();
            model.prefixCache().clear();
            assertTrue(pool.blocksInUse() > 0, "the match still holds the entry's blocks");
            m.release();
            assertEquals(0, pool.blocksInUse(), "every block back in the pool");
        }
    }
}
