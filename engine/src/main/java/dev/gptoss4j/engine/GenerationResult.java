package dev.gptoss4j.engine;

/** The tokens a generation produced, their log-probabilities, and why it stopped. */
public record GenerationResult(int[] tokens, float[] logprobs, FinishReason finishReason) {
    public GenerationResult {
        tokens = tokens.clone();
        logprobs = logprobs.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    @Override
    public float[] logprobs() {
        return logprobs.clone();
    }
}
