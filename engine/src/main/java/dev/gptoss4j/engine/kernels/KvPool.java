package dev.gptoss4j.engine.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * Off-heap blocks of key/value cache shared by every sequence of one model (paged attention): a block holds the
 * keys and values of {@link #BLOCK} consecutive positions of one layer, laid out per key/value head
 * ({@code [K | V][kvHead][position][headDim]}) so that one head's keys stream from contiguous memory. Blocks are
 * reference-counted: a prefix cache entry and the sequences restored from it share read-only blocks, and a
 * sequence about to write into a shared block copies it first ({@link KvBuffer}). The budget is counted in
 * blocks; the heap never holds cache data, so its size does not limit the context. Thread-safe.
 */
public final class KvPool implements AutoCloseable {

    /** Positions per block. */
    public static final int BLOCK = 32;
    /** Blocks allocated from the operating system at once. */
    private static final int SLAB = 64;

    private final KvType type;
    private final int headDim;
    private final int kvHeads;
    private final long blockBytes;
    private final Arena arena = Arena.ofShared();
    private volatile MemorySegment[] blocks = new MemorySegment[0];
    private int[] refs = new int[0];
    private int[] free = new int[0];
    private int freeCount;
    private int inUse;
    private long maxBlocks = Long.MAX_VALUE;
    private BooleanSupplier reclaimer = () -> false;
    private boolean closed;

    public KvPool(KvType type, int kvHeads, int headDim) {
        this.type = type;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.blockBytes = 2L * BLOCK * kvHeads * headDim * type.bytes();
    }

    public KvType type() {
        return type;
    }

    public int headDim() {
        return headDim;
    }

    public int kvHeads() {
        return kvHeads;
    }

    /** Bytes of one block (keys and values of {@link #BLOCK} positions of one layer). */
    public long blockBytes() {
        return blockBytes;
    }

    /** Bytes of one position's keys and values in one layer. */
    public long bytesPerPosition() {
        return blockBytes / BLOCK;
    }

    /** Blocks needed to hold {@code positions} consecutive positions starting at a block boundary. */
    public static int blocksFor(long positions) {
        return (int) ((positions + BLOCK - 1) / BLOCK);
    }

    /** Limits the blocks in use at once ({@link Long#MAX_VALUE}: no limit). Blocks in use above it stay. */
    public synchronized void setMaxBlocks(long maxBlocks) {
        if (maxBlocks < 0) throw new IllegalArgumentException("maxBlocks must be >= 0, got " + maxBlocks);
        this.maxBlocks = maxBlocks;
    }

    public synchronized long maxBlocks() {
        return maxBlocks;
    }

    /** Blocks currently held by sequences or cached prefixes. */
    public synchronized int blocksInUse() {
        return inUse;
    }

    /** Blocks that can still be taken without exceeding the budget (not counting what the reclaimer could free). */
    public synchronized long blocksAvailable() {
        return Math.max(0, maxBlocks - inUse);
    }

    /**
     * Called when the budget is reached, before an allocation fails: frees something (e.g. the least recently
     * used cached prefix) and says whether it did.
     */
    public synchronized void setReclaimer(BooleanSupplier reclaimer) {
        this.reclaimer = reclaimer;
    }

    /** Bytes reserved from the operating system (blocks in use and free for reuse). */
    public synchronized long reservedBytes() {
        return blocks.length * blockBytes;
    }

    /** A new block with reference count 1, or -1 when the budget is spent and nothing could be reclaimed. */
    public int tryAllocate() {
        while (true) {
            BooleanSupplier reclaim;
            synchronized (this) {
                if (closed) throw new IllegalStateException("the model's key/value cache is closed");
                if (inUse < maxBlocks) return take();
                reclaim = reclaimer;
            }
            // outside the lock: the reclaimer takes its own lock and calls release
            if (!reclaim.getAsBoolean()) return -1;
        }
    }

    /** Like {@link #tryAllocate}, failing with a message that names the budget. */
    public int allocate() {
        int b = tryAllocate();
        if (b < 0) throw new KvBudgetException(this);
        return b;
    }

    private int take() {
        if (freeCount == 0) grow();
        int b = free[--freeCount];
        refs[b] = 1;
        inUse++;
        return b;
    }

    private void grow() {
        int n = blocks.length;
        MemorySegment slab = arena.allocate(SLAB * blockBytes, 64);
        blocks = Arrays.copyOf(blocks, n + SLAB);
        refs = Arrays.copyOf(refs, n + SLAB);
        free = Arrays.copyOf(free, n + SLAB);
        for (int i = 0; i < SLAB; i++) {
            blocks[n + i] = slab.asSlice(i * blockBytes, blockBytes);
            free[freeCount++] = n + SLAB - 1 - i;
        }
    }

    /** The block's memory. */
    public MemorySegment segment(int block) {
        // blocks only grows, and a block id is only handed out after its segment was published under the lock
        MemorySegment[] b = blocks;
        return block < b.length ? b[block] : segmentLocked(block);
    }

    private synchronized MemorySegment segmentLocked(int block) {
        return blocks[block];
    }

    /** Another holder of {@code block} (a cached prefix, a sequence restored from it). */
    public synchronized void retain(int block) {
        if (refs[block] <= 0) throw new IllegalStateException("block " + block + " is free");
        refs[block]++;
    }

    /** Drops one holder; the block is reused when none is left. */
    public synchronized void release(int block) {
        if (closed) return;
        if (refs[block] <= 0) throw new IllegalStateException("block " + block + " released twice");
        if (--refs[block] == 0) {
            free[freeCount++] = block;
            inUse--;
        }
    }

    /** Whether more than one holder shares {@code block} (a writer must copy it first). */
    public synchronized boolean isShared(int block) {
        return refs[block] > 1;
    }

    /** A private copy of {@code block} for a writer, releasing its share of the original. */
    public int copyOnWrite(int block) {
        int copy = allocate();
        MemorySegment.copy(segment(block), 0, segment(copy), 0, blockBytes);
        release(block);
        return copy;
    }

    /** Offset of position {@code slot} (0..BLOCK-1) of key/value head {@code kvHead} inside a block's keys. */
    public long keyOffset(int kvHead, int slot) {
        return ((long) kvHead * BLOCK + slot) * headDim * type.bytes();
    }

    /** Offset of the values relative to the keys in a block. */
    public long valuesOffset() {
        return blockBytes / 2;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        arena.close();
    }

    /** The key/value cache budget is spent: nothing more can be cached until a sequence frees blocks. */
    public static final class KvBudgetException extends IllegalStateException {
        public KvBudgetException(KvPool pool) {
            super("key/value cache budget exhausted: all " + pool.maxBlocks() + " blocks of " + pool.blockBytes()
                    + " bytes (" + (pool.maxBlocks() * pool.blockBytes() >> 20) + " MiB, " + pool.type()
                    + ") are in use; raise the budget, shorten the context or run fewer sequences at once");
        }
    }
}
