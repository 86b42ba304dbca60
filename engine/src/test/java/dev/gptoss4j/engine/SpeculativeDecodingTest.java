package dev.gptoss4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gptoss4j.engine.sampling.SamplerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Speculative decoding with prompt-lookup drafts produces exactly the tokens (and log-probabilities) of plain
 * decoding, greedy and seeded sampling alike, and actually accepts drafts on repetitive text.
 */
class SpeculativeDecodingTest {

    /** A prompt that repeats itself, as agent transcripts do. */
    static int[] repetitive() {
        int[] base = Fixtures.reference().get(1).tokens();
        int[] out = new int[3 * base.length];
        for (int i = 0; i < out.length; i++) out[i] = base[i % base.length];
        return out;
    }

    static List<Object[]> cases() {
        List<Object[]> cases = new ArrayList<>();
        for (Path p : Fixtures.allLayouts()) {
            cases.add(new Object[] {p, SamplerConfig.greedy()});
            cases.add(new Object[] {
                p, SamplerConfig.builder().temperature(0.8f).topK(40).seed(7).build()
            });
            cases.add(new Object[] {
                p,
                SamplerConfig.builder()
                        .temperature(1.0f)
                        .repetitionPenalty(1.1f)
                        .seed(3)
                        .build()
            });
        }
        return cases;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void outputIsIdenticalToPlainDecoding(Path path, SamplerConfig sampler) {
        int[] prompt = repetitive();
        try (GptOss model = GptOss.load(path)) {
            GenerationResult plain;
            try (Session s = model.newSession(
                    SessionOptions.builder().threads(2).usePrefixCache(false).build())) {
                s.prefill(prompt);
                plain = s.generate(
                        GenerationRequest.builder()
                                .maxTokens(40)
                                .sampler(sampler)
                                .stopTokens(Set.of(100000))
                                .build(),
                        TokenListener.none());
            }
            int[] expected = concat(prompt, plain.tokens());
            Drafter[] drafters = {new PromptLookup(3, 1), oracle(expected, 5), oracle(expected, 1000)};
            for (int draft : new int[] {1, 3, 8}) {
                for (Drafter drafter : drafters) {
                    try (Session s = model.newSession(SessionOptions.builder()
                            .threads(2)
                            .usePrefixCache(false)
                            .build())) {
                        s.prefill(prompt);
                        List<Integer> streamed = new ArrayList<>();
                        GenerationResult spec = s.generate(
                                GenerationRequest.builder()
                                        .maxTokens(40)
                                        .sampler(sampler)
                                        .draftTokens(draft)
                                        .drafter(drafter)
                                        .stopTokens(Set.of(100000))
                                        .build(),
                                (t, lp) -> streamed.add(t));
                        assertArrayEquals(plain.tokens(), spec.tokens(), path.getFileName() + " draft " + draft);
                        assertArrayEquals(plain.logprobs(), spec.logprobs(), path.getFileName() + " draft " + draft);
                        assertEquals(plain.finishReason(), spec.finishReason());
                        assertArrayEquals(
                                spec.tokens(),
                                streamed.stream().mapToInt(Integer::intValue).toArray());
                        assertEquals(prompt.length + 40, s.position());
                        // the session continues exactly like the plain one would
                        int[] all = s.tokens();
                        assertArrayEquals(plain.tokens(), java.util.Arrays.copyOfRange(all, prompt.length, all.length));
                        assertTrue(s.lastSpeculation().drafted() > 0, "nothing was drafted");
                        if (drafter != drafters[0])
                            assertTrue(s.lastSpeculation().accepted() > 0, "nothing accepted");
                    }
                }
            }
        }
    }

    /** Proposes the known continuation, every {@code wrongEvery}-th position replaced by another token. */
    static Drafter oracle(int[] expected, int wrongEvery) {
        return (tokens, length, out, max) -> {
            int n = Math.max(0, Math.min(max, expected.length - length));
            for (int i = 0; i < n; i++) {
                int p = length + i;
                out[i] = p % wrongEvery == 0 ? (expected[p] + 1) % 512 : expected[p];
            }
            return n;
        };
    }

    static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void correctDraftsCutTheSequentialPasses() {
        int[] prompt = repetitive();
        try (GptOss model = GptOss.load(Fixtures.ggufBf16())) {
            GenerationResult plain;
            try (Session s = model.newSession(
                    SessionOptions.builder().usePrefixCache(false).build())) {
                s.prefill(prompt);
                plain = s.generate(
                        GenerationRequest.builder()
                                .maxTokens(64)
                                .stopTokens(Set.of(100000))
                                .build(),
                        TokenListener.none());
            }
            try (Session s = model.newSession(
                    SessionOptions.builder().usePrefixCache(false).build())) {
                s.prefill(prompt);
                s.generate(
                        GenerationRequest.builder()
                                .maxTokens(64)
                                .draftTokens(7)
                                .drafter(oracle(concat(prompt, plain.tokens()), 1000))
                                .stopTokens(Set.of(100000))
                                .build(),
                        TokenListener.none());
                Session.SpeculationStats stats = s.lastSpeculation();
                assertEquals(1.0, stats.acceptanceRate(), 0, stats.toString());
                assertTrue(stats.steps() <= 64 / 8 + 1, "passes: " + stats);
            }
        }
    }

    @Test
    void stopTokensAndContextLimitsEndLikePlainDecoding() {
        int[] prompt = repetitive();
        try (GptOss model = GptOss.load(Fixtures.ggufF32())) {
            GenerationResult plain;
            try (Session s = model.newSession(
                    SessionOptions.builder().usePrefixCache(false).build())) {
                s.prefill(prompt);
                plain = s.generate(
                        GenerationRequest.builder()
                                .maxTokens(30)
                                .stopTokens(Set.of(100000))
                                .build(),
                        TokenListener.none());
            }
            // stop at the 10th plain token: drafts that ran past it must be dropped
            int stop = plain.tokens()[9];
            int expected = 0;
            while (plain.tokens()[expected] != stop) expected++;
            try (Session s = model.newSession(
                    SessionOptions.builder().usePrefixCache(false).build())) {
                s.prefill(prompt);
                GenerationResult r = s.generate(
                        GenerationRequest.builder()
                                .maxTokens(30)
                                .draftTokens(8)
                                .stopTokens(Set.of(stop))
                                .build(),
                        TokenListener.none());
                assertEquals(FinishReason.STOP_TOKEN, r.finishReason());
                assertEquals(expected + 1, r.tokens().length);
                assertEquals(prompt.length + expected + 1, s.position());
                // continuing after the stop gives the plain continuation
                GenerationResult more = s.generate(
                        GenerationRequest.builder()
                                .maxTokens(5)
                                .draftTokens(8)
                                .stopTokens(Set.of(100000))
                                .build(),
                        TokenListener.none());
                assertArrayEquals(
                        java.util.Arrays.copyOfRange(plain.tokens(), expected + 1, expected + 6), more.tokens());
            }
            try (Session s = model.newSession(SessionOptions.builder()
                    .usePrefixCache(false)
                    .maxContext(prompt.length + 7)
                    .build())) {
                s.prefill(prompt);
                GenerationResult r = s.generate(
                        GenerationRequest.builder()
                                .maxTokens(30)
                                .draftTokens(8)
                                .stopTokens(Set.of(100000))
                                .build(),
                        TokenListener.none());
                assertEquals(FinishReason.CONTEXT_FULL, r.finishReason());
                assertArrayEquals(java.util.Arrays.copyOf(plain.tokens(), 7), r.tokens());
            }
        }
    }
}
