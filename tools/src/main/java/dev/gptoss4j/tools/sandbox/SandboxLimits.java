package dev.gptoss4j.tools.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-call and per-session limits.
 *
 * @param timeout          wall-clock limit of one call, sandbox start-up included; the code is then interrupted
 *                         (the notebook stays), or cancelled and the session reset when it cannot be interrupted
 * @param outputLimitBytes how much printed output (stdout and stderr together) one call keeps; the rest is
 *                         counted and reported as cut
 * @param memoryLimitBytes how much the JVM heap may grow during one call before the call is stopped (checked by
 *                         a watchdog, so approximate: see README "Sandboxed tools")
 * @param fileSystemLimitBytes host memory the session's in-memory /mnt/data may hold: file capacities plus a
 *                         cost per entry and its path
 * @param statementLimit   guest statements one call may execute, 0 for no limit (statement counting slows
 *                         interpreted code, so it is off by default; the timeout bounds CPU anyway)
 */
public record SandboxLimits(
        Duration timeout, int outputLimitBytes, long memoryLimitBytes, long fileSystemLimitBytes, long statementLimit) {

    /** The 120 s the python tool description promises the model. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    public static final int DEFAULT_OUTPUT_LIMIT_BYTES = 20_000;
    public static final long DEFAULT_MEMORY_LIMIT_BYTES = 512L << 20;
    public static final long DEFAULT_FILE_SYSTEM_LIMIT_BYTES = 128L << 20;

    public SandboxLimits {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (outputLimitBytes < 1) {
            throw new IllegalArgumentException("outputLimitBytes must be at least 1, got " + outputLimitBytes);
        }
        if (memoryLimitBytes < (1L << 20)) {
            throw new IllegalArgumentException("memoryLimitBytes must be at least 1 MiB, got " + memoryLimitBytes);
        }
        if (fileSystemLimitBytes < 1) {
            throw new IllegalArgumentException("fileSystemLimitBytes must be positive, got " + fileSystemLimitBytes);
        }
        if (statementLimit < 0) {
            throw new IllegalArgumentException("statementLimit must be 0 (none) or positive, got " + statementLimit);
        }
    }

    public static SandboxLimits defaults() {
        return new SandboxLimits(
                DEFAULT_TIMEOUT,
                DEFAULT_OUTPUT_LIMIT_BYTES,
                DEFAULT_MEMORY_LIMIT_BYTES,
                DEFAULT_FILE_SYSTEM_LIMIT_BYTES,
                0);
    }

    /** The timeout as the tool description writes it, e.g. "120.0". */
    public String timeoutSecondsText() {
        return String.valueOf(timeout.toMillis() / 1000.0);
    }
}
