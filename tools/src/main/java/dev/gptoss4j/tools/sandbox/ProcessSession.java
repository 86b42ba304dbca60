package dev.gptoss4j.tools.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A code session whose guest runs in a worker process of its own ({@link SandboxIsolation#PROCESS}); the worker
 * runs the in-process machinery ({@link InProcessSession}) and this side keeps the clock.
 *
 * <p>At the time limit the worker interrupts the guest, which keeps the notebook. A cell that cannot be
 * interrupted (stuck in one host operation), a worker that does not answer within the grace, and a worker that
 * ends on its own (it filled its heap, it crashed) all end the same way: the worker is killed and waited for, so
 * nothing of the cell runs after the result is returned, and the next call gets a fresh worker. The session's
 * {@code /mnt/data} lived in the worker, so the result says that variables and files are gone.
 */
final class ProcessSession implements SessionBackend {

    /**
     * How long past its deadline a worker may take to answer: its own interrupt grace, the wait for the
     * interrupted cell to unwind, and a margin for a loaded machine. A worker still silent then is killed.
     */
    static final Duration REPLY_GRACE =
            InProcessSession.INTERRUPT_GRACE.multipliedBy(2).plusSeconds(3);
    /** How long a volume request (files, read, write) may take before the worker is taken as broken. */
    private static final Duration VOLUME_TIMEOUT = Duration.ofSeconds(60);

    static final String LOST_NOTE = "The session was reset: variables, imports and the files in " + MemoryVolume.MOUNT
            + " are gone (they lived in the stopped process).";

    private final SandboxLanguage language;
    private final SandboxConfig config;
    private final SandboxLimits limits;

    /** The worker of this session and its opening (ready, then the session opened in it); null until needed. */
    private volatile WorkerProcess worker;

    private volatile CompletableFuture<ObjectNode> opened;
    private volatile boolean closed;

    ProcessSession(SandboxLanguage language, SandboxConfig config) {
        this.language = Objects.requireNonNull(language, "language");
        this.config = Objects.requireNonNull(config, "config");
        this.limits = config.limits();
    }

    @Override
    public SandboxLanguage language() {
        return language;
    }

    @Override
    public SandboxLimits limits() {
        return limits;
    }

    @Override
    public OptionalLong workerPid() {
        WorkerProcess w = worker;
        return w == null || w.pid() < 0 ? OptionalLong.empty() : OptionalLong.of(w.pid());
    }

    @Override
    public synchronized void warmUp() {
        ensureOpen();
        try {
            open().get();
        } catch (ExecutionException e) {
            drop();
            throw new IllegalStateException(
                    "the " + language.toolName() + " sandbox could not start: "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the " + language.toolName() + " sandbox started", e);
        }
    }

    /** The session's worker being opened (or open): acquired from the pool when there is none. */
    private CompletableFuture<ObjectNode> open() {
        WorkerProcess w = worker;
        if (w != null && w.ended() != null) {
            drop(); // it ended between calls; callers that need its files learn it from the result
        }
        if (worker == null) {
            WorkerProcess fresh = config.pool().acquireWorker(language, config);
            ObjectNode request = WorkerProtocol.request(0, "open");
            request.set("limits", WorkerProtocol.limits(limits));
            opened = fresh.ready().thenCompose(pid -> fresh.call(request)).thenApply(reply -> {
                if (reply.has("error")) {
                    throw new WorkerProcess.Failure(
                            "the " + language.toolName() + " sandbox process could not open a session: "
                                    + reply.path("error").asText(),
                            -1,
                            false);
                }
                return reply;
            });
            worker = fresh;
        }
        return opened;
    }

    @Override
    public synchronized ExecutionResult execute(String code) {
        Objects.requireNonNull(code, "code");
        ensureOpen();
        long start = System.nanoTime();
        long deadline = start + limits.timeout().toNanos();
        config.pool().ensureOpen(); // a closed pool killed the worker: a host programming error, not a crash
        WorkerProcess prior = worker;
        if (prior != null && prior.ready().isDone() && !prior.isAlive()) {
            // It ended between calls (killed from outside, say): its notebook and files are gone, and the model must
            // hear that before it builds on them.
            WorkerProcess.Failure f = prior.ended();
            drop();
            return result(code, start, null, ErrorKind.SANDBOX_FAILURE, crashed(f) + " None of this code ran.", "");
        }
        WorkerProcess w;
        try {
            CompletableFuture<ObjectNode> f = open();
            w = worker;
            f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // The start goes on in the background and the next call uses the worker; no code ran, nothing is lost.
            return result(
                    code,
                    start,
                    null,
                    ErrorKind.TIMEOUT,
                    "TimeoutError: the " + language.toolName() + " sandbox was still starting when the "
                            + limits.timeoutSecondsText()
                            + " second limit ran out; none of the code ran. Run it again.",
                    null);
        } catch (ExecutionException e) {
            drop();
            return result(
                    code,
                    start,
                    null,
                    ErrorKind.SANDBOX_FAILURE,
                    "SandboxError: the " + language.toolName() + " sandbox could not start ("
                            + e.getCause().getMessage() + ").",
                    null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result(
                    code,
                    start,
                    null,
                    ErrorKind.SANDBOX_FAILURE,
                    "SandboxError: the call was interrupted by the host before the code ran.",
                    null);
        }
        if (w.ended() != null) {
            WorkerProcess.Failure f = w.ended();
            drop();
            return result(code, start, null, ErrorKind.SANDBOX_FAILURE, crashed(f) + " None of this code ran.", "");
        }

        ObjectNode request = WorkerProtocol.request(0, "execute")
                .put("code", code)
                .put("timeoutNanos", Math.max(1, deadline - System.nanoTime()));
        CompletableFuture<ObjectNode> reply = w.call(request);
        long giveUp = deadline + REPLY_GRACE.toNanos();
        boolean hostStopped = false;
        while (true) {
            try {
                ObjectNode answer = reply.get(Math.max(0, giveUp - System.nanoTime()), TimeUnit.NANOSECONDS);
                ExecutionResult r = answered(code, start, answer);
                if (hostStopped) {
                    Thread.currentThread().interrupt();
                }
                return r;
            } catch (InterruptedException e) {
                // The host stopped the call (say an agent's own deadline): the worker stops the guest as at the time
                // limit, keeping the notebook when it can; the interrupt is kept for the caller.
                if (!hostStopped) {
                    hostStopped = true;
                    w.send(WorkerProtocol.JSON.createObjectNode().put("op", "interrupt"));
                    giveUp = Math.min(giveUp, System.nanoTime() + REPLY_GRACE.toNanos());
                }
            } catch (TimeoutException e) {
                kill();
                if (hostStopped) {
                    Thread.currentThread().interrupt();
                }
                return result(
                        code,
                        start,
                        null,
                        hostStopped ? ErrorKind.SANDBOX_FAILURE : ErrorKind.TIMEOUT,
                        (hostStopped
                                        ? "SandboxError: the host stopped the call"
                                        : "TimeoutError: the code ran longer than the " + limits.timeoutSecondsText()
                                                + " second limit")
                                + " and its process did not answer in time, so the process was stopped.",
                        LOST_NOTE);
            } catch (ExecutionException e) {
                WorkerProcess.Failure f = e.getCause() instanceof WorkerProcess.Failure wf ? wf : null;
                drop();
                if (hostStopped) {
                    Thread.currentThread().interrupt();
                }
                if (f != null && f.outOfMemory) {
                    return result(
                            code,
                            start,
                            null,
                            ErrorKind.MEMORY_LIMIT,
                            "MemoryError: the code filled the " + InProcessSession.mib(config.workerHeapBytes())
                                    + " heap of its " + language.toolName() + " process, which ended.",
                            LOST_NOTE);
                }
                return result(code, start, null, ErrorKind.SANDBOX_FAILURE, crashed(f), "");
            }
        }
    }

    /** The result for an answer of the worker: its own result, or a cell it could not stop (killed here). */
    private ExecutionResult answered(String code, long start, ObjectNode answer) {
        if (answer.has("result")) {
            return WorkerProtocol.result(answer.get("result"), Duration.ofNanos(System.nanoTime() - start));
        }
        JsonNode stuck = answer.get("stuck");
        if (stuck != null) {
            kill(); // before the model is told: nothing of the cell runs after this
            return InProcessSession.result(
                    limits,
                    code,
                    start,
                    WorkerProtocol.captured(stuck),
                    null,
                    ErrorKind.valueOf(stuck.path("errorKind").asText()),
                    stuck.path("why").asText() + " and could not be interrupted (it was inside one long built-in "
                            + "operation, such as arithmetic on a huge number), so its process was stopped.",
                    LOST_NOTE);
        }
        kill();
        return result(
                code,
                start,
                null,
                ErrorKind.SANDBOX_FAILURE,
                "SandboxError: the " + language.toolName() + " sandbox failed ("
                        + answer.path("error").asText() + ").",
                LOST_NOTE);
    }

    private String crashed(WorkerProcess.Failure f) {
        return "SandboxError: the " + language.toolName() + " session crashed"
                + (f != null && f.exitStatus >= 0 ? " (its process ended with status " + f.exitStatus + ")" : "")
                + " and was reset: variables, imports and the files in " + MemoryVolume.MOUNT + " are gone.";
    }

    /** A result without output; {@code resetNote} "" when the error already says what was lost. */
    private ExecutionResult result(
            String code, long start, String value, ErrorKind kind, String error, String resetNote) {
        OutputCapture.Captured nothing = new OutputCapture.Captured("", "", "", 0);
        ExecutionResult r = InProcessSession.result(
                limits,
                code,
                start,
                nothing,
                value,
                kind,
                error,
                resetNote == null || resetNote.isEmpty() ? null : resetNote);
        if (resetNote != null && resetNote.isEmpty()) {
            return new ExecutionResult(
                    r.output(),
                    r.stdout(),
                    r.stderr(),
                    r.value(),
                    r.errorKind(),
                    r.errorMessage(),
                    r.truncatedBytes(),
                    r.duration(),
                    true);
        }
        return r;
    }

    /** Kills the worker and waits for it; the next call starts on a fresh one. */
    private void kill() {
        WorkerProcess w = worker;
        if (w != null) {
            w.kill();
        }
        drop();
    }

    /** Forgets the worker (ended or killed). */
    private void drop() {
        WorkerProcess w = worker;
        if (w != null) {
            if (w.ended() == null) {
                w.kill();
            }
            config.pool().released(w);
        }
        worker = null;
        opened = null;
    }

    @Override
    public synchronized void reset() {
        ensureOpen();
        WorkerProcess w = worker;
        CompletableFuture<ObjectNode> o = opened;
        if (w == null || o == null || !o.isDone() || o.isCompletedExceptionally()) {
            return; // no guest state yet
        }
        ObjectNode reply = volume(w, WorkerProtocol.request(0, "reset"));
        if (reply == null) {
            drop();
        }
    }

    @Override
    public Map<String, byte[]> files() {
        ObjectNode reply = openVolume(false, WorkerProtocol.request(0, "files"));
        Map<String, byte[]> files = new TreeMap<>();
        if (reply != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = reply.path("files").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                files.put(e.getKey(), binary(e.getValue()));
            }
        }
        return files;
    }

    @Override
    public Optional<byte[]> readFile(String path) {
        String rel = InProcessSession.hostPath(path);
        ObjectNode reply = openVolume(false, WorkerProtocol.request(0, "read").put("path", rel));
        return reply == null || !reply.has("content") ? Optional.empty() : Optional.of(binary(reply.get("content")));
    }

    @Override
    public void writeFile(String path, byte[] content) {
        Objects.requireNonNull(content, "content");
        String rel = InProcessSession.hostPath(path);
        ObjectNode reply = openVolume(
                true, WorkerProtocol.request(0, "write").put("path", rel).put("content", content));
        if (reply == null) {
            throw new UncheckedIOException(
                    "cannot write " + path + " into the sandbox: its process is not running",
                    new IOException("the sandbox process is not running"));
        }
    }

    /**
     * Sends a volume request to the worker. A session with no worker has no files; {@code start} starts one
     * (an upload before the first call). Null when there is no worker to ask.
     */
    private ObjectNode openVolume(boolean start, ObjectNode request) {
        ensureOpen();
        if (start) {
            warmUp();
        }
        // Not under the session's lock: the host may read files while a call runs, as in-process.
        WorkerProcess w = worker;
        CompletableFuture<ObjectNode> o = opened;
        if (w == null || o == null || !o.isDone() || o.isCompletedExceptionally() || w.ended() != null) {
            return null;
        }
        return volume(w, request);
    }

    private ObjectNode volume(WorkerProcess w, ObjectNode request) {
        try {
            ObjectNode reply = w.call(request).get(VOLUME_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (reply.has("error")) {
                String message = reply.path("error").asText();
                if (message.startsWith("sandbox file paths")) {
                    throw new IllegalArgumentException(message);
                }
                throw new UncheckedIOException(new IOException(message));
            }
            return reply;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static byte[] binary(JsonNode n) {
        try {
            return n.binaryValue();
        } catch (IOException e) {
            throw new UncheckedIOException("a malformed file from the sandbox process", e);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            kill();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the " + language.toolName() + " sandbox session is closed");
        }
    }
}
