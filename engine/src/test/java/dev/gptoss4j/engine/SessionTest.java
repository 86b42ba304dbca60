package dev.gptoss4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gptoss4j.engine.kernels.KvPool;
import dev.gptoss4j.engine.kernels.KvType;
import dev.gptoss4j.engine.sampling.SamplerConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rewind, the sliding-window ring buffer, generation, stop tokens, cancellation, context limits. */
class SessionTest {

    static GptOss model;
    static Fixtures.Sequence longest; // 40 tokens, window 8

    @BeforeAll
    static void load() {
        model = GptOss.load(Fixtures.ggufF32());
        longest = Fixtures.reference().get(2);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static float[][] logitsAtEachPosition(Session s, int[] tokens) {
        float[][] out = new float[tokens.length][];
        for (int i = 0; i < tokens.length; i++) out[i] = s.prefill(new int[] {tokens[i]});
        return out;
    }

    @Test
    void rewindThenPrefillGivesTheSameLogitsAsFresh() {
        int[] tokens = longest.tokens();
        for (int slack : new int[] {0, 3, 256}) {
            try (Session fresh = model.newSession(SessionOptions.builder()
                            .threads(1)
                            .rewindSlack(slack)
                            .build());
                    Session rewound = model.newSession(SessionOptions.builder()
                            .threads(2)
                            .rewindSlack(slack)
                            .build())) {
                float[][] expected = logitsAtEachPosition(fresh, tokens);
                rewound.prefill(tokens);
                for (int n : new int[] {39, 37, 30, 12, 9, 8, 1, 0}) {
                    rewound.rewind(n);
                    assertEquals(n, rewound.position());
                    if (n > 0) {
                        assertArrayEquals(expected[n - 1], rewound.logits(), 1e-6f, "slack " + slack + " rewind " + n);
                    }
                    float[][] again = logitsAtEachPosition(rewound, Arrays.copyOfRange(tokens, n, tokens.length));
                    for (int i = 0; i < again.length; i++) {
                        assertArrayEquals(
                                expected[n + i],
                                again[i],
                                1e-6f,
                                "slack " + slack + " rewind " + n + " pos " + (n + i));
                    }
                }
            }
        }
    }

    @Test
    void rewindToAPositionWithOtherTokensContinuesCorrectly() {
        int[] tokens = longest.tokens();
        try (Session s =
                        model.newSession(SessionOptions.builder().rewindSlack(0).build());
                Session fresh = model.newSession()) {
            s.prefill(tokens);
            s.rewind(20);
            int[] other = {5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
            float[] a = s.prefill(other);
            int[] combined = new int[31];
            System.arraycopy(tokens, 0, combined, 0, 20);
            System.arraycopy(other, 0, combined, 20, 11);
            assertArrayEquals(fresh.prefill(combined), a, 1e-6f);
            assertArrayEquals(combined, s.tokens());
        }
    }

    @Test
    void slidingLayersKeepOnlyTheirWindow() {
        long block = 2L * KvPool.BLOCK * 2 * 32 * 4; // keys and values of 32 positions x 2 heads x 32 floats
        int n = longest.tokens().length;
        long full = 2 * KvPool.blocksFor(n) * block; // 2 full layers hold every position
        try (Session s = model.newSession(SessionOptions.builder()
                .rewindSlack(4)
                .batchSize(1)
                .kvType(KvType.F32)
                .build())) {
            s.prefill(longest.tokens());
            // 2 sliding layers keep 8 + 4 positions: at most the 2 blocks they straddle
            assertTrue(n > KvPool.BLOCK, "the sequence must span blocks");
            assertTrue(s.cacheBytes() <= full + 2 * 2 * block, "cache " + s.cacheBytes());
            assertTrue(s.cacheBytes() >= full + 2 * block, "cache " + s.cacheBytes());
        }
        try (Session s = model.newSession(SessionOptions.builder()
                .rewindSlack(4)
                .batchSize(16)
                .kvType(KvType.BF16)
                .build())) {
            s.prefill(longest.tokens());
            // a batch writes its 16 keys before attending: the rings hold 27 positions, still at most 2 blocks each;
            // bfloat16 halves every block
            assertTrue(s.cacheBytes() <= (full + 2 * 2 * block) / 2, "cache " + s.cacheBytes());
        }
    }

    @Test
    void generateStreamsGreedyTokensLikeTheReference() {
        Fixtures.Sequence seq = Fixtures.reference().get(1);
        try (Session s = model.newSession()) {
            s.prefill(seq.tokens());
            List<Integer> streamed = new ArrayList<>();
            List<Float> logprobs = new ArrayList<>();
            GenerationResult r = s.generate(
                    GenerationRequest.builder()
                            .maxTokens(16)
                            .stopTokens(Set.of(9999))
                            .build(),
                    (token, logprob) -> {
                        streamed.add(token);
                        logprobs.add(logprob);
                    });
            assertArrayEquals(seq.greedy(), r.tokens());
            assertEquals(FinishReason.MAX_TOKENS, r.finishReason());
            assertEquals(Arrays.stream(seq.greedy()).boxed().toList(), streamed);
            assertEquals(seq.tokens().length + 16, s.position());
            for (float lp : r.logprobs()) assertTrue(lp < 0 && lp > -20);
        }
    }

    @Test
    void seededSamplingIsReproducible() {
        SamplerConfig sampler =
                SamplerConfig.builder().temperature(1.0f).topP(0.95f).seed(99).build();
        int[][] runs = new int[2][];
        for (int i = 0; i < 2; i++) {
            try (Session s =
                    model.newSession(SessionOptions.builder().threads(i + 1).build())) {
                s.prefill(new int[] {17, 18});
                runs[i] = s.generate(
                                GenerationRequest.builder()
                                        .maxTokens(12)
                                        .sampler(sampler)
                                        .build(),
                                TokenListener.none())
                        .tokens();
            }
        }
        assertArrayEquals(runs[0], runs[1]);
    }

    @Test
    void stopsOnStopTokensIncludingTheMetadataEos() {
        assertTrue(model.defaultStopTokens().contains(502)); // tokenizer.ggml.eos_token_id of the fixture
        Fixtures.Sequence seq = Fixtures.reference().get(0);
        try (Session s = model.newSession()) {
            s.prefill(seq.tokens());
            int stop = seq.greedy()[3];
            GenerationResult r = s.generate(
                    GenerationRequest.builder()
                            .maxTokens(16)
                            .stopTokens(Set.of(stop))
                            .build(),
                    TokenListener.none());
            assertEquals(FinishReason.STOP_TOKEN, r.finishReason());
            assertArrayEquals(Arrays.copyOf(seq.greedy(), 4), r.tokens());
        }
    }

    @Test
    void cancellationStopsGeneration() {
        Cancellation cancel = new Cancellation();
        try (Session s = model.newSession()) {
            s.prefill(new int[] {1});
            GenerationResult r = s.generate(
                    GenerationRequest.builder()
                            .maxTokens(50)
                            .stopTokens(Set.of(9999))
                            .cancellation(cancel)
                            .build(),
                    (token, lp) -> cancel.cancel());
            assertEquals(1, r.tokens().length);
            assertEquals(FinishReason.CANCELLED, r.finishReason());
        }
    }

    @Test
    void contextLimitIsEnforced() {
        try (Session s =
                model.newSession(SessionOptions.builder().maxContext(10).build())) {
            assertEquals(10, s.maxContext());
            s.prefill(new int[] {1, 2, 3, 4, 5, 6, 7, 8});
            GenerationResult r = s.generate(
                    GenerationRequest.builder()
                            .maxTokens(5)
                            .stopTokens(Set.of(9999))
                            .build(),
                    TokenListener.none());
            assertEquals(2, r.tokens().length);
            assertEquals(FinishReason.CONTEXT_FULL, r.finishReason());
            assertThrows(IllegalStateException.class, () -> s.prefill(new int[] {1}));
        }
        try (Session s = model.newSession()) {
            assertThrows(IllegalArgumentException.class, () -> s.prefill(new int[] {512}));
            assertThrows(IllegalStateException.class, s::logits);
            assertThrows(IllegalArgumentException.class, () -> s.rewind(1));
        }
    }

    @Test
    void sessionsOnOneModelAreIndependentAcrossThreads() throws Exception {
        Fixtures.Sequence seq = Fixtures.reference().get(2);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < 3; t++) {
            Thread th = new Thread(() -> {
                try (Session s =
                        model.newSession(SessionOptions.builder().threads(1).build())) {
                    float[][] ours = logitsAtEachPosition(s, seq.tokens());
                    assertTrue(Fixtures.relativeError(ours, seq.logits()) <= ConformanceTest.TOLERANCE);
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) th.join();
        assertTrue(failures.isEmpty(), failures.toString());
    }
}
