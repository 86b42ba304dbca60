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
 * Shared engines and warm contexts, so that a new session (or a session reset after a runaway
 * call) does not pay the full language start-up. One engine per language is shared by all its
 * contexts (parsed standard-library code is cached there); for each kind of context asked for,
 * {@code spares} contexts are kept built and prepared in the background.
 *
 * <p>Use {@link #shared()} in applications; tests and embedders that want to free everything
 * build their own and {@link #close()} it.
 */
public final class SandboxPool implements AutoCloseable {

    private static volatile SandboxPool shared;

    private record Key(SandboxLanguage language, long statementLimit) {}

    private final int spares;
    private final int maxLingering;
    /** Threads of cancelled cells still finishing a host operation (Java cannot stop them); dead ones are pruned. */
    private final java.util.Set<Thread> lingering = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Map<SandboxLanguage, Engine> engines = new EnumMap<>(SandboxLanguage.class);
    /** Per kind, contexts ready or being built (in order); an acquire waits for a build rather than racing it. */
    private final Map<Key, ArrayDeque<CompletableFuture<SandboxContext>>> spareContexts = new HashMap<>();

    private final ExecutorService builder;
    private boolean closed;

    private SandboxPool(int spares, int maxLingering) {
        if (spares < 0) {
            throw new IllegalArgumentException("spares must not be negative, got " + spares);
        }
        if (maxLingering < 1) {
            throw new IllegalArgumentException("maxLingering must be at least 1, got " + maxLingering);
        }
        this.spares = spares;
        this.maxLingering = maxLingering;
        this.builder = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "gptoss-sandbox-pool");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
    }

    /** A pool keeping {@code spares} warm contexts per language (and statement limit) in use. */
    public static SandboxPool create(int spares) {
        return create(spares, defaultMaxLingering());
    }

    /**
     * A pool keeping {@code spares} warm contexts, whose sessions start no cell while {@code maxLingering}
     * cancelled cells are still finishing a host operation (each holds a CPU core until it returns; Java cannot
     * stop it). Default: half the processors, at least one.
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

    /** Starts building warm contexts for the language in the background; returns at once. */
    public void prewarm(SandboxLanguage language) {
        refill(new Key(language, 0));
    }

    void prewarm(SandboxLanguage language, long statementLimit) {
        refill(new Key(language, statementLimit));
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

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the sandbox pool is closed");
        }
    }

    /** Frees the warm contexts and the engines; contexts still owned by sessions are cancelled. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        builder.shutdown();
        synchronized (this) {
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
