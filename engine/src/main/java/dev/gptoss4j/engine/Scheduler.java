package dev.gptoss4j.engine;

import dev.gptoss4j.engine.kernels.KernelChoice;
import dev.gptoss4j.engine.kernels.KvBuffer;
import dev.gptoss4j.engine.kernels.KvPool;
import dev.gptoss4j.engine.kernels.Parallel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Continuous batching: one worker pool and one forward pass for all the sequences of its sessions. Each session
 * keeps the {@link Session} API and runs its own generation loop (sampling, speculation, logits processors,
 * constraints) on the caller's thread; only its forward passes come here. Every step gathers what the waiting
 * sessions asked for (one token or a draft for a decoding sequence, a chunk of at most {@link #chunkTokens()}
 * tokens of a prompt) up to {@code batchTokens} tokens, and runs them as one batch: each weight row is read once
 * for every running sequence, and a long prompt advances chunk by chunk between other sequences' tokens. A
 * token's numbers do not depend on the batch it runs in, so every session gets bit for bit what it would get
 * alone.
 *
 * <p>Memory: sequences take cache blocks from the model's {@link KvPool} for their type (its
 * {@link KvPool#setMaxBlocks budget}). A request whose blocks are not available waits (paused) while others run;
 * when nothing can run, the youngest waiting session's cache is evicted and recomputed later, and the oldest
 * session fails with {@link KvPool.KvBudgetException} only when it cannot run even alone.
 */
public final class Scheduler implements AutoCloseable {

    /** Default most tokens per forward pass. */
    public static final int DEFAULT_BATCH_TOKENS = 256;
    /** How long a step waits for the sessions of the previous step that are still generating. */
    private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** One forward pass a session asked for. */
    private static final class Work {
        final Session session;
        final int from;
        final int count;
        final int[] rows;
        final int rowCount;
        boolean done;
        boolean preempted;
        RuntimeException failure;

        Work(Session session, int from, int count, int[] rows, int rowCount) {
            this.session = session;
            this.from = from;
            this.count = count;
            this.rows = rows;
            this.rowCount = rowCount;
        }
    }

    private final GptOss model;
    private final Transformer transformer;
    private final Parallel pool;
    private final Transformer.State state;
    private final int batchTokens;
    private final int chunkTokens;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Condition finished = lock.newCondition();
    private final List<Work> queue = new ArrayList<>();
    private final List<Session> members = new ArrayList<>(); // in joining order: the oldest first
    private final List<Session> lastStep = new ArrayList<>();
    private final Thread loop;
    private volatile boolean closed;
    private long steps;
    private long batchedTokens;
    private int largestBatch;
    private int mostSequences;

    Scheduler(GptOss model, Transformer transformer, int threads, int batchTokens) {
        if (batchTokens < 2) throw new IllegalArgumentException("batchTokens must be >= 2, got " + batchTokens);
        this.model = model;
        this.transformer = transformer;
        this.batchTokens = batchTokens;
        this.chunkTokens = Math.max(1, batchTokens / 2);
        this.pool = new Parallel(threads == 0 ? KernelChoice.physicalCores() : threads);
        this.state = new Transformer.State(
                transformer, transformer.config.maxContext(), batchTokens, Math.min(batchTokens, 64), pool);
        this.loop = Thread.ofPlatform()
                .daemon()
                .name("gptoss-scheduler")
                .inheritInheritableThreadLocals(false)
                .start(this::loop);
    }

    /** A session whose forward passes run batched with this scheduler's other sessions. */
    public Session newSession(SessionOptions options) {
        if (closed) throw new IllegalStateException("scheduler is closed");
        Session s = new Session(model, transformer, options, this);
        lock.lock();
        try {
            members.add(s);
        } finally {
            lock.unlock();
        }
        return s;
    }

    public Session newSession() {
        return newSession(SessionOptions.defaults());
    }

    public int threads() {
        return pool.threads();
    }

    /** The most prompt tokens of one session a step runs (so running sequences keep room in every step). */
    public int chunkTokens() {
        return chunkTokens;
    }

    /** The most tokens with logits per step. */
    int maxLogitRows() {
        return state.logitRows;
    }

    /** Forward passes run so far. */
    public long steps() {
        lock.lock();
        try {
            return steps;
        } finally {
            lock.unlock();
        }
    }

    /** Tokens run so far over all steps (divided by {@link #steps()}: the mean batch). */
    public long batchedTokens() {
        lock.lock();
        try {
            return batchedTokens;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The most sequences one step has run together: above 1 only when sequences were really batched (a single
     * sequence's speculative drafts also make steps of several tokens, see {@link #largestBatch()}).
     */
    public int mostSequences() {
        lock.lock();
        try {
            return mostSequences;
        } finally {
            lock.unlock();
        }
    }

    /** The most tokens one step has run. */
    public int largestBatch() {
        lock.lock();
        try {
            return largestBatch;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code count} tokens of {@code session} from position {@code from} in a coming step and waits for it;
     * false when the session's cache was evicted instead (see {@link Session#evictCache}).
     */
    boolean run(Session session, int from, int count, int[] rows, int rowCount) {
        Work w = new Work(session, from, count, rows, rowCount);
        lock.lock();
        try {
            if (closed) throw new IllegalStateException("scheduler is closed");
            queue.add(w);
            arrived.signal();
            while (!w.done) finished.awaitUninterruptibly();
        } finally {
            lock.unlock();
        }
        if (w.failure != null) throw w.failure;
        return !w.preempted;
    }

    /** A session closes: it no longer counts as running. */
    void leave(Session session) {
        lock.lock();
        try {
            members.remove(session);
            lastStep.remove(session);
            arrived.signal();
        } finally {
            lock.unlock();
        }
    }

    /** A session's generation ended: the next step need not wait for it. */
    void idle(Session session) {
        lock.lock();
        try {
            if (lastStep.remove(session)) arrived.signal();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        List<Work> batch = new ArrayList<>();
        while (!closed) {
            lock.lock();
            try {
                gather();
                if (closed) break;
                select(batch);
            } finally {
                lock.unlock();
            }
            if (batch.isEmpty()) continue;
            RuntimeException failure = null;
            try {
                step(batch);
            } catch (RuntimeException | Error e) {
                failure = e instanceof RuntimeException re ? re : new IllegalStateException(e);
            }
            lock.lock();
            try {
                lastStep.clear();
                for (Work w : batch) {
                    w.failure = failure;
                    w.done = true;
                    if (failure == null && w.session.generating) lastStep.add(w.session);
                }
                finished.signalAll();
            } finally {
                lock.unlock();
            }
            batch.clear();
        }
        lock.lock();
        try {
            for (Work w : queue) {
                w.failure = new IllegalStateException("scheduler is closed");
                w.done = true;
            }
            queue.clear();
            finished.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for work, then briefly for the sessions of the previous step that are still generating (they are
     * sampling their next token), so decoding sequences run together instead of one step each.
     */
    private void gather() {
        while (queue.isEmpty() && !closed) arrived.awaitUninterruptibly();
        long deadline = System.nanoTime() + GATHER_NANOS;
        while (!closed && !allQueued(lastStep)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            try {
                arrived.awaitNanos(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    private boolean allQueued(List<Session> sessions) {
        for (Session s : sessions) {
            boolean queued = false;
            for (Work w : queue)
                if (w.session == s) {
                    queued = true;
                    break;
                }
            if (!queued) return false;
        }
        return true;
    }

    /**
     * Picks the works of the next step, oldest sessions first, within the token and logits budget and the cache
     * blocks available (reserving them now, so the forward pass cannot run out halfway). A work that does not fit
     * waits for a later step; when none fits, the youngest waiting session's cache is evicted.
     */
    private void select(List<Work> batch) {
        queue.sort(Comparator.comparingInt(w -> members.indexOf(w.session)));
        while (true) {
            int tokens = 0, rows = 0;
            for (Work w : queue) {
                if (tokens + w.count > batchTokens || rows + w.rowCount > state.logitRows) continue;
                if (!reserve(w)) continue;
                batch.add(w);
                tokens += w.count;
                rows += w.rowCount;
            }
            queue.removeAll(batch);
            if (!batch.isEmpty() || queue.isEmpty()) return;
            // nothing fits: free the youngest waiting session's blocks; it recomputes when it runs again
            Work victim = queue.getLast();
            if (queue.size() == 1) {
                queue.removeLast();
                victim.failure = new KvPool.KvBudgetException(victim.session.cache[0].pool());
                victim.done = true;
                finished.signalAll();
                return;
            }
            queue.removeLast();
            victim.session.evictCache();
            victim.preempted = true;
            victim.done = true;
            finished.signalAll();
        }
    }

    /** Takes the blocks the work's positions need; false (keeping what it took) when the pool has none left. */
    private static boolean reserve(Work w) {
        try {
            for (KvBuffer kv : w.session.cache) {
                for (int p = w.from; p < w.from + w.count; p++) kv.reserve(p);
            }
            return true;
        } catch (KvPool.KvBudgetException e) {
            return false;
        }
    }

    /** One forward pass over the works' tokens, then each session's logits rows copied to it. */
    private void step(List<Work> batch) {
        Transformer.State s = state;
        int count = 0, rows = 0;
        for (Work w : batch) {
            for (int j = 0; j < w.rowCount; j++) s.logitTokens[rows++] = count + w.rows[j];
            for (int i = 0; i < w.count; i++) {
                s.tokenIds[count] = w.session.history[w.from + i];
                s.positions[count] = w.from + i;
                s.caches[count] = w.session.cache;
                count++;
            }
        }
        transformer.forward(s, count, rows);
        int vocab = transformer.config.vocabSize();
        int row = 0;
        for (Work w : batch) {
            System.arraycopy(s.logits, row * vocab, w.session.logits, 0, w.rowCount * vocab);
            row += w.rowCount;
        }
        lock.lock();
        try {
            steps++;
            batchedTokens += count;
            largestBatch = Math.max(largestBatch, count);
            mostSequences = Math.max(mostSequences, batch.size());
        } finally {
            lock.unlock();
        }
    }

    /** Stops the scheduler: waiting sessions fail, its sessions can no longer compute. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            loop.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.close();
    }
}
