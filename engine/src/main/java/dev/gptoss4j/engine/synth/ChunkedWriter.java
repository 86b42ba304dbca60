package dev.gptoss4j.engine.synth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Streams tensors into a file: each tensor is cut into chunks of whole rows, a pool of threads produces
 * the chunks while this thread writes finished ones in order, and at most a few chunks per thread exist at
 * once. Memory stays at a few tens of megabytes whatever the model's size, and producing overlaps writing.
 */
final class ChunkedWriter implements AutoCloseable {

    static final int CHUNK_BYTES = 4 << 20;

    private final FileChannel channel;
    private final ExecutorService pool;
    private final int window;
    private final ArrayDeque<ByteBuffer> spare = new ArrayDeque<>();
    private final LongConsumer progress;

    ChunkedWriter(FileChannel channel, int threads, LongConsumer progress) {
        this.channel = channel;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "synth-writer");
            t.setDaemon(true);
            return t;
        });
        this.window = 2 * threads;
        this.progress = progress;
    }

    /** Writes all of {@code data} at {@code position}; returns the position after it. */
    long write(String tensor, TensorData data, long position) {
        long rows = data.rows();
        int rowBytes = data.rowBytes();
        if (rowBytes <= 0 || rows < 0) {
            throw new IllegalStateException(
                    "tensor " + tensor + ": bad layout, " + rows + " rows of " + rowBytes + " bytes");
        }
        int rowsPerChunk = Math.max(1, CHUNK_BYTES / rowBytes);
        ArrayDeque<Future<ByteBuffer>> inFlight = new ArrayDeque<>();
        long pos = position;
        for (long first = 0; first < rows; first += rowsPerChunk) {
            if (inFlight.size() == window) pos = writeOut(tensor, await(tensor, inFlight.removeFirst()), pos);
            long start = first;
            int count = (int) Math.min(rowsPerChunk, rows - first);
            ByteBuffer buffer = buffer((long) count * rowBytes);
            inFlight.add(pool.submit(() -> {
                buffer.clear().limit(count * rowBytes);
                data.fill(start, count, buffer);
                if (buffer.hasRemaining()) {
                    throw new IllegalStateException("tensor " + tensor + ": rows " + start + ".." + (start + count)
                            + " produced " + buffer.position() + " bytes, expected " + count * rowBytes);
                }
                return buffer.flip();
            }));
        }
        while (!inFlight.isEmpty()) pos = writeOut(tensor, await(tensor, inFlight.removeFirst()), pos);
        return pos;
    }

    /** Writes small bytes (headers, padding) directly. */
    long writeBytes(ByteBuffer bytes, long position) {
        long pos = position;
        try {
            while (bytes.hasRemaining()) pos += channel.write(bytes, pos);
        } catch (IOException e) {
            throw new UncheckedIOException("writing at offset " + position + ": " + e.getMessage(), e);
        }
        return pos;
    }

    private long writeOut(String tensor, ByteBuffer chunk, long position) {
        int n = chunk.remaining();
        long pos;
        try {
            pos = position;
            while (chunk.hasRemaining()) pos += channel.write(chunk, pos);
        } catch (IOException e) {
            throw new UncheckedIOException("writing tensor " + tensor + ": " + e.getMessage(), e);
        }
        spare.push(chunk);
        progress.accept(n);
        return pos;
    }

    private ByteBuffer buffer(long bytes) {
        ByteBuffer b = spare.poll();
        if (b == null || b.capacity() < bytes) {
            b = ByteBuffer.allocateDirect((int) Math.max(bytes, CHUNK_BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        }
        return b;
    }

    private static ByteBuffer await(String tensor, Future<ByteBuffer> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing tensor " + tensor, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException("tensor " + tensor + ": " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
