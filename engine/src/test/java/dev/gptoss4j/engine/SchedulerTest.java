package dev.gptoss4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gptoss4j.engine.kernels.KvPool;
import dev.gptoss4j.engine.kernels.KvType;
import dev.gptoss4j.engine.sampling.LogitsProcessor;
import dev.gptoss4j.engine.sampling.SamplerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sequences run through one {@link Scheduler} together give exactly the tokens and log-probabilities they give
 * alone (greedy, seeded, speculative, constrained), under memory pressure too, and one stream's cancellation does
 * not disturb the others.
 */
class SchedulerTest {

    static GptOss model;

    @BeforeAll
    static void load() {
        model = GptOss.load(Fixtures.ggufBf16());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Eight different prompts: the fixture sequences, shifted and cut so they differ in length and content. */
    static int[][] prompts() {
        List<Fixtures.Sequence> refs = Fixtures.reference();
        int[][] out = new int[8][];
        for (int i = 0; i < out.length; i++) {
            int[] base = refs.get(i % refs.size()).tokens();
            int n = Math.max(5, base.length + 12 - i);
            out[i] = new int[n];
            for (int j = 0; j < n; j++) {
                out[i][j] = (base[j % base.length] + 17 * i + j / base.length)
                        % model.config().vocabSize();
            }
        }
        return out;
    }

    /** Allows only tokens congruent to the sequence length mod 3: a constraint that depends on what came before. */
    static LogitsProcessor everyThird() {
        return (logits, tokens, length) -> {
            for (int t = 0; t < logits.length; t++) if (t % 3 != length % 3) logits[t] = Float.NEGATIVE_INFINITY;
        };
    }

    static List<Supplier<GenerationRequest>> requests() {
        SamplerConfig seeded =
                SamplerConfig.builder().temperature(0.9f).topK(50).seed(11).build();
        return List.of(
                () -> GenerationRequest.builder()
                        .maxTokens(24)
                        .stopTokens(Set.of(100000))
                        .build(),
                () -> GenerationRequest.builder()
                        .maxTokens(24)
                        .sampler(seeded)
                        .stopTokens(Set.of(100000))
                        .build(),
                () -> GenerationRequest.builder()
                        .maxTokens(24)
                        .sampler(seeded)
                        .draftTokens(4)
                        .drafter(new PromptLookup(2, 1))
                        .stopTokens(Set.of(100000))
                        .build(),
                () -> GenerationRequest.builder()
                        .maxTokens(24)
                        .sampler(seeded)
                        .logitsProcessor(everyThird())
                        .stopTokens(Set.of(100000))
                        .build());
    }

    static GenerationResult alone(int[] prompt, GenerationRequest request) {
        try (Session s = model.newSession(
                SessionOptions.builder().threads(1).usePrefixCache(false).build())) {
            s.prefill(prompt);
            return s.generate(request, TokenListener.none());
        }
    }

    /** Runs every prompt with its request on its own thread, all in one scheduler. */
    static List<GenerationResult> together(Scheduler scheduler, int[][] prompts, List<GenerationRequest> requests)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(prompts.length);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<GenerationResult>> futures = new ArrayList<>();
            for (int i = 0; i < prompts.length; i++) {
                int[] prompt = prompts[i];
                GenerationRequest request = requests.get(i);
                futures.add(pool.submit(() -> {
                    start.await();
                    try (Session s = scheduler.newSession(
                            SessionOptions.builder().usePrefixCache(false).build())) {
                        s.append(prompt);
                        return s.generate(request, TokenListener.none());
                    }
                }));
            }
            start.countDown();
            List<GenerationResult> results = new ArrayList<>();
            for (Future<GenerationResult> f : futures) results.add(f.get());
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void batchedSequencesMatchRunningAlone() throws Exception {
        int[][] prompts = prompts();
        List<GenerationRequest> requests = new ArrayList<>();
        List<GenerationResult> expected = new ArrayList<>();
        for (int i = 0; i < prompts.length; i++) {
            requests.add(requests().get(i % requests().size()).get());
            expected.add(alone(prompts[i], requests().get(i % requests().size()).get()));
        }
        try (Scheduler scheduler = model.newScheduler(2)) {
            List<GenerationResult> got = together(scheduler, prompts, requests);
            for (int i = 0; i < prompts.length; i++) {
                assertArrayEquals(expected.get(i).tokens(), got.get(i).tokens(), "tokens of sequence " + i);
                assertArrayEquals(expected.get(i).logprobs(), got.get(i).logprobs(), "logprobs of sequence " + i);
                assertEquals(expected.get(i).finishReason(), got.get(i).finishReason());
            }
            assertTrue(
                    scheduler.largestBatch() > 4, "sequences were batched: largest step " + scheduler.largestBatch());
            assertTrue(scheduler.steps() < 8 * 24, "fewer steps than tokens: " + scheduler.steps());
        }
    }

    @Test
    void sequencesWaitForCacheBlocksAndStillMatch() throws Exception {
        int[][] prompts = prompts();
        List<GenerationRequest> requests = new ArrayList<>();
        List<GenerationResult> expected = new ArrayList<>();
        for (int i = 0; i < prompts.length; i++) {
            requests.add(requests().get(0).get());
            expected.add(alone(prompts[i], requests().get(0).get()));
        }
        KvPool pool = model.kvPool(KvType.F32);
        // 4 layers x 3 blocks is one sequence of up to 96 tokens; room for about two at once, not eight
        pool.setMaxBlocks(pool.blocksInUse() + 26);
        try (Scheduler scheduler = model.newScheduler(2)) {
            List<GenerationResult> got = together(scheduler, prompts, requests);
            for (int i = 0; i < prompts.length; i++) {
                assertArrayEquals(expected.get(i).tokens(), got.get(i).tokens(), "tokens of sequence " + i);
                assertArrayEquals(expected.get(i).logprobs(), got.get(i).logprobs(), "logprobs of sequence " + i);
            }
        } finally {
            pool.setMaxBlocks(Long.MAX_VALUE);
        }
    }

    @Test
    void aSequenceThatCannotFitEvenAloneFailsClearly() {
        KvPool pool = model.kvPool(KvType.F32);
        pool.setMaxBlocks(pool.blocksInUse() + 3);
        try (Scheduler scheduler = model.newScheduler(1);
                Session s = scheduler.newSession(
                        SessionOptions.builder().usePrefixCache(false).build())) {
            s.append(prompts()[0]);
            KvPool.KvBudgetException e = assertThrows(KvPool.KvBudgetException.class, s::logits);
            assertTrue(e.getMessage().contains("budget exhausted"), e.getMessage());
        } finally {
            pool.setMaxBlocks(Long.MAX_VALUE);
        }
    }

    @Test
    void cancellingOneStreamLeavesTheOthersUnchanged() throws Exception {
        int[][] prompts = prompts();
        GenerationResult[] expected = new GenerationResult[4];
        for (int i = 0; i < 4; i++)
            expected[i] = alone(prompts[i], requests().get(0).get());
        Cancellation cancel = new Cancellation();
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            GenerationRequest.Builder b =
                    GenerationRequest.builder().maxTokens(24).stopTokens(Set.of(100000));
            if (i == 1) b.cancellation(cancel);
            requests.add(b.build());
        }
        try (Scheduler scheduler = model.newScheduler(2)) {
            // stream 1 cancels itself after its fifth token
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<GenerationResult>> futures = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int k = i;
                futures.add(pool.submit(() -> {
                    try (Session s = scheduler.newSession(
                            SessionOptions.builder().usePrefixCache(false).build())) {
                        s.append(prompts[k]);
                        int[] seen = {0};
                        return s.generate(requests.get(k), (t, lp) -> {
                            if (k == 1 && ++seen[0] == 5) cancel.cancel();
                        });
                    }
                }));
            }
            List<GenerationResult> got = new ArrayList<>();
            for (Future<GenerationResult> f : futures) got.add(f.get());
            pool.shutdown();
            assertEquals(FinishReason.CANCELLED, got.get(1).finishReason());
            assertEquals(5, got.get(1).tokens().length);
            assertArrayEquals(
                    java.util.Arrays.copyOf(expected[1].tokens(), 5), got.get(1).tokens());
            for (int i : new int[] {0, 2, 3}) {
                assertArrayEquals(expected[i].tokens(), got.get(i).tokens(), "tokens of sequence " + i);
                assertArrayEquals(expected[i].logprobs(), got.get(i).logprobs(), "logprobs of sequence " + i);
            }
        }
    }
}
