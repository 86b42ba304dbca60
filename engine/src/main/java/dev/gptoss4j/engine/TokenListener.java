package dev.gptoss4j.engine;

/** Receives each generated token as soon as it is chosen (stop tokens included). */
@FunctionalInterface
public interface TokenListener {

    /**
     * @param token   the token id
     * @param logprob natural log of its probability under the model's unmodified distribution
     */
    void onToken(int token, float logprob);

    /** A listener that ignores everything. */
    static TokenListener none() {
        return (token, logprob) -> {};
    }
}
