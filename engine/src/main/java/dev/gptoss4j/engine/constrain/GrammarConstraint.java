package dev.gptoss4j.engine.constrain;

import dev.gptoss4j.engine.tokenizer.SpecialTokens;

/**
 * Text that must follow a byte-level grammar, then one of the given end tokens (only once the text is complete,
 * e.g. {@code <|call|>} after a tool's JSON arguments). Special tokens other than the end tokens are never
 * allowed inside. The mask of each state comes from a {@link TokenMask}, cached per state.
 */
public final class GrammarConstraint implements TokenConstraint {

    private final TokenMask masks;
    private final int[] endTokens;
    private GrammarState state;
    private boolean done;

    /**
     * @param masks     masks over the vocabulary (its trie gives each token's bytes)
     * @param start     the grammar's start state
     * @param endTokens the tokens that may close the text once the grammar is complete
     */
    public GrammarConstraint(TokenMask masks, GrammarState start, int... endTokens) {
        if (endTokens.length == 0) throw new IllegalArgumentException("at least one end token is needed");
        this.masks = masks;
        this.state = start;
        this.endTokens = endTokens.clone();
    }

    public GrammarState state() {
        return state;
    }

    @Override
    public void mask(float[] logits) {
        if (done) return;
        boolean complete = state.isComplete();
        float[] ends = new float[endTokens.length];
        for (int i = 0; i < ends.length; i++) ends[i] = endTokens[i] < logits.length ? logits[endTokens[i]] : 0f;
        long[] bits = masks.allowed(state);
        int n = Math.min(logits.length, bits.length * 64);
        boolean any = false;
        for (int w = 0; w * 64 < n; w++) {
            long word = bits[w];
            if (word == -1L) {
                any = true;
                continue;
            }
            if (word != 0) any = true;
            int base = w * 64;
            int end = Math.min(base + 64, n);
            for (int id = base; id < end; id++) {
                if ((word & (1L << id)) == 0) logits[id] = Float.NEGATIVE_INFINITY;
            }
        }
        for (int id = n; id < logits.length; id++) logits[id] = Float.NEGATIVE_INFINITY;
        if (complete) {
            for (int i = 0; i < ends.length; i++) {
                // the end token stays sampleable even if the model gave it no chance at all
                if (endTokens[i] < logits.length)
                    logits[endTokens[i]] = ends[i] == Float.NEGATIVE_INFINITY ? 0f : ends[i];
            }
        }
        if (!any && !complete) {
            throw new IllegalStateException("no token can continue the constrained text in state " + state);
        }
    }

    @Override
    public void accept(int token) {
        if (done) throw new IllegalStateException("the constrained text is over");
        for (int end : endTokens) {
            if (token == end) {
                if (!state.isComplete()) {
                    throw new IllegalStateException(
                            SpecialTokens.name(end) + " before the constrained text is complete");
                }
                done = true;
                return;
            }
        }
        byte[] bytes = masks.trie().bytes(token);
        if (bytes == null) throw new IllegalStateException("token " + token + " is not allowed in constrained text");
        GrammarState next = state.step(bytes);
        if (next == null) {
            throw new IllegalStateException(
                    "token " + token + " '" + new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                            + "' does not fit the constrained text");
        }
        state = next;
    }

    @Override
    public boolean isDone() {
        return done;
    }
}
