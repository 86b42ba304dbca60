package dev.gptoss4j.engine;

import static org.junit.jupiter.api.Assertions.*;

import dev.gptoss4j.engine.constrain.TokenConstraint;
import dev.gptoss4j.engine.sampling.SamplerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generation hook that constrained decoding uses, on the tiny conformance model. */
class LogitsProcessorTest {

    @Test
    void aProcessorDecidesWhatMayBeSampledAndSeesEachGeneratedToken() {
        Fixtures.Sequence seq = Fixtures.reference().getFirst();
        try (GptOss model = GptOss.load(Fixtures.ggufBf16());
                Session s = model.newSession()) {
            s.prefill(seq.tokens());
            int[] forced = {seq.greedy()[0] + 1, 7, 300};
            List<Integer> lengths = new ArrayList<>();
            TokenConstraint constraint = TokenConstraint.forced(forced);
            var adapter = TokenConstraint.asLogitsProcessor(constraint);
            GenerationResult r = s.generate(
                    GenerationRequest.builder()
                            .maxTokens(5)
                            .stopTokens(Set.of(9999))
                            .sampler(SamplerConfig.builder()
                                    .temperature(1)
                                    .seed(3)
                                    .build())
                            .logitsProcessor((logits, tokens, length) -> {
                                lengths.add(length);
                                adapter.process(logits, tokens, length);
                            })
                            .build(),
                    TokenListener.none());
            assertArrayEquals(forced, java.util.Arrays.copyOf(r.tokens(), 3), "forced tokens even under sampling");
            assertTrue(constraint.isDone());
            assertEquals(0f, r.logprobs()[0], 1e-6, "the only allowed token has probability 1");
            int p = seq.tokens().length;
            assertEquals(List.of(p, p + 1, p + 2, p + 3, p + 4), lengths);
        }
    }
}
