package dev.gptoss4j.engine;

import dev.gptoss4j.engine.kernels.KvBuffer;
import dev.gptoss4j.engine.kernels.KvPool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Key/value caches of recently computed token sequences, shared by all sessions of one model, so that a new
 * session whose prompt starts like an earlier one (the same system prompt and tools, an agent's next turn on a
 * fresh session) computes only the tokens after the longest common prefix. Least recently used entries go first
 * when the entries' total exceeds {@link #maxBytes()}; an entry that is a prefix of a newer one is dropped as
 * redundant. Sliding-window layers keep only the positions a continuation can still attend to (window plus
 * {@link #SLIDING_EXTRA}). Entries share the sessions' cache blocks ({@link KvPool}) instead of copying them:
 * publishing a prefix costs a reference count per block, and a session writing into a shared block copies that one
 * block. Thread-safe.
 */
public final class PrefixCache {

    /** Positions kept for sliding layers beyond their window, so prefixes shorter than an entry can still match. */
    public static final int SLIDING_EXTRA = 256;

    /** Default budget: enough for a few long agent conversations of a 20b model. */
    public static final long DEFAULT_MAX_BYTES = 256L << 20;

    /**
     * One cached sequence: its tokens and, per layer, the shared blocks holding positions {@code from[l] ..}
     * ({@code from[l]} is a block boundary; {@code blocks[l][0]} holds it).
     */
    static final class Entry {
        final KvPool pool;
        final int[] tokens;
        final int[] from;
        final int[][] blocks;
        final long bytes;

        Entry(KvPool pool, int[] tokens, int[] from, int[][] blocks) {
            this.pool = pool;
            this.tokens = tokens;
            this.from = from;
            this.blocks = blocks;
            long b = 4L * tokens.length;
            for (int[] layer : blocks) b += layer.length * pool.blockBytes();
            this.bytes = b;
        }

        void release() {
            for (int[] layer : blocks) for (int block : layer) pool.release(block);
        }
    }

    /**
     * A usable match: restore the first {@code length} tokens of {@code entry}. The entry's blocks are held for the
     * caller until {@link #release} (the entry itself may be evicted meanwhile).
     */
    record Match(Entry entry, int length) {
        void release() {
            entry.release();
        }
    }

    private final Map<Entry, Boolean> lru = new LinkedHashMap<>(16, 0.75f, true);
    private long maxBytes;
    private long usedBytes;
    private long hits;
    private long reusedTokens;

    public PrefixCache(long maxBytes) {
        setMaxBytes(maxBytes);
    }

    public synchronized long maxBytes() {
        return maxBytes;
    }

    /** Changes the budget (0 disables the cache), evicting as needed. */
    public synchronized void setMaxBytes(long maxBytes) {
        if (maxBytes < 0) throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
        this.maxBytes = maxBytes;
        evict();
    }

    public synchronized long usedBytes() {
        return usedBytes;
    }

    public synchronized int size() {
        return lru.size();
    }

    /** Lookups that restored a prefix. */
    public synchronized long hits() {
        return hits;
    }

    /** Tokens that did not have to be computed thanks to the cache. */
    public synchronized long reusedTokens() {
        return reusedTokens;
    }

    public synchronized void clear() {
        for (Entry e : lru.keySet()) e.release();
        lru.clear();
        usedBytes = 0;
    }

    /** Drops the least recently used entry holding blocks of {@code pool}; false when there is none. */
    synchronized boolean evictOldest(KvPool pool) {
        for (Entry e : lru.keySet()) {
            if (e.pool == pool) {
                remove(e);
                return true;
            }
        }
        return false;
    }

    /**
     * The entry sharing the longest prefix with {@code tokens[0..length)}, usable for restoring {@code m} tokens
     * with {@code minimum < m <= limit}: every sliding layer must still hold the window before position m.
     */
    synchronized Match find(
            KvPool pool, int[] tokens, int length, int limit, int minimum, int window, boolean[] sliding) {
        Entry best = null;
        int bestLength = minimum;
        for (Entry e : lru.keySet()) {
            if (e.pool != pool) continue;
            int max = Math.min(Math.min(e.tokens.length, length), limit);
            int m = 0;
            while (m < max && e.tokens[m] == tokens[m]) m++;
            if (m <= bestLength) continue;
            boolean usable = true;
            for (int l = 0; l < sliding.length; l++) {
                if (sliding[l] && e.from[l] > Math.max(0, m - window)) usable = false;
            }
            if (usable) {
                best = e;
                bestLength = m;
            }
        }
        if (best == null) return null;
        lru.get(best); // touch: most recently used
        for (int[] layer : best.blocks) for (int block : layer) best.pool.retain(block);
        hits++;
        reusedTokens += bestLength;
        return new Match(best, bestLength);
    }

    /**
     * Stores the first {@code length} tokens and their cached keys/values from position {@code from[l]} of each
     * layer (rounded down to a block boundary, which must be held), sharing the cache's blocks; replaces entries
     * it extends.
     */
    synchronized void put(int[] tokens, int length, KvBuffer[] cache, int[] from) {
        if (length == 0 || maxBytes == 0) return;
        KvPool pool = cache[0].pool();
        for (Entry e : lru.keySet()) {
            if (e.pool == pool && e.tokens.length >= length && Arrays.equals(e.tokens, 0, length, tokens, 0, length)) {
                lru.get(e); // already held (or a longer one is): just touch it
                return;
            }
        }
        int layers = cache.length;
        int[] aligned = new int[layers];
        long need = 4L * length;
        for (int l = 0; l < layers; l++) {
            aligned[l] = from[l] / KvPool.BLOCK * KvPool.BLOCK;
            need += (KvPool.blocksFor(length) - aligned[l] / KvPool.BLOCK) * pool.blockBytes();
        }
        if (need > maxBytes) return;
        int[][] blocks = new int[layers][];
        for (int l = 0; l < layers; l++) {
            int first = aligned[l] / KvPool.BLOCK;
            blocks[l] = new int[KvPool.blocksFor(length) - first];
            for (int b = 0; b < blocks[l].length; b++) {
                blocks[l][b] = cache[l].block((first + b) * KvPool.BLOCK);
                pool.retain(blocks[l][b]);
            }
        }
        Entry entry = new Entry(pool, Arrays.copyOf(tokens, length), aligned, blocks);
        List<Entry> redundant = new ArrayList<>();
        for (Entry e : lru.keySet()) {
            if (e.pool == pool
                    && e.tokens.length <= length
                    && Arrays.equals(e.tokens, 0, e.tokens.length, tokens, 0, e.tokens.length)) {
                redundant.add(e);
            }
        }
        for (Entry e : redundant) remove(e);
        lru.put(entry, Boolean.TRUE);
        usedBytes += entry.bytes;
        evict();
    }

    private void remove(Entry e) {
        if (lru.remove(e) != null) {
            usedBytes -= e.bytes;
            e.release();
        }
    }

    private void evict() {
        Iterator<Entry> it = lru.keySet().iterator();
        while (usedBytes > maxBytes && it.hasNext()) {
            Entry e = it.next();
            it.remove();
            usedBytes -= e.bytes;
            e.release();
        }
    }
}
