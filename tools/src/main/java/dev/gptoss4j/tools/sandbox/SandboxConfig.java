package dev.gptoss4j.tools.sandbox;

import java.util.Objects;

/**
 * What a sandbox was built with: the limits of its sessions, where their guests run and the pool that supplies
 * warm contexts or worker processes.
 *
 * @param workerHeapBytes the {@code -Xmx} of a worker process ({@link SandboxIsolation#PROCESS})
 */
record SandboxConfig(SandboxLimits limits, SandboxIsolation isolation, long workerHeapBytes, SandboxPool pool) {

    /**
     * What a worker needs besides the guest's own heap: the JVM, Truffle and the language's start-up data (a
     * fresh GraalPy context holds about 60 MiB live), the warm context a reset needs, and headroom for the
     * collector.
     */
    static final long WORKER_HEAP_OVERHEAD = 384L << 20;

    SandboxConfig {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(isolation, "isolation");
        Objects.requireNonNull(pool, "pool");
        if (workerHeapBytes < (64L << 20)) {
            throw new IllegalArgumentException("workerHeapBytes must be at least 64 MiB, got " + workerHeapBytes);
        }
    }

    /** The default worker heap: the memory limit of a call plus what the worker itself needs. */
    static long defaultWorkerHeap(SandboxLimits limits) {
        return limits.memoryLimitBytes() + WORKER_HEAP_OVERHEAD;
    }
}
