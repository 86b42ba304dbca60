package dev.gptoss4j.engine.constrain;

import dev.gptoss4j.engine.sampling.LogitsProcessor;

/**
 * Restricts which tokens may be sampled, one token at a time: {@link #mask} before sampling, {@link #accept} with
 * what was sampled. Once {@link #isDone() done} it restricts nothing. Not thread-safe.
 */
public interface TokenConstraint {

    /** Sets the logits of every token that may not come next to negative infinity. */
    void mask(float[] logits);

    /**
     * Moves past the token that came next.
     *
     * @throws IllegalStateException when the token was not allowed (it was not sampled under {@link #mask})
     */
    void accept(int token);

    /** Whether the constrained part is over (its end token was accepted). */
    boolean isDone();

    /** Exactly these tokens, in this order. */
    static TokenConstraint forced(int... tokens) {
        return new ForcedTokens(tokens);
    }

    /** First one constraint until it is done, then the next. */
    static TokenConstraint sequence(TokenConstraint... parts) {
        return new SequenceConstraint(parts);
    }

    /**
     * An engine logits processor applying {@code constraint} (for {@code GenerationRequest.logitsProcessor}). The
     * tokens present at its first call are the prompt; every later token is fed to {@link #accept} until the
     * constraint is done.
     */
    static LogitsProcessor asLogitsProcessor(TokenConstraint constraint) {
        return new LogitsProcessor() {
            private int seen = -1;

            @Override
            public void process(float[] logits, int[] tokens, int length) {
                if (seen < 0) seen = length;
                // tokens after the constrained part are none of its business
                while (seen < length) {
                    int token = tokens[seen++];
                    if (!constraint.isDone()) constraint.accept(token);
                }
                if (!constraint.isDone()) constraint.mask(logits);
            }
        };
    }
}
