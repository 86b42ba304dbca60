package dev.gptoss4j.tools.sandbox;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A conversation's code session (see {@link CodeSandbox}), opened from {@link PythonSandbox} or
 * {@link JavaScriptSandbox}. Where the guest runs is the sandbox's {@link SandboxIsolation}: by default in a worker
 * process of the session's own, so that a stop is a real stop; optionally in this JVM.
 */
public final class SandboxSession implements CodeSandbox {

    private final SessionBackend backend;

    SandboxSession(SessionBackend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    static SandboxSession open(SandboxLanguage language, SandboxConfig config) {
        return new SandboxSession(
                switch (config.isolation()) {
                    case PROCESS -> new ProcessSession(language, config);
                    case IN_PROCESS -> new InProcessSession(language, config.limits(), config.pool());
                });
    }

    @Override
    public SandboxLanguage language() {
        return backend.language();
    }

    public SandboxLimits limits() {
        return backend.limits();
    }

    /**
     * Gets the guest ready now (a warm context, or a started worker process), so that the next call's clock does
     * not include the start-up; waits for it.
     *
     * @throws IllegalStateException when the session or its pool is closed, or the sandbox cannot start (the
     *     message says what was tried)
     */
    public void warmUp() {
        backend.warmUp();
    }

    /**
     * Runs one cell under one clock: the timeout counts from this call, so waiting for the sandbox to start is part
     * of it. When the clock runs out the guest is interrupted, which keeps the notebook as it was when the cell
     * stopped; only code that cannot be interrupted in time is stopped harder, and then the result says the
     * session was reset. Either way the result is returned only once the guest has stopped running statements.
     */
    @Override
    public ExecutionResult execute(String code) {
        return backend.execute(code);
    }

    @Override
    public Map<String, byte[]> files() {
        return backend.files();
    }

    @Override
    public Optional<byte[]> readFile(String path) {
        return backend.readFile(path);
    }

    @Override
    public void writeFile(String path, byte[] content) {
        backend.writeFile(path, content);
    }

    @Override
    public void reset() {
        backend.reset();
    }

    /** Frees the guest: its context, or its worker process (killed, and waited for). */
    @Override
    public void close() {
        backend.close();
    }

    /** The id of the worker process the guest runs in now; empty in-process or while none is started. */
    OptionalLong workerPid() {
        return backend.workerPid();
    }
}
