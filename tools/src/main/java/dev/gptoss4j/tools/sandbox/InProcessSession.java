package dev.gptoss4j.tools.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.graalvm.polyglot.PolyglotException;

/**
 * A code session whose guest runs in this JVM: the {@link SandboxIsolation#IN_PROCESS} mode, and the machinery
 * a worker process runs for {@link SandboxIsolation#PROCESS}. Each call runs on its own thread with a large
 * stack while the calling thread watches the clock and the heap. At the time limit the guest is interrupted and
 * the notebook kept; when it cannot be interrupted, or a memory, statement or exit limit is hit, the guest
 * context is cancelled and dropped, and the next call starts on a fresh one from the pool with the same
 * /mnt/data.
 *
 * <p>In this JVM a thread stuck in one host operation cannot be stopped, so a cancelled one is left to finish
 * (and counted by the pool). Inside a worker process nothing is left to linger: a cell that cannot be stopped
 * ends the call with {@link Stuck}, and the host kills the process.
 */
final class InProcessSession implements SessionBackend {

    private static final long TICK_MILLIS = 10;
    /**
     * How long an interrupt may take to reach the guest. Ordinary guest code reaches a safepoint within
     * milliseconds; code still running after this is inside one long host operation (say arithmetic on a huge
     * integer) and is cancelled instead.
     */
    static final Duration INTERRUPT_GRACE = Duration.ofSeconds(2);
    /** How long a cancelled call may take to unwind before its thread is left to finish its host operation alone. */
    static final Duration CANCEL_GRACE = Duration.ofSeconds(2);
    /** Deep but finite: guest recursion ends in the language's own recursion error well before this runs out. */
    private static final long STACK_BYTES = 16L << 20;
    /** Above this share of the maximum heap the JVM itself is at risk, whoever allocated it. */
    private static final double HEAP_DANGER = 0.85;

    static final String RESET_NOTE =
            "The session was reset: variables and imports are gone; files in " + MemoryVolume.MOUNT + " were kept.";

    private final SandboxLanguage language;
    private final SandboxLimits limits;
    private final SandboxPool pool;
    private final MemoryVolume volume;
    /** The guest context this session runs in, or is starting; null until first needed and after a reset. */
    private CompletableFuture<SandboxContext> current;

    private int cells;
    /**
     * The thread of a cancelled cell still finishing a host operation, or null. While it runs, the session runs
     * nothing else, so a session never has more than one such thread using the CPU.
     */
    private Thread lingering;
    /** The cell being run: host names it wrote itself may be quoted back in its errors. */
    private String code;

    private boolean closed;
    /** Inside a worker process: a cell that cannot be stopped is reported ({@link Stuck}), never left running. */
    private final boolean inWorker;

    /**
     * Thrown out of {@link #execute(String, Duration)} inside a worker when the cell could not be stopped: the
     * worker tells the host, which kills the process; nothing of the cell may run after the model is told.
     */
    static final class Stuck extends RuntimeException {
        final ErrorKind kind;
        final String why;
        final transient OutputCapture.Captured output;

        Stuck(ErrorKind kind, String why, OutputCapture.Captured output) {
            super(why, null, false, false);
            this.kind = kind;
            this.why = why;
            this.output = output;
        }
    }

    InProcessSession(SandboxLanguage language, SandboxLimits limits, SandboxPool pool) {
        this(language, limits, pool, false);
    }

    InProcessSession(SandboxLanguage language, SandboxLimits limits, SandboxPool pool, boolean inWorker) {
        this.inWorker = inWorker;
        this.language = Objects.requireNonNull(language, "language");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.volume = new MemoryVolume(limits.fileSystemLimitBytes());
    }

    @Override
    public SandboxLanguage language() {
        return language;
    }

    @Override
    public SandboxLimits limits() {
        return limits;
    }

    /**
     * Gets the guest context ready now (from the pool, or built), so that the next call's clock does not include
     * the start-up; waits for it.
     *
     * @throws IllegalStateException when the session or its pool is closed, or the context cannot start
     */
    @Override
    public synchronized void warmUp() {
        ensureOpen();
        try {
            context().join();
        } catch (java.util.concurrent.CompletionException e) {
            current = null;
            throw e.getCause() instanceof IllegalStateException ise
                    ? ise
                    : new IllegalStateException(
                            "the " + language.toolName() + " sandbox could not start", e.getCause());
        }
    }

