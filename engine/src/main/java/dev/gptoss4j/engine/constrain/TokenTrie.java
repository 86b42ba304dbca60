package dev.gptoss4j.engine.constrain;

import dev.gptoss4j.engine.tokenizer.Tokenizer;
import java.util.Arrays;

/**
 * The byte strings of every ordinary token in one prefix tree, laid out flat in depth-first order so that a mask
 * computation is one forward scan: node {@code i} adds byte {@link #label} to its parent's string, sits at
 * {@link #depth}, and its subtree ends just before {@link #subtreeEnd}; skipping a dead prefix is a jump.
 * Special tokens are not in the tree (they have no text bytes).
 */
public final class TokenTrie {

    private static volatile TokenTrie o200k;

    final byte[] label;
    final short[] depth;
    final int[] subtreeEnd;
    /** Tokens ending at node i: ids[tokenStart[i] .. tokenStart[i+1]). */
    final int[] tokenStart;

    final int[] ids;
    final int vocabularySize;
    private final byte[][] bytesById;
    final int maxDepth;

    private TokenTrie(byte[][] tokens, int vocabularySize) {
        this.vocabularySize = vocabularySize;
        this.bytesById = tokens;
        Integer[] order = new Integer[tokens.length];
        int n = 0;
        for (int id = 0; id < tokens.length; id++) if (tokens[id] != null && tokens[id].length > 0) order[n++] = id;
        Integer[] sorted = Arrays.copyOf(order, n);
        Arrays.sort(sorted, (a, b) -> Arrays.compareUnsigned(tokens[a], tokens[b]));
        // count nodes: one per distinct non-empty prefix, i.e. per token the bytes beyond its common prefix with
        // the previous token in sorted order
        int nodes = 1;
        int deepest = 0;
        for (int i = 0; i < n; i++) {
            byte[] t = tokens[sorted[i]];
            int common = i == 0 ? 0 : commonPrefix(tokens[sorted[i - 1]], t);
            nodes += t.length - common;
            deepest = Math.max(deepest, t.length);
        }
        this.maxDepth = deepest;
        label = new byte[nodes];
        depth = new short[nodes];
        subtreeEnd = new int[nodes];
        tokenStart = new int[nodes + 1];
        ids = new int[n];
        int[] path = new int[deepest + 1]; // node index at each depth along the current path
        int[] endsAt = new int[n]; // node at which each sorted token ends
        int next = 1; // node 0 is the root (the empty string)
        for (int i = 0; i < n; i++) {
            byte[] t = tokens[sorted[i]];
            int common = i == 0 ? 0 : commonPrefix(tokens[sorted[i - 1]], t);
            for (int d = common; d < t.length; d++) {
                label[next] = t[d];
                depth[next] = (short) (d + 1);
                path[d + 1] = next++;
            }
            endsAt[i] = path[t.length];
        }
        // subtree ends: a node's subtree lasts until the next node at the same or a smaller depth
        int[] open = new int[deepest + 2];
        int top = 0;
        for (int v = 0; v < nodes; v++) {
            while (top > 0 && depth[open[top - 1]] >= depth[v]) subtreeEnd[open[--top]] = v;
            open[top++] = v;
        }
        while (top > 0) subtreeEnd[open[--top]] = nodes;
        for (int i = 0; i < n; i++) tokenStart[endsAt[i] + 1]++;
        for (int v = 0; v < nodes; v++) tokenStart[v + 1] += tokenStart[v];
        int[] fill = Arrays.copyOf(tokenStart, nodes);
        for (int i = 0; i < n; i++) ids[fill[endsAt[i]]++] = sorted[i];
    }

    private static int commonPrefix(byte[] a, byte[] b) {
        int m = Arrays.mismatch(a, b);
        return m < 0 ? a.length : m;
    }

    /** The tree of o200k_harmony's ordinary tokens (built once, shared). */
    public static TokenTrie o200kHarmony() {
        TokenTrie t = o200k;
        if (t == null) {
            synchronized (TokenTrie.class) {
                t = o200k;
                if (t == null) o200k = t = of(Tokenizer.o200kHarmony());
            }
        }
        return t;
    }

    /** The tree of a tokenizer's ordinary tokens. */
    public static TokenTrie of(Tokenizer tokenizer) {
        byte[][] bytes = new byte[tokenizer.vocabularySize()][];
        for (int id = 0; id < bytes.length; id++) if (!tokenizer.isSpecial(id)) bytes[id] = tokenizer.tokenBytes(id);
        return new TokenTrie(bytes, tokenizer.vocabularySize());
    }

    /** A tree of arbitrary token byte strings (null or empty entries are left out), for tests. */
    public static TokenTrie of(byte[][] tokens) {
        return new TokenTrie(tokens.clone(), tokens.length);
    }

    /** The bytes of an ordinary token in the tree, or null (special, unknown or out of range). */
    public byte[] bytes(int id) {
        return id >= 0 && id < bytesById.length ? bytesById[id] : null;
    }

    public int nodeCount() {
        return label.length;
    }

    public int vocabularySize() {
        return vocabularySize;
    }
}
