package dev.gptoss4j.engine.kernels;

import java.util.Arrays;

/**
 * Keys and values of one layer, by absolute position. A ring buffer keeps only the last {@code capacity}
 * positions (sliding-window layers); a growing buffer allocates fixed-size chunks as positions are written,
 * up to a maximum, so a long configured context costs memory only when it is used.
 */
public final class KvBuffer {

    /** Positions per chunk of a growing buffer. */
    static final int CHUNK = 256;

    private final int width;
    private final int ringCapacity;
    private final int maxPositions;
    private float[][] keyChunks;
    private float[][] valueChunks;

    private KvBuffer(int width, int ringCapacity, int maxPositions) {
        this.width = width;
        this.ringCapacity = ringCapacity;
        this.maxPositions = maxPositions;
        if (ringCapacity > 0) {
            keyChunks = new float[][] {new float[Math.multiplyExact(ringCapacity, width)]};
            valueChunks = new float[][] {new float[Math.multiplyExact(ringCapacity, width)]};
        } else {
            keyChunks = new float[0][];
            valueChunks = new float[0][];
        }
    }

    /** A ring buffer holding the last {@code capacity} positions. */
    public static KvBuffer ring(int width, int capacity) {
        if (capacity <= 0) throw new IllegalArgumentException("ring capacity must be positive: " + capacity);
        return new KvBuffer(width, capacity, Integer.MAX_VALUE);
    }

    /** A buffer for positions {@code 0 .. maxPositions-1}, allocated chunk by chunk. */
    public static KvBuffer growing(int width, int maxPositions) {
        return new KvBuffer(width, 0, maxPositions);
    }

    public boolean isRing() {
        return ringCapacity > 0;
    }

    /** Ring capacity, or the maximum position count of a growing buffer. */
    public int capacity() {
        return isRing() ? ringCapacity : maxPositions;
    }

    /** The oldest position still held when {@code end} positions have been written. */
    public int oldestRetained(int end) {
        return isRing() ? Math.max(0, end - ringCapacity) : 0;
    }

    /** Makes sure {@code position} can be written (allocates the chunk of a growing buffer on first use). */
    public void reserve(int position) {
        if (isRing()) return;
        if (position >= maxPositions) {
            throw new IllegalStateException("position " + position + " exceeds the context of " + maxPositions);
        }
        int chunk = position / CHUNK;
        if (chunk >= keyChunks.length) {
            int newLength = Math.max(chunk + 1, keyChunks.length * 2);
            keyChunks = Arrays.copyOf(keyChunks, newLength);
            valueChunks = Arrays.copyOf(valueChunks, newLength);
        }
        if (keyChunks[chunk] == null) {
            int positions = Math.min(CHUNK, maxPositions - chunk * CHUNK);
            keyChunks[chunk] = new float[positions * width];
            valueChunks[chunk] = new float[positions * width];
        }
    }

    public float[] keys(int position) {
        return isRing() ? keyChunks[0] : keyChunks[position / CHUNK];
    }

    public float[] values(int position) {
        return isRing() ? valueChunks[0] : valueChunks[position / CHUNK];
    }

    /** Offset of {@code position}'s row in {@link #keys} / {@link #values}. */
    public int offset(int position) {
        return isRing() ? (position % ringCapacity) * width : (position % CHUNK) * width;
    }

    /** Bytes currently allocated. */
    public long allocatedBytes() {
        long total = 0;
        for (float[] c : keyChunks) if (c != null) total += 4L * c.length;
        for (float[] c : valueChunks) if (c != null) total += 4L * c.length;
        return total;
    }

    /** Row width in floats (kv heads x head dimension). */
    public int width() {
        return width;
    }

    /** Copies the keys and values of positions {@code from .. to-1} into {@code keys} and {@code values}. */
    public void read(int from, int to, float[] keys, float[] values) {
        for (int p = from; p < to; p++) {
            int o = (p - from) * width;
            System.arraycopy(keys(p), offset(p), keys, o, width);
            System.arraycopy(values(p), offset(p), values, o, width);
        }
    }

    /** Writes positions {@code from .. to-1} from {@code keys} and {@code values} (as {@link #read} laid them out). */
    public void write(int from, int to, float[] keys, float[] values, int srcFrom) {
        for (int p = from; p < to; p++) {
            reserve(p);
            int o = (p - srcFrom) * width;
            System.arraycopy(keys, o, keys(p), offset(p), width);
            System.arraycopy(values, o, values(p), offset(p), width);
        }
    }
}
