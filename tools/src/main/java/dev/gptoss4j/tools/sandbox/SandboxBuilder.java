package dev.gptoss4j.tools.sandbox;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Fluent settings shared by {@link PythonSandbox#builder()} and {@link JavaScriptSandbox#builder()}.
 *
 * @param <T> the sandbox type built
 */
public final class SandboxBuilder<T> {

    private final Function<SandboxConfig, T> factory;
    private Duration timeout = SandboxLimits.DEFAULT_TIMEOUT;
    private int outputLimitBytes = SandboxLimits.DEFAULT_OUTPUT_LIMIT_BYTES;
    private long memoryLimitBytes = SandboxLimits.DEFAULT_MEMORY_LIMIT_BYTES;
    private long fileSystemLimitBytes = SandboxLimits.DEFAULT_FILE_SYSTEM_LIMIT_BYTES;
    private long statementLimit;
    private SandboxPool pool;
    private SandboxIsolation isolation = SandboxIsolation.PROCESS;
    private long workerHeapBytes;

    SandboxBuilder(Function<SandboxConfig, T> factory) {
        this.factory = factory;
    }

    /** Wall-clock limit of one call, start-up included (default 120 s); see {@link SandboxSession#execute}. */
    public SandboxBuilder<T> timeout(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /** Printed output kept per call, stdout and stderr together (default 20,000 bytes). */
    public SandboxBuilder<T> outputLimitBytes(int bytes) {
        this.outputLimitBytes = bytes;
        return this;
    }

    /**
     * Heap growth allowed during one call (default 512 MiB), watched by a sampling watchdog; with
     * {@link SandboxIsolation#PROCESS} the worker's {@code -Xmx} is the hard bound behind it.
     */
    public SandboxBuilder<T> memoryLimitBytes(long bytes) {
        this.memoryLimitBytes = bytes;
        return this;
    }

    /** Host memory the session's in-memory /mnt/data may hold, names and entries counted (default 128 MiB). */
    public SandboxBuilder<T> fileSystemLimitBytes(long bytes) {
        this.fileSystemLimitBytes = bytes;
        return this;
    }

    /** Guest statements per call, 0 for none (the default). */
    public SandboxBuilder<T> statementLimit(long statements) {
        this.statementLimit = statements;
        return this;
    }

    /** The pool that supplies engines and warm contexts (default {@link SandboxPool#shared()}). */
    public SandboxBuilder<T> pool(SandboxPool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
        return this;
    }

    /**
     * Where the sessions' guests run (default {@link SandboxIsolation#PROCESS}: a worker process per session).
     * {@link SandboxIsolation#IN_PROCESS} is lighter but cannot stop code stuck in one long host operation.
     */
    public SandboxBuilder<T> isolation(SandboxIsolation isolation) {
        this.isolation = Objects.requireNonNull(isolation, "isolation");
        return this;
    }

    /**
     * The maximum heap ({@code -Xmx}) of each worker process with {@link SandboxIsolation#PROCESS}; default the
     * memory limit plus 384 MiB for the worker itself. A guest that fills it ends its worker: the session is
     * reset and the result says so; this JVM is untouched.
     */
    public SandboxBuilder<T> workerHeapBytes(long bytes) {
        this.workerHeapBytes = bytes;
        return this;
    }

    public T build() {
        SandboxLimits limits =
                new SandboxLimits(timeout, outputLimitBytes, memoryLimitBytes, fileSystemLimitBytes, statementLimit);
        long heap = workerHeapBytes > 0 ? workerHeapBytes : SandboxConfig.defaultWorkerHeap(limits);
        return factory.apply(new SandboxConfig(limits, isolation, heap, pool != null ? pool : SandboxPool.shared()));
    }
}
