package dev.gptoss4j.engine.constrain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which ordinary tokens may come next in a grammar state: one depth-first scan of the {@link TokenTrie}, stepping
 * the grammar one byte per tree edge and skipping every subtree whose prefix the grammar rejects. Masks are cached
 * per state (least recently used first out), because decoding revisits the same states again and again (inside a
 * free string every character leads back to the same state). Not thread-safe: one per generating thread.
 */
public final class TokenMask {

    private final TokenTrie trie;
    private final int cacheSize;
    private final GrammarState[] states;
    private final Map<GrammarState, long[]> cache;
    private long computed;
    private long lookups;

    public TokenMask(TokenTrie trie) {
        this(trie, 64);
    }

    /** @param cacheSize masks kept (each takes vocabulary/8 bytes, 25 KB for o200k); 0 turns caching off */
    public TokenMask(TokenTrie trie, int cacheSize) {
        if (cacheSize < 0) throw new IllegalArgumentException("cacheSize must be >= 0, got " + cacheSize);
        this.trie = trie;
        this.cacheSize = cacheSize;
        this.states = new GrammarState[trie.maxDepth + 1];
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<GrammarState, long[]> eldest) {
                return size() > TokenMask.this.cacheSize;
            }
        };
    }

    public TokenTrie trie() {
        return trie;
    }

    /**
     * The ordinary tokens allowed in {@code state}, as a bit set over the vocabulary (bit {@code id % 64} of word
     * {@code id / 64}); shared with the cache, do not modify.
     */
    public long[] allowed(GrammarState state) {
        lookups++;
        long[] bits = cacheSize == 0 ? null : cache.get(state);
        if (bits == null) {
            bits = compute(state);
            if (cacheSize > 0) cache.put(state, bits);
        }
        return bits;
    }

    /** The scan itself, without the cache (what a cache miss costs). */
    public long[] compute(GrammarState state) {
        computed++;
        long[] bits = new long[(trie.vocabularySize + 63) >>> 6];
        byte[] label = trie.label;
        short[] depth = trie.depth;
        int[] subtreeEnd = trie.subtreeEnd;
        int[] tokenStart = trie.tokenStart;
        int[] ids = trie.ids;
        GrammarState[] at = states;
        at[0] = state;
        int n = label.length;
        int v = 1;
        while (v < n) {
            int d = depth[v];
            GrammarState next = at[d - 1].step(label[v] & 0xFF);
            if (next == null) {
                v = subtreeEnd[v];
                continue;
            }
            at[d] = next;
            for (int k = tokenStart[v], end = tokenStart[v + 1]; k < end; k++) {
                int id = ids[k];
                bits[id >>> 6] |= 1L << id;
            }
            v++;
        }
        java.util.Arrays.fill(at, null);
        return bits;
    }

    /** How many masks were computed by scanning (cache misses included) and asked for. */
    public long computedCount() {
        return computed;
    }

    public long lookupCount() {
        return lookups;
    }

    public static boolean isSet(long[] bits, int id) {
        return (bits[id >>> 6] & (1L << id)) != 0;
    }
}
