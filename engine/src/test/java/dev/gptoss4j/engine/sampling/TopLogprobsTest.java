package dev.gptoss4j.engine.sampling;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class TopLogprobsTest {

    @Test
    void theMostLikelyTokensWithTheirLogSoftmaxInOrder() {
        float[] logits = {1f, 3f, Float.NEGATIVE_INFINITY, 2f, 3f, -1f};
        TopLogprobs top = TopLogprobs.of(logits, 3);
        assertArrayEquals(new int[] {1, 4, 3}, top.tokens(), "ties keep the lower id first");
        for (int j = 0; j < 3; j++) {
            assertEquals(Sampler.logSoftmaxAt(logits, top.tokens()[j]), top.logprobs()[j], 1e-6);
        }
        double total = 0;
        for (float l : logits) total += Math.exp(l - TopLogprobs.logSumExp(logits));
        assertEquals(1.0, total, 1e-9, "the normalizer makes the probabilities sum to 1");
    }

    @Test
    void forbiddenTokensAreNeverListedAndKZeroListsNothing() {
        float[] logits = {Float.NEGATIVE_INFINITY, 0.5f, Float.NEGATIVE_INFINITY};
        TopLogprobs top = TopLogprobs.of(logits, 5);
        assertArrayEquals(new int[] {1}, top.tokens());
        assertEquals(0f, top.logprobs()[0], 1e-6, "the only allowed token is certain");
        assertEquals(0, TopLogprobs.of(logits, 0).tokens().length);
        assertThrows(IllegalArgumentException.class, () -> TopLogprobs.of(logits, 21));
    }
}
