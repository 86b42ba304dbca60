package dev.gptoss4j.engine.constrain;

import java.util.Arrays;

/** A fixed token sequence (a message header, say): each step allows exactly the next token of it. */
final class ForcedTokens implements TokenConstraint {

    private final int[] tokens;
    private int next;

    ForcedTokens(int[] tokens) {
        this.tokens = tokens.clone();
    }

    @Override
    public void mask(float[] logits) {
        if (isDone()) return;
        int keep = tokens[next];
        float kept = logits[keep];
        Arrays.fill(logits, Float.NEGATIVE_INFINITY);
        // a forced token stays sampleable even if the model gave it no chance at all
        logits[keep] = Float.isFinite(kept) ? kept : 0f;
    }

    @Override
    public void accept(int token) {
        if (isDone()) throw new IllegalStateException("the forced tokens are over");
        if (token != tokens[next]) {
            throw new IllegalStateException("expected forced token " + tokens[next] + " at " + next + ", got " + token);
        }
        next++;
    }

    @Override
    public boolean isDone() {
        return next == tokens.length;
    }
}
