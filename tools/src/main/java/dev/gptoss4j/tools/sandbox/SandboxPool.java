package dev.gptoss4j.tools.sandbox;

import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.SandboxPolicy;

/**
 * Spare worker processes and warm contexts, so that a new session (or a session reset after a
 * runaway call) does not pay the full language start-up. With {@link SandboxIsolation#PROCESS}, for
 * each kind of worker asked for (language, statement limit, heap), {@code spares} worker processes
 * are kept started and ready in the background; every worker the pool started is killed when the
 * pool closes. With {@link SandboxIsolation#IN_PROCESS}, one engine per language is shared by all
 * its contexts (parsed standard-library code is cached there) and {@code spares} contexts of each
 * kind are kept built and prepared.
 *
 * <p>Use {@link #shared()} in applications; tests and embedders that want to free everything
 * build their own and {@link #close()} it.
 */
public final class SandboxPool implements AutoCloseable {

    private static volatile SandboxPool shared;

    private record Key(SandboxLanguage language, long statementLimit) {}

    private record WorkerKey(SandboxLanguage language, long statementLimit, long heapBytes) {}

    private final int spares;
    private final int maxLingering;
    /** Threads of cancelled cells still finishing a host operation (Java cannot stop them); dead ones are pruned. */
    private final java.util.Set<Thread> lingering = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Map<SandboxLanguage, Engine> engines = new EnumMap<>(SandboxLanguage.class);
    /** Per kind, contexts ready or being built (in order); an acquire waits for a build rather than racing it. */
    private final Map<Key, ArrayDeque<CompletableFuture<SandboxContext>>> spareContexts = new HashMap<>();

    /** Per kind, started workers not yet handed out (ready, or still starting). */
    private final Map<WorkerKey, ArrayDeque<WorkerProcess>> spareWorkers = new HashMap<>();
    /** Every worker this pool started and that may still run: spares and those owned by sessions. */
    private final java.util.Set<WorkerProcess> workers = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final WorkerLauncher launcher;
    private final ExecutorService builder;
    private boolean closed;

    private SandboxPool(int spares, int maxLingering) {
        this(spares, maxLingering, null);
    }

