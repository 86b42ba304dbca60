package dev.gptoss4j.engine.kernels;

import java.util.Arrays;

/**
 * Keys and values of one layer of one sequence, by absolute position, in blocks of a shared {@link KvPool}
 * (a block table, as in paged attention). A sliding-window layer keeps only the blocks of its last
 * {@code capacity} positions and hands older ones back to the pool; a full layer takes blocks as positions are
 * written, up to a maximum, so a long configured context costs memory only when it is used. Blocks shared with
 * the prefix cache are read-only: writing into one copies it first. One owner at a time (the sequence's).
 */
public final class KvBuffer implements AutoCloseable {

    private static final int NONE = -1;

    private final KvPool pool;
    private final int retain; // positions kept behind the newest written one; MAX_VALUE: all
    private final int maxPositions;
    private int[] table = new int[0]; // block id per block index, NONE when not held
    private int lowest; // lowest block index that may be held

    private KvBuffer(KvPool pool, int retain, int maxPositions) {
        this.pool = pool;
        this.retain = retain;
        this.maxPositions = maxPositions;
    }

    /** A sliding-window layer's buffer holding (at least) the last {@code capacity} positions. */
    public static KvBuffer ring(KvPool pool, int capacity) {
        if (capacity <= 0) throw new IllegalArgumentException("ring capacity must be positive: " + capacity);
        return new KvBuffer(pool, capacity, Integer.MAX_VALUE);
    }

    /** A buffer for positions {@code 0 .. maxPositions-1}, taking blocks as they are written. */
    public static KvBuffer growing(KvPool pool, int maxPositions) {
        return new KvBuffer(pool, Integer.MAX_VALUE, maxPositions);
    }

    public KvPool pool() {
        return pool;
    }

    public boolean isRing() {
        return retain != Integer.MAX_VALUE;
    }

    /** Positions a ring keeps, or the maximum position count of a growing buffer. */
    public int capacity() {
        return isRing() ? retain : maxPositions;
    }

    /** Row width in numbers (kv heads x head dimension). */
    public int width() {
        return pool.kvHeads() * pool.headDim();
    }

    /** The oldest position whose block is still held (0 when none is). */
    public int oldestHeld() {
        for (int b = lowest; b < table.length; b++) if (table[b] != NONE) return b * KvPool.BLOCK;
        return 0;
    }

    /**
     * Makes {@code position} writable: takes its block from the pool (or a private copy of a shared one) and,
     * for a ring, hands back the blocks that fell out of the window.
     *
     * @throws KvPool.KvBudgetException when the pool's budget is spent
     */
    public void reserve(int position) {
        if (position >= maxPositions) {
            throw new IllegalStateException("position " + position + " exceeds the context of " + maxPositions);
        }
        int b = position / KvPool.BLOCK;
        if (b >= table.length) {
            int old = table.length;
            table = Arrays.copyOf(table, Math.max(b + 1, old * 2));
            Arrays.fill(table, old, table.length, NONE);
        }
        if (table[b] == NONE) {
            table[b] = pool.allocate();
            lowest = Math.min(lowest, b);
        } else if (pool.isShared(table[b])) {
            table[b] = pool.copyOnWrite(table[b]);
        }
        if (isRing()) {
            long keepFrom = (long) position + 1 - retain;
            while (lowest < b && (long) (lowest + 1) * KvPool.BLOCK <= keepFrom) {
                releaseBlock(lowest++);
            }
        }
    }

    private void releaseBlock(int b) {
        if (b < table.length && table[b] != NONE) {
            pool.release(table[b]);
            table[b] = NONE;
        }
    }

    /** Stores the keys {@code k[kOff..+width)} and values {@code v[vOff..+width)} of {@code position}. */
    public void write(int position, float[] k, int kOff, float[] v, int vOff) {
        reserve(position);
        var seg = pool.segment(table[position / KvPool.BLOCK]);
        int slot = position % KvPool.BLOCK;
        int hd = pool.headDim();
        long values = pool.valuesOffset();
        for (int h = 0; h < pool.kvHeads(); h++) {
            long at = pool.keyOffset(h, slot);
            KvKernels.encode(pool.type(), k, kOff + h * hd, seg, at, hd);
            KvKernels.encode(pool.type(), v, vOff + h * hd, seg, values + at, hd);
        }
    }

    /** The block id holding {@code position} (it must be held). */
    public int block(int position) {
        return table[position / KvPool.BLOCK];
    }

    /** Forgets positions from {@code n} on, handing back the blocks that lie wholly above it. */
    public void truncate(int n) {
        for (int b = KvPool.blocksFor(n); b < table.length; b++) releaseBlock(b);
    }

    /** Hands every block back. */
    public void clear() {
        for (int b = 0; b < table.length; b++) releaseBlock(b);
        lowest = 0;
    }

    /** Hands back the blocks wholly below {@code position} (they are not valid for this sequence). */
    public void dropBelow(int position) {
        for (int b = 0; (b + 1) * KvPool.BLOCK <= position && b < table.length; b++) releaseBlock(b);
        lowest = Math.max(lowest, position / KvPool.BLOCK);
    }

    /** Shares block index {@code index} of another holder (a cached prefix), replacing what this buffer held there. */
    public void adopt(int index, int block) {
        pool.retain(block);
        if (index >= table.length) {
            int old = table.length;
            table = Arrays.copyOf(table, Math.max(index + 1, old * 2));
            Arrays.fill(table, old, table.length, NONE);
        }
        releaseBlock(index);
        table[index] = block;
        lowest = Math.min(lowest, index);
    }

    /** Copies positions {@code from .. to-1} (inside one block) out of block {@code source} into this buffer. */
    public void copyFrom(int source, int from, int to) {
        if (from >= to) return;
        reserve(from);
        var dst = pool.segment(table[from / KvPool.BLOCK]);
        var src = pool.segment(source);
        int first = from % KvPool.BLOCK;
        long rowBytes = (long) pool.headDim() * pool.type().bytes();
        long len = (to - from) * rowBytes;
        for (int h = 0; h < pool.kvHeads(); h++) {
            long at = pool.keyOffset(h, first);
            java.lang.foreign.MemorySegment.copy(src, at, dst, at, len);
            java.lang.foreign.MemorySegment.copy(src, pool.valuesOffset() + at, dst, pool.valuesOffset() + at, len);
        }
    }

    /** Bytes of the blocks this buffer holds (shared blocks count for every holder). */
    public long allocatedBytes() {
        long n = 0;
        for (int id : table) if (id != NONE) n++;
        return n * pool.blockBytes();
    }

    /** Copies the keys and values of positions {@code from .. to-1} out as float32 rows of {@link #width()}. */
    public void read(int from, int to, float[] keys, float[] values) {
        int hd = pool.headDim();
        for (int p = from; p < to; p++) {
            var seg = pool.segment(block(p));
            int slot = p % KvPool.BLOCK;
            for (int h = 0; h < pool.kvHeads(); h++) {
                long at = pool.keyOffset(h, slot);
                int o = (p - from) * width() + h * hd;
                KvKernels.decode(pool.type(), seg, at, keys, o, hd);
                KvKernels.decode(pool.type(), seg, pool.valuesOffset() + at, values, o, hd);
            }
        }
    }

    @Override
    public void close() {
        clear();
    }
}
