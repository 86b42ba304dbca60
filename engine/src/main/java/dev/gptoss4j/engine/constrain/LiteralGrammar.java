package dev.gptoss4j.engine.constrain;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Exactly one of a fixed set of texts (for example the header of a call to one of the function tools). */
public final class LiteralGrammar {

    private final LiteralTrie trie;
    private final List<String> texts;

    private LiteralGrammar(List<String> texts) {
        if (texts.isEmpty()) throw new IllegalArgumentException("a literal grammar needs at least one text");
        List<byte[]> bytes = new ArrayList<>();
        for (String t : texts) {
            if (t.isEmpty()) throw new IllegalArgumentException("a literal grammar cannot hold the empty text");
            bytes.add(t.getBytes(StandardCharsets.UTF_8));
        }
        this.texts = List.copyOf(texts);
        this.trie = new LiteralTrie(bytes);
    }

    public static LiteralGrammar of(List<String> texts) {
        return new LiteralGrammar(texts);
    }

    public List<String> texts() {
        return texts;
    }

    public GrammarState start() {
        return new State(trie, 0);
    }

    /** The index of the text that {@code state} (of this grammar) has completed, or -1. */
    public int matched(GrammarState state) {
        return state instanceof State s && s.trie == trie ? trie.terminal(s.node) : -1;
    }

    private record State(LiteralTrie trie, int node) implements GrammarState {
        @Override
        public GrammarState step(int b) {
            int next = trie.child(node, b);
            return next < 0 ? null : new State(trie, next);
        }

        @Override
        public boolean isComplete() {
            return trie.terminal(node) >= 0;
        }
    }
}
