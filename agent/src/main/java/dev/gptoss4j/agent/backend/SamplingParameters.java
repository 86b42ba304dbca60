package dev.gptoss4j.agent.backend;

import dev.gptoss4j.engine.sampling.SamplerConfig;

/**
 * Per-call sampling settings that override a backend's own; a {@code null} field keeps the backend's setting.
 * Backends that do not sample (replays) ignore them.
 *
 * @param temperature      0 picks the most likely token
 * @param topP             nucleus size, in (0, 1]
 * @param topK             keep the k most likely tokens (0 = off)
 * @param presencePenalty  subtracted from the logits of tokens already present
 * @param frequencyPenalty subtracted per occurrence of a token already present
 * @param seed             seed of the random draw: same seed and inputs, same tokens
 */
public record SamplingParameters(
        Double temperature, Double topP, Integer topK, Double presencePenalty, Double frequencyPenalty, Long seed) {

    /** Nothing overridden. */
    public static final SamplingParameters DEFAULT = new SamplingParameters(null, null, null, null, null, null);

    public SamplingParameters {
        if (temperature != null && (temperature.isNaN() || temperature < 0)) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        if (topP != null && !(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
        if (topK != null && topK < 0) throw new IllegalArgumentException("topK must be >= 0, got " + topK);
    }

    public boolean isDefault() {
        return equals(DEFAULT);
    }

    /** {@code base} with this call's overrides applied. */
    public SamplerConfig applyTo(SamplerConfig base) {
        if (isDefault()) return base;
        SamplerConfig.Builder b = base.toBuilder();
        if (temperature != null) b.temperature(temperature.floatValue());
        if (topP != null) b.topP(topP.floatValue());
        if (topK != null) b.topK(topK);
        if (presencePenalty != null) b.presencePenalty(presencePenalty.floatValue());
        if (frequencyPenalty != null) b.frequencyPenalty(frequencyPenalty.floatValue());
        if (seed != null) b.seed(seed);
        return b.build();
    }
}