    private SandboxPool(int spares, int maxLingering, WorkerLauncher launcher) {
        if (spares < 0) {
            throw new IllegalArgumentException("spares must not be negative, got " + spares);
        }
        if (maxLingering < 1) {
            throw new IllegalArgumentException("maxLingering must be at least 1, got " + maxLingering);
        }
        this.spares = spares;
        this.maxLingering = maxLingering;
        this.launcher = launcher;
        this.builder = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "gptoss-sandbox-pool");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
    }

    /** A pool keeping {@code spares} worker processes (or warm contexts) per kind in use. */
    public static SandboxPool create(int spares) {
        return create(spares, defaultMaxLingering());
    }

    /**
     * A pool keeping {@code spares} worker processes (or warm contexts) per kind, whose
     * {@link SandboxIsolation#IN_PROCESS} sessions start no cell while {@code maxLingering} cancelled cells are still
     * finishing a host operation (each holds a CPU core until it returns; Java cannot stop it). Default: half the
     * processors, at least one. Worker processes need no such allowance: a cell that cannot be stopped is killed
     * with its process.
     */
    public static SandboxPool create(int spares, int maxLingering) {
        return new SandboxPool(spares, maxLingering);
    }

    private static int defaultMaxLingering() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** Records the thread of a cancelled cell that did not stop within its grace. */
    void linger(Thread worker) {
        lingering.add(worker);
    }

    /** Whether as many cancelled cells are still running as the pool allows: no new cell may start. */
    boolean saturated() {
        lingering.removeIf(t -> !t.isAlive());
        return lingering.size() >= maxLingering;
    }

    /** The process-wide pool (one spare per language in use); never closed, its threads are daemons. */
    public static SandboxPool shared() {
        SandboxPool p = shared;
        if (p == null) {
            synchronized (SandboxPool.class) {
                p = shared;
                if (p == null) {
                    shared = p = new SandboxPool(1, defaultMaxLingering());
                }
            }
        }
        return p;
    }

    /** A pool whose worker processes are started by {@code launcher} (tests: a launcher that cannot work). */
    static SandboxPool create(int spares, WorkerLauncher launcher) {
        return new SandboxPool(spares, defaultMaxLingering(), java.util.Objects.requireNonNull(launcher));
    }

    /**
     * Starts spare worker processes for the language with the default limits in the background (warm contexts
     * for {@link SandboxIsolation#IN_PROCESS}); returns at once.
     */
    public void prewarm(SandboxLanguage language, SandboxIsolation isolation) {
        SandboxLimits limits = SandboxLimits.defaults();
        prewarm(language, new SandboxConfig(limits, isolation, SandboxConfig.defaultWorkerHeap(limits), this));
    }

    /** Starts building warm contexts for the language in the background; returns at once. */
    public void prewarm(SandboxLanguage language) {
        prewarm(language, SandboxIsolation.PROCESS);
    }

    void prewarm(SandboxLanguage language, SandboxConfig config) {
        if (config.isolation() == SandboxIsolation.PROCESS) {
            refillWorkers(new WorkerKey(language, config.limits().statementLimit(), config.workerHeapBytes()));
        } else {
            refill(new Key(language, config.limits().statementLimit()));
        }
    }

    /**
     * A worker process for a session: a spare (ready, or still starting) or one started now; a spare is started
     * in its place. Its {@link WorkerProcess#ready()} says when it can run code, or why it cannot.
     */
    WorkerProcess acquireWorker(SandboxLanguage language, SandboxConfig config) {
        WorkerKey key = new WorkerKey(language, config.limits().statementLimit(), config.workerHeapBytes());
        WorkerProcess w = null;
        synchronized (this) {
            ensureOpen();
            ArrayDeque<WorkerProcess> q = spareWorkers.get(key);
            while (q != null && !q.isEmpty() && w == null) {
                WorkerProcess spare = q.pollFirst();
                if (spare.ended() == null && !spare.ready().isCompletedExceptionally()) {
                    w = spare;
                } else {
                    spare.kill();
                    workers.remove(spare);
                }
            }
            if (w == null) {
                w = startWorker(key);
            }
        }
        // The replacement spare starts once this worker is ready: two JVMs starting at once on a small machine
        // would each take twice as long, and this one is waited for.
        w.ready().whenComplete((pid, failure) -> refillWorkers(key));
        return w;
    }

    /** Forgets a worker its session killed. */
    void released(WorkerProcess worker) {
        workers.remove(worker);
    }

    private synchronized WorkerProcess startWorker(WorkerKey key) {
        WorkerProcess w = WorkerProcess.start(
                launcher != null ? launcher : WorkerLauncher.current(),
                key.language(),
                key.statementLimit(),
                key.heapBytes());
        workers.add(w);
        return w;
    }

    private synchronized void refillWorkers(WorkerKey key) {
        if (closed) {
            return;
        }
        ArrayDeque<WorkerProcess> q = spareWorkers.computeIfAbsent(key, k -> new ArrayDeque<>());
        q.removeIf(w -> {
            boolean dead = w.ended() != null || w.ready().isCompletedExceptionally();
            if (dead) {
                workers.remove(w);
            }
            return dead;
        });
        // A spare that cannot start (no java, say) is not retried in a loop: one failed spare stays and its
        // acquirer starts a fresh one, which reports the cause.
        while (q.size() < spares) {
            q.addLast(startWorker(key));
        }
    }

    /** Builds one context for this kind now, in the background, whatever the spares setting (a worker's own). */
    CompletableFuture<SandboxContext> prebuild(SandboxLanguage language, long statementLimit) {
        Key key = new Key(language, statementLimit);
        CompletableFuture<SandboxContext> f = CompletableFuture.supplyAsync(() -> build(key), builder);
        synchronized (this) {
            ensureOpen();
            spareContexts.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(f);
        }
        return f;
    }

    /** A prepared context: a warm one, or one being built, or else one built now (the caller pays the start-up). */
    SandboxContext acquire(SandboxLanguage language, long statementLimit) {
        Key key = new Key(language, statementLimit);
        CompletableFuture<SandboxContext> spare;
        synchronized (this) {
            ensureOpen();
            ArrayDeque<CompletableFuture<SandboxContext>> q = spareContexts.get(key);
            spare = q == null ? null : q.pollFirst();
        }
        SandboxContext c = null;
        if (spare != null) {
            try {
                c = spare.join();
            } catch (RuntimeException e) {
                // The background build failed; building in the foreground reports the cause to the caller.
            }
        }
        refill(key);
        return c != null ? c : build(key);
    }

    private SandboxContext build(Key key) {
        return SandboxContext.create(GuestRuntime.of(key.language()), engine(key.language()), key.statementLimit());
    }

    private synchronized Engine engine(SandboxLanguage language) {
        ensureOpen();
        return engines.computeIfAbsent(
                language,
                l -> Engine.newBuilder(l.polyglotId())
                        .sandbox(SandboxPolicy.CONSTRAINED)
                        .out(OutputStream.nullOutputStream())
                        .err(OutputStream.nullOutputStream())
                        // Stock JDKs have no Graal JIT; Truffle then interprets, which is fine here, so don't warn.
                        .option("engine.WarnInterpreterOnly", "false")
                        .build());
    }

    private synchronized void refill(Key key) {
        if (closed) {
            return;
        }
        ArrayDeque<CompletableFuture<SandboxContext>> q = spareContexts.computeIfAbsent(key, k -> new ArrayDeque<>());
        while (q.size() < spares) {
            q.addLast(CompletableFuture.supplyAsync(() -> build(key), builder));
        }
    }

    synchronized void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the sandbox pool is closed");
        }
    }

    /**
     * Kills every worker process the pool started (spares and those of open sessions, whose next call then fails
     * with IllegalStateException), frees the warm contexts and the engines; contexts still owned by sessions are
     * cancelled.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        builder.shutdown();
        workers.forEach(WorkerProcess::kill);
        workers.clear();
        synchronized (this) {
            spareWorkers.clear();
            for (ArrayDeque<CompletableFuture<SandboxContext>> q : spareContexts.values()) {
                for (CompletableFuture<SandboxContext> f : q) {
                    f.thenAccept(SandboxContext::close); // closes it now if built, or when its build ends
                }
            }
            spareContexts.clear();
            engines.values().forEach(e -> {
                try {
                    e.close(true);
                } catch (RuntimeException ignored) {
                    // Engine already unusable; nothing more to free.
                }
            });
            engines.clear();
        }
    }
}
