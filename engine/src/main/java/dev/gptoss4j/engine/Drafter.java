package dev.gptoss4j.engine;

/**
 * Proposes the tokens likely to follow a sequence, for speculative decoding. Guesses cost one batched verification
 * pass and never change the output, only its speed. {@link PromptLookup} is the built-in one; a smaller draft
 * model fits behind the same interface.
 */
@FunctionalInterface
public interface Drafter {

    /**
     * Writes up to {@code max} guessed next tokens of {@code tokens[0..length)} to {@code out} and returns how
     * many (0 = no guess).
     */
    int draft(int[] tokens, int length, int[] out, int max);
}
