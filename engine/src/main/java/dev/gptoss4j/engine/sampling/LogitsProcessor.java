package dev.gptoss4j.engine.sampling;

/**
 * Changes the logits before each token is sampled, for example to forbid tokens (set them to negative infinity)
 * as constrained decoding does. Called once per generated token, on the thread that generates.
 */
@FunctionalInterface
public interface LogitsProcessor {

    /**
     * @param logits one per vocabulary entry, a scratch copy that may be modified in place
     * @param tokens the session's tokens so far ({@code tokens[0..length)}), the last generated one included
     * @param length how many entries of {@code tokens} are valid
     */
    void process(float[] logits, int[] tokens, int length);
}
