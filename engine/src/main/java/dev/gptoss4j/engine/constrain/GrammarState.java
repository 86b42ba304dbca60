package dev.gptoss4j.engine.constrain;

/**
 * A position in a byte-level grammar: which bytes may come next, and whether the text so far is a complete
 * sentence. States are immutable values ({@code equals}/{@code hashCode} by content), so token masks can be cached
 * per state. A grammar must only ever produce <em>viable</em> states: every state returned by {@link #step} has at
 * least one way to reach a complete one. That is what lets {@link TokenMask} promise that every allowed token
 * keeps the output completable.
 */
public interface GrammarState {

    /** The state after one more byte ({@code 0..255}), or null when the byte cannot come next. */
    GrammarState step(int b);

    /** Whether the bytes so far form a complete sentence (the end token may come now). */
    boolean isComplete();

    /** Feeds several bytes; null as soon as one cannot come next. */
    default GrammarState step(byte[] bytes) {
        GrammarState s = this;
        for (int i = 0; i < bytes.length && s != null; i++) s = s.step(bytes[i] & 0xFF);
        return s;
    }
}
