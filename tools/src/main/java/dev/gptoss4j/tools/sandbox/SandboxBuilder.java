package dev.gptoss4j.tools.sandbox;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Fluent settings shared by {@link PythonSandbox#builder()} and {@link JavaScriptSandbox#builder()}.
 *
 * @param <T> the sandbox type built
 */
public final class SandboxBuilder<T> {

    private final BiFunction<SandboxLimits, SandboxPool, T> factory;
    private Duration timeout = SandboxLimits.DEFAULT_TIMEOUT;
    private int outputLimitBytes = SandboxLimits.DEFAULT_OUTPUT_LIMIT_BYTES;
    private long memoryLimitBytes = SandboxLimits.DEFAULT_MEMORY_LIMIT_BYTES;
    private long fileSystemLimitBytes = SandboxLimits.DEFAULT_FILE_SYSTEM_LIMIT_BYTES;
    private long statementLimit;
    private SandboxPool pool;

    SandboxBuilder(BiFunction<SandboxLimits, SandboxPool, T> factory) {
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

    /** Heap growth allowed during one call (default 512 MiB). */
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

    public T build() {
        SandboxLimits limits =
                new SandboxLimits(timeout, outputLimitBytes, memoryLimitBytes, fileSystemLimitBytes, statementLimit);
        return factory.apply(limits, pool != null ? pool : SandboxPool.shared());
    }
}
