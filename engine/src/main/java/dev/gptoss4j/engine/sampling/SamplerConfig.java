package dev.gptoss4j.engine.sampling;

import java.util.Map;

/**
 * How to choose the next token from the logits. Applied in this order: logit bias, repetition / presence /
 * frequency penalties over the last {@code penaltyLastN} tokens, temperature (0 = greedy argmax), top-k,
 * top-p, min-p, then a draw from the renormalized distribution with a generator seeded by {@code seed}.
 *
 * @param temperature       divides the logits; 0 or less picks the most likely token
 * @param topK              keep the k most likely tokens (0 = off)
 * @param topP              keep the smallest most-likely set whose probability reaches p (1 = off)
 * @param minP              drop tokens less likely than minP times the most likely one (0 = off)
 * @param repetitionPenalty divide positive logits of recent tokens by it, multiply negative ones (1 = off)
 * @param presencePenalty   subtract from the logit of every token present in the recent tokens (0 = off)
 * @param frequencyPenalty  subtract, times its count in the recent tokens (0 = off)
 * @param penaltyLastN      how many recent tokens the penalties look at (0 = all)
 * @param logitBias         added to the logits of the given token ids (use -infinity to forbid one)
 * @param seed              seed of the random generator; same seed and inputs, same tokens
 */
public record SamplerConfig(
        float temperature,
        int topK,
        float topP,
        float minP,
        float repetitionPenalty,
        float presencePenalty,
        float frequencyPenalty,
        int penaltyLastN,
        Map<Integer, Float> logitBias,
        long seed) {

    public SamplerConfig {
        logitBias = Map.copyOf(logitBias);
        if (Float.isNaN(temperature)) throw new IllegalArgumentException("temperature is NaN");
        if (topK < 0) throw new IllegalArgumentException("topK must be >= 0, got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        if (!(minP >= 0 && minP <= 1)) throw new IllegalArgumentException("minP must be in [0, 1], got " + minP);
        if (!(repetitionPenalty > 0)) {
            throw new IllegalArgumentException("repetitionPenalty must be > 0, got " + repetitionPenalty);
        }
        if (penaltyLastN < 0) throw new IllegalArgumentException("penaltyLastN must be >= 0, got " + penaltyLastN);
    }

    /** Always the most likely token. */
    public static SamplerConfig greedy() {
        return builder().temperature(0).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean isGreedy() {
        return temperature <= 0;
    }

    public Builder toBuilder() {
        return new Builder()
                .temperature(temperature)
                .topK(topK)
                .topP(topP)
                .minP(minP)
                .repetitionPenalty(repetitionPenalty)
                .presencePenalty(presencePenalty)
                .frequencyPenalty(frequencyPenalty)
                .penaltyLastN(penaltyLastN)
                .logitBias(logitBias)
                .seed(seed);
    }

    /** Defaults: temperature 1, no truncation, no penalties, seed from the clock. */
    public static final class Builder {
        private float temperature = 1f;
        private int topK;
        private float topP = 1f;
        private float minP;
        private float repetitionPenalty = 1f;
        private float presencePenalty;
        private float frequencyPenalty;
        private int penaltyLastN = 64;
        private Map<Integer, Float> logitBias = Map.of();
        private long seed = System.nanoTime();

        public Builder temperature(float v) {
            temperature = v;
            return this;
        }

        public Builder topK(int v) {
            topK = v;
            return this;
        }

        public Builder topP(float v) {
            topP = v;
            return this;
        }

        public Builder minP(float v) {
            minP = v;
            return this;
        }

        public Builder repetitionPenalty(float v) {
            repetitionPenalty = v;
            return this;
        }

        public Builder presencePenalty(float v) {
            presencePenalty = v;
            return this;
        }

        public Builder frequencyPenalty(float v) {
            frequencyPenalty = v;
            return this;
        }

        public Builder penaltyLastN(int v) {
            penaltyLastN = v;
            return this;
        }

        public Builder logitBias(Map<Integer, Float> v) {
            logitBias = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public SamplerConfig build() {
            return new SamplerConfig(
                    temperature,
                    topK,
                    topP,
                    minP,
                    repetitionPenalty,
                    presencePenalty,
                    frequencyPenalty,
                    penaltyLastN,
                    logitBias,
                    seed);
        }
    }
}
