package dev.gptoss4j.engine;

import dev.gptoss4j.engine.sampling.LogitsProcessor;
import dev.gptoss4j.engine.sampling.SamplerConfig;
import java.util.Set;

/**
 * What to generate after the session's current tokens.
 *
 * @param maxTokens    the most tokens to generate
 * @param sampler      how to choose each token
 * @param stopTokens   tokens that end the generation; empty = the model's defaults ({@link GptOss#defaultStopTokens})
 * @param cancellation checked before each token; may be set from another thread
 * @param logitsProcessor applied to (a copy of) the logits before each token is sampled; null for none
 * @param draftTokens  speculative decoding: the most tokens {@code drafter} may draft per step, verified in
 *                     one batched forward pass (0 = off). The output is exactly the same as without it.
 * @param drafter      how drafts are found (default: {@link PromptLookup#defaults()})
 */
public record GenerationRequest(
        int maxTokens,
        SamplerConfig sampler,
        Set<Integer> stopTokens,
        Cancellation cancellation,
        LogitsProcessor logitsProcessor,
        int draftTokens,
        Drafter drafter) {

    public GenerationRequest {
        if (maxTokens < 0) throw new IllegalArgumentException("maxTokens must be >= 0, got " + maxTokens);
        if (sampler == null) throw new IllegalArgumentException("sampler is required");
        stopTokens = Set.copyOf(stopTokens);
        if (cancellation == null) cancellation = new Cancellation();
        if (draftTokens < 0) throw new IllegalArgumentException("draftTokens must be >= 0, got " + draftTokens);
        if (drafter == null) drafter = PromptLookup.defaults();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private int maxTokens = 256;
        private SamplerConfig sampler = SamplerConfig.greedy();
        private Set<Integer> stopTokens = Set.of();
        private Cancellation cancellation = new Cancellation();
        private LogitsProcessor logitsProcessor;
        private int draftTokens;
        private Drafter drafter = PromptLookup.defaults();

        public Builder maxTokens(int v) {
            maxTokens = v;
            return this;
        }

        public Builder sampler(SamplerConfig v) {
            sampler = v;
            return this;
        }

        public Builder stopTokens(Set<Integer> v) {
            stopTokens = v;
            return this;
        }

        public Builder cancellation(Cancellation v) {
            cancellation = v;
            return this;
        }

        public Builder logitsProcessor(LogitsProcessor v) {
            logitsProcessor = v;
            return this;
        }

        public Builder draftTokens(int v) {
            draftTokens = v;
            return this;
        }

        public Builder drafter(Drafter v) {
            drafter = v;
            return this;
        }

        public GenerationRequest build() {
            return new GenerationRequest(
                    maxTokens, sampler, stopTokens, cancellation, logitsProcessor, draftTokens, drafter);
        }
    }
}
