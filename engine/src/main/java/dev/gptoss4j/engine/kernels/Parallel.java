package dev.gptoss4j.engine.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed pool that splits an index range into one contiguous chunk per thread; the calling thread works on
 * the first chunk. Each index is handled by exactly one thread with the same kernel whatever the thread count,
 * so results do not depend on it. Not reentrant: one {@link #forRange} at a time per pool.
 */
public final class Parallel implements AutoCloseable {

    /** Work on the indices {@code from .. to-1}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** Work on the indices {@code from .. to-1} as worker {@code worker} (0 .. threads-1), e.g. to pick its scratch. */
    @FunctionalInterface
    public interface WorkerBody {
        void run(int worker, int from, int to);
    }

    private final int threads;
    private final Thread[] workers;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile long generation;
    private volatile boolean closed;
    private volatile RangeBody body;
    private volatile WorkerBody workerBody;
    private volatile int size;
    private volatile Thread caller;
    private volatile Throwable failure;

    public Parallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int chunk = i + 1;
            workers[i] = Thread.ofPlatform()
                    .daemon()
                    .name("gptoss-worker-" + chunk)
                    // pool threads outlive whatever created them: they carry none of its inheritable state
                    .inheritInheritableThreadLocals(false)
                    .unstarted(() -> work(chunk));
            workers[i].start();
        }
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code body} over {@code [0, n)} split across the pool; returns when every chunk is done. */
    public void forRange(int n, RangeBody body) {
        if (n <= 0) return;
        if (threads == 1 || n == 1) {
            body.run(0, n);
            return;
        }
        start(n, body, null);
    }

    /** Like {@link #forRange}, telling each chunk which worker runs it. */
    public void forEach(int n, WorkerBody body) {
        if (n <= 0) return;
        if (threads == 1 || n == 1) {
            body.run(0, 0, n);
            return;
        }
        start(n, null, body);
    }

    private void start(int n, RangeBody body, WorkerBody workerBody) {
        if (closed) throw new IllegalStateException("thread pool is closed");
        this.body = body;
        this.workerBody = workerBody;
        this.size = n;
        this.failure = null;
        this.caller = Thread.currentThread();
        pending.set(threads - 1);
        generation++;
        for (Thread w : workers) LockSupport.unpark(w);
        Throwable mine = null;
        try {
            runChunk(0, n, body, workerBody);
        } catch (Throwable t) {
            mine = t;
        }
        int spins = 0;
        while (pending.get() > 0) {
            if (++spins < 2000) Thread.onSpinWait();
            else LockSupport.parkNanos(this, 50_000L);
        }
        this.body = null;
        this.workerBody = null;
        Throwable failed = mine != null ? mine : failure;
        if (failed instanceof RuntimeException re) throw re;
        if (failed instanceof Error e) throw e;
        if (failed != null) throw new IllegalStateException(failed);
    }

    private void runChunk(int chunk, int n, RangeBody body, WorkerBody workerBody) {
        int from = (int) ((long) n * chunk / threads);
        int to = (int) ((long) n * (chunk + 1) / threads);
        if (from >= to) return;
        if (body != null) body.run(from, to);
        else workerBody.run(chunk, from, to);
    }

    private void work(int chunk) {
        long seen = 0;
        while (true) {
            int spins = 0;
            while (generation == seen && !closed) {
                if (++spins < 2000) Thread.onSpinWait();
                else LockSupport.park(this);
            }
            if (closed) return;
            seen = generation;
            try {
                runChunk(chunk, size, body, workerBody);
            } catch (Throwable t) {
                failure = t;
            }
            if (pending.decrementAndGet() == 0) LockSupport.unpark(caller);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) LockSupport.unpark(w);
    }
}
