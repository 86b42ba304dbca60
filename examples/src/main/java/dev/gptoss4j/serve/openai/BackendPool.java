package dev.gptoss4j.serve.openai;

import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.serve.http.ApiException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * The generation slots of the server: N backends (for the local engine, N sessions sharing one loaded model, each
 * with its own KV cache) and a bounded queue of requests waiting for one. A request that finds every slot busy and
 * the queue full is refused at once (429), so an overloaded server answers quickly instead of piling up work.
 */
public final class BackendPool implements AutoCloseable {

    private final List<Backend> backends;
    private final BlockingQueue<Backend> idle;
    private final Semaphore admitted;
    private final int maxQueued;

    /**
     * @param backends  one per concurrent generation; a backend is used by one request at a time
     * @param maxQueued requests that may wait for a free backend before new ones get 429
     */
    public BackendPool(List<? extends Backend> backends, int maxQueued) {
        if (backends.isEmpty()) throw new IllegalArgumentException("the pool needs at least one backend");
        if (maxQueued < 0) throw new IllegalArgumentException("maxQueued must be >= 0, got " + maxQueued);
        this.backends = List.copyOf(backends);
        this.idle = new ArrayBlockingQueue<>(backends.size(), false, backends);
        this.admitted = new Semaphore(backends.size() + maxQueued, true);
        this.maxQueued = maxQueued;
    }

    /** A backend held until the lease is closed. */
    public final class Lease implements AutoCloseable {
        private final Backend backend;
        private boolean closed;

        private Lease(Backend backend) {
            this.backend = backend;
        }

        public Backend backend() {
            return backend;
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            idle.add(backend);
            admitted.release();
        }
    }

    /**
     * Takes a free backend, waiting in the queue if there is room there.
     *
     * @throws ApiException 429 when every backend is busy and the queue is full
     */
    public Lease acquire() {
        if (!admitted.tryAcquire()) {
            throw ApiException.busy("the server is busy: " + backends.size() + " generation"
                    + (backends.size() == 1 ? "" : "s") + " running and " + maxQueued
                    + " waiting; try again shortly");
        }
        try {
            return new Lease(idle.take());
        } catch (InterruptedException e) {
            admitted.release();
            Thread.currentThread().interrupt();
            throw ApiException.server("interrupted", "the server is shutting down");
        }
    }

    /** How many generations can run at once. */
    public int size() {
        return backends.size();
    }

    public int maxQueued() {
        return maxQueued;
    }

    /** The first backend's description (they are all alike). */
    public String describe() {
        return backends.getFirst().describe() + (backends.size() > 1 ? " x" + backends.size() : "");
    }

    @Override
    public void close() {
        for (Backend b : backends) b.close();
    }
}