    /**
     * Runs one cell under one clock: the timeout counts from this call, so waiting for the guest context to start
     * is part of it. When the clock runs out the guest is interrupted, which keeps the notebook as it was when the
     * cell stopped; only code that cannot be interrupted in time is cancelled, and then the result says the session
     * was reset. Either way the result is returned only once the guest has stopped running statements.
     */
    @Override
    public ExecutionResult execute(String code) {
        return execute(code, limits.timeout());
    }

    /** {@link #execute(String)} with the time left on a clock that started elsewhere (the host's, for a worker). */
    synchronized ExecutionResult execute(String code, Duration timeout) {
        Objects.requireNonNull(code, "code");
        ensureOpen();
        this.code = code;
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        OutputCapture.Captured nothing = new OutputCapture.Captured("", "", "", 0);
        if (lingering != null) {
            try {
                lingering.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (lingering.isAlive()) {
                return finish(
                        start,
                        nothing,
                        null,
                        ErrorKind.TIMEOUT,
                        "TimeoutError: an earlier cell that was "
                                + "cancelled is still finishing one built-in operation (such as arithmetic on a huge number), "
                                + "and the " + limits.timeoutSecondsText()
                                + " second limit ran out waiting for it; none of "
                                + "this code ran. Avoid such operations, or try again later.",
                        false);
            }
            lingering = null;
        }
        // Cancelled cells of other sessions still finishing host operations hold CPU cores: start no more code
        // while as many run as the pool allows.
        while (pool.saturated() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(TICK_MILLIS * 5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (pool.saturated()) {
            return finish(
                    start,
                    nothing,
                    null,
                    ErrorKind.TIMEOUT,
                    "TimeoutError: the sandbox is busy finishing "
                            + "cancelled computations of other cells (long built-in operations such as arithmetic on huge "
                            + "numbers), and the " + limits.timeoutSecondsText()
                            + " second limit ran out waiting; none of "
                            + "this code ran. Try again later.",
                    false);
        }
        SandboxContext ctx;
        try {
            ctx = context().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // The start goes on in the background and the next call uses the context; no code ran, nothing is lost.
            return finish(
                    start,
                    nothing,
                    null,
                    ErrorKind.TIMEOUT,
                    "TimeoutError: the " + language.toolName()
                            + " sandbox was still starting when the " + limits.timeoutSecondsText()
                            + " second limit ran out; none of the code ran. Run it again.",
                    false);
        } catch (ExecutionException e) {
            current = null;
            if (e.getCause() instanceof IllegalStateException ise) {
                throw ise; // the host closed the pool: a programming error, not something the model caused
            }
            return finish(
                    start,
                    nothing,
                    null,
                    ErrorKind.SANDBOX_FAILURE,
                    "SandboxError: the " + language.toolName()
                            + " sandbox could not start ("
                            + GuestErrors.scrub(String.valueOf(e.getCause().getMessage()), null)
                            + ").",
                    false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return finish(
                    start,
                    nothing,
                    null,
                    ErrorKind.SANDBOX_FAILURE,
                    "SandboxError: the call was interrupted by the host before the code ran.",
                    false);
        }
        int cell = ++cells;
        ctx.begin(limits.outputLimitBytes());

        CompletableFuture<GuestRuntime.Outcome> done = new CompletableFuture<>();
        Thread worker = new Thread(
                null,
                () -> {
                    try {
                        done.complete(ctx.run(code, cell));
                    } catch (Throwable t) {
                        done.completeExceptionally(t);
                    }
                },
                "gptoss-sandbox-" + language.toolName(),
                STACK_BYTES);
        worker.setDaemon(true);
        MemoryGuard guard = new MemoryGuard(worker, limits.memoryLimitBytes());
        worker.start();

        GuestRuntime.Outcome outcome = null;
        Throwable failure = null;
        while (true) {
            try {
                outcome = done.get(TICK_MILLIS, TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException e) {
                if (System.nanoTime() - deadline >= 0) {
                    return stop(
                            start,
                            ctx,
                            done,
                            worker,
                            ErrorKind.TIMEOUT,
                            "TimeoutError: the code ran longer " + "than the " + limits.timeoutSecondsText()
                                    + " second limit");
                }
                if (guard.exceeded()) {
                    boolean stopped = cancel(ctx, done, worker);
                    if (!stopped && inWorker) {
                        throw new Stuck(
                                ErrorKind.MEMORY_LIMIT,
                                "MemoryError: the code used more than " + mib(limits.memoryLimitBytes()) + " of memory",
                                ctx.capture.end());
                    }
                    return finish(
                            start,
                            ctx.capture.end(),
                            null,
                            ErrorKind.MEMORY_LIMIT,
                            "MemoryError: the code used "
                                    + "more than " + mib(limits.memoryLimitBytes()) + " of memory and was stopped."
                                    + lingerNote(stopped),
                            true);
                }
            } catch (ExecutionException e) {
                failure = e.getCause();
                break;
            } catch (InterruptedException e) {
                // The host stopped the call (say an agent's own deadline): stop the guest as at the time limit,
                // keeping the notebook when it can be interrupted, and keep the interrupt for the caller.
                ExecutionResult r = stop(
                        start, ctx, done, worker, ErrorKind.SANDBOX_FAILURE, "SandboxError: the host stopped the call");
                Thread.currentThread().interrupt();
                return r;
            }
        }
        if (failure == null) {
            return finish(start, ctx.capture.end(), outcome.value(), outcome.errorKind(), outcome.error(), false);
        }
        return failed(start, ctx, failure);
    }

    /**
     * Stops a running cell: interrupts it (the notebook stays), or cancels what cannot be interrupted (the session
     * resets). Returns once the guest runs no more statements of the cell.
     */
    private ExecutionResult stop(
            long start,
            SandboxContext ctx,
            CompletableFuture<GuestRuntime.Outcome> done,
            Thread worker,
            ErrorKind kind,
            String why) {
        if (ctx.interrupt(INTERRUPT_GRACE)) {
            try {
                done.get(INTERRUPT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException expected) {
                // The interrupted cell ends in an interrupt error; that is the normal way out.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (TimeoutException e) {
                // Left the context but not yet the runner: cancelled below like code that ignored the interrupt.
            }
            if (done.isDone()) {
                return finish(
                        start,
                        ctx.capture.end(),
                        null,
                        kind,
                        why + " and was interrupted. Variables, imports "
                                + "and files from before this cell are kept; what the cell did before it was stopped stays "
                                + "done.",
                        false);
            }
        }
        if (inWorker) {
            // Killing the process is the cancellation, and a certain one: no need to try closing the context.
            ctx.fileSystem.detach();
            current = null;
            throw new Stuck(kind, why, ctx.capture.end());
        }
        boolean stopped = cancel(ctx, done, worker);
        return finish(
                start,
                ctx.capture.end(),
                null,
                kind,
                why + " and could not be interrupted (it was inside one "
                        + "long built-in operation, such as arithmetic on a huge number), so it was cancelled."
                        + lingerNote(stopped),
                true);
    }

    private static String lingerNote(boolean stopped) {
        return stopped
                ? ""
                : " None of the rest of the code runs; the built-in operation it was inside finishes on "
                        + "its own, and this session waits for that before it runs more code.";
    }

    /** Maps what escaped the guest runner to a result; anything but a plain guest error costs the context. */
    private ExecutionResult failed(long start, SandboxContext ctx, Throwable failure) {
        OutputCapture.Captured captured = ctx.capture.end();
        if (failure instanceof PolyglotException pe) {
            if (ctx.statementLimitHit()) {
                discard();
                return finish(
                        start,
                        captured,
                        null,
                        ErrorKind.STATEMENT_LIMIT,
                        "StatementLimitError: the code ran more than " + ctx.statementLimit
                                + " statements and was stopped.",
                        true);
            }
            String message = String.valueOf(pe.getMessage());
            if (exited(pe, message)) {
                discard();
                return finish(
                        start,
                        captured,
                        null,
                        ErrorKind.EXIT,
                        "SystemExit: the program exited" + (pe.isExit() ? " with status " + pe.getExitStatus() : "")
                                + ".",
                        true);
            }
            if (pe.isResourceExhausted()) {
                discard();
                return finish(
                        start,
                        captured,
                        null,
                        ErrorKind.MEMORY_LIMIT,
                        "MemoryError: the code exhausted a resource and was stopped.",
                        true);
            }
            String denial = pe.isInternalError() ? denial(message) : null;
            if (denial != null) {
                // A capability the sandbox withholds (process, socket, thread): the language surfaces the refusal
                // as an internal error, but it unwinds like any exception and the context stays usable.
                return finish(start, captured, null, ErrorKind.EXCEPTION, denial, false);
            }
            if (pe.isGuestException() && !pe.isCancelled() && !pe.isInterrupted() && !pe.isInternalError()) {
                return finish(
                        start,
                        captured,
                        null,
                        pe.isSyntaxError() ? ErrorKind.SYNTAX_ERROR : ErrorKind.EXCEPTION,
                        language == SandboxLanguage.JAVASCRIPT ? JavaScriptRuntime.describe(pe) : pe.getMessage(),
                        false);
            }
        }
        discard();
        return finish(start, captured, null, ErrorKind.SANDBOX_FAILURE, GuestErrors.internalFailure(language), true);
    }

    /**
     * Whether the guest asked to end the program ({@code os._exit}). GraalPy exits from a thread other than the
     * context's first by throwing {@code ThreadDeath} after asking the context's other threads to stop. Asking them
     * can itself fail inside GraalPy (its list of threads held a null after a heap-hungry cell, and Truffle threw a
     * NullPointerException for it); the cell still ended in the exit builtin, so a failure thrown there is an exit.
     */
    static boolean exited(PolyglotException pe, String message) {
        if (pe.isExit() || message.contains("ThreadDeath")) {
            return true;
        }
        if (!pe.isInternalError()) {
            return false;
        }
        for (StackTraceElement frame : pe.getStackTrace()) {
            if (frame.getClassName().startsWith("<")) {
                return false; // reached guest code: the failure did not come from the exit builtin
            }
            if (frame.getClassName().endsWith(".PosixModuleBuiltins$ExitNode")) {
                return true;
            }
        }
        return false;
    }

    /** The model-facing text for a refused capability, or null when the message is not a refusal. */
    static String denial(String message) {
        if (message.contains("Process creation is not allowed")) {
            return "PermissionError: starting processes is not allowed in this sandbox.";
        }
        if (message.contains("Creating threads is not allowed")) {
            return "PermissionError: starting threads is not allowed in this sandbox.";
        }
        if (message.matches("(?s).*\\b(socket|getaddrinfo|gethostbyname|connect|bind|listen)\\b.*was excluded.*")) {
            return "PermissionError: network access is not available in this sandbox (internet access is disabled).";
        }
        if (message.contains("was excluded") || message.contains("is not allowed")) {
            String detail = message.replaceFirst("^[\\w.$]+(Exception|Error): ", "");
            return "PermissionError: operation not permitted in this sandbox (" + detail + ").";
        }
        // GraalPy's Java emulation of the operating system lacks a few calls (an anonymous mmap over 2 GiB, say) and
        // refuses them as it refuses the capabilities above: the code reads an error and the notebook stays
        String unsupported = "Feature not supported on 'java' POSIX backend: ";
        int at = message.indexOf(unsupported);
        if (at >= 0) {
            return "OSError: not supported in this sandbox: " + message.substring(at + unsupported.length()) + ".";
        }
        return null;
    }

    /**
     * Cancels the context and drops it: the guest runs no statement after this returns (a cancelled context refuses
     * to run any), its files view is cut off from the volume, and the next call gets a fresh context. A thread
     * stuck in one host operation cannot be stopped from outside; it is given a grace and then left to finish that
     * operation, after which the cancellation ends it.
     *
     * @return whether the guest thread stopped within the grace
     */
    private boolean cancel(SandboxContext ctx, CompletableFuture<?> done, Thread worker) {
        ctx.fileSystem.detach();
        Thread closer = new Thread(ctx::close, "gptoss-sandbox-cancel");
        closer.setDaemon(true);
        closer.start();
        current = null;
        try {
            done.get(CANCEL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true; // the cancelled call ended in a cancellation error
        } catch (TimeoutException e) {
            if (!inWorker) {
                lingering = worker;
                pool.linger(worker);
            }
            return false;
        }
    }

    private ExecutionResult finish(
            long start, OutputCapture.Captured captured, String value, ErrorKind kind, String error, boolean reset) {
        return result(limits, code, start, captured, value, kind, error, reset ? RESET_NOTE : null);
    }

    /**
     * The result the model reads: output as printed (and a note when it was cut), the value, the error, and the
     * note on what a reset lost ({@code resetNote}, null when the session was not reset); host names scrubbed.
     */
    static ExecutionResult result(
            SandboxLimits limits,
            String code,
            long start,
            OutputCapture.Captured captured,
            String value,
            ErrorKind kind,
            String error,
            String resetNote) {
        boolean reset = resetNote != null;
        StringBuilder out = new StringBuilder(captured.combined());
        if (captured.truncatedBytes() > 0) {
            newline(out)
                    .append("[... ")
                    .append(captured.truncatedBytes())
                    .append(" more bytes of output were cut; print less, or write large results to ")
                    .append(MemoryVolume.MOUNT)
                    .append(" ...]");
        }
        long truncated = captured.truncatedBytes();
        if (value != null) {
            int cap = limits.outputLimitBytes();
            if (value.length() > cap) {
                truncated += value.length() - cap;
                value = value.substring(0, cap) + "... [" + (value.length() - cap) + " more characters cut]";
            }
            newline(out).append(value);
        }
        error = GuestErrors.scrub(error, code);
        if (error != null) {
            newline(out).append(error.stripTrailing());
        }
        if (reset) {
            newline(out).append(resetNote);
        }
        // Also what the code printed or returned: a caught host exception printed by the guest is still one.
        String text = GuestErrors.scrub(out.toString().stripTrailing(), code);
        return new ExecutionResult(
                text,
                GuestErrors.scrub(captured.stdout(), code),
                GuestErrors.scrub(captured.stderr(), code),
                GuestErrors.scrub(value, code),
                kind,
                error,
                truncated,
                Duration.ofNanos(System.nanoTime() - start),
                reset);
    }

    private static StringBuilder newline(StringBuilder sb) {
        if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != '\n') {
            sb.append('\n');
        }
        return sb;
    }

    static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }

    /** The session's context, started in the background when there is none. */
    private CompletableFuture<SandboxContext> context() {
        if (current == null) {
            CompletableFuture<SandboxContext> starting = new CompletableFuture<>();
            Thread starter = new Thread(
                    () -> {
                        try {
                            SandboxContext c = pool.acquire(language, limits.statementLimit());
                            c.fileSystem.attach(volume);
                            starting.complete(c);
                        } catch (Throwable t) {
                            starting.completeExceptionally(t);
                        }
                    },
                    "gptoss-sandbox-start");
            starter.setDaemon(true);
            starter.start();
            current = starting;
        }
        return current;
    }

    private void discard() {
        if (current != null) {
            current.thenAccept(c -> {
                c.fileSystem.detach();
                c.close();
            });
            current = null;
        }
    }

    @Override
    public synchronized void reset() {
        ensureOpen();
        discard();
    }

    @Override
    public Map<String, byte[]> files() {
        return volume.snapshot();
    }

    @Override
    public Optional<byte[]> readFile(String path) {
        return volume.readFile(hostPath(path));
    }

    @Override
    public void writeFile(String path, byte[] content) {
        Objects.requireNonNull(content, "content");
        try {
            volume.writeFile(hostPath(path), content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + " into the sandbox: " + e.getMessage(), e);
        }
    }

    /** The volume-relative form of a host-supplied path, refusing anything outside /mnt/data. */
    static String hostPath(String path) {
        Objects.requireNonNull(path, "path");
        Path p = Path.of(path);
        Path abs = (p.isAbsolute() ? p : Path.of(MemoryVolume.MOUNT).resolve(p)).normalize();
        String rel = SandboxFileSystem.relativeToMount(abs);
        if (rel == null) {
            throw new IllegalArgumentException(
                    "sandbox file paths must be inside " + MemoryVolume.MOUNT + ", got " + path);
        }
        return rel;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            discard();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the " + language.toolName() + " sandbox session is closed");
        }
    }

    /** Decides, tick by tick, whether the running call holds more memory than it may. */
    private static final class MemoryGuard {
        private final Thread worker;
        private final long limit;
        private final long base = HeapWatch.heapUsed();
        private final long danger = (long) (HeapWatch.heapMax() * HEAP_DANGER);
        private long checkAt;

        MemoryGuard(Thread worker, long limit) {
            this.worker = worker;
            this.limit = limit;
            this.checkAt = Math.min(base + limit, danger);
        }

        boolean exceeded() {
            long used = HeapWatch.heapUsed();
            if (used < checkAt) {
                return false;
            }
            long allocated = HeapWatch.allocatedBy(worker);
            boolean ours = allocated < 0 || allocated >= limit;
            if (!ours && used < danger) {
                return false; // the heap grew, but not through this call
            }
            long live = HeapWatch.heapUsedAfterGc();
            if (live >= danger || (ours && live - base > limit)) {
                return true;
            }
            // Mostly garbage: look again only after another half limit of growth, so GCs stay rare.
            checkAt = Math.min(live + limit / 2, danger);
            return false;
        }
    }
}
