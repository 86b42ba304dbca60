package dev.gptoss4j.tools.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The host's handle on one worker process ({@link SandboxWorker}): starts it, talks to it ({@link WorkerProtocol})
 * and kills it. A worker that ends on its own (a crash, a guest that filled its heap) fails every call still
 * waiting for an answer with a {@link Failure} that says how it ended.
 *
 * <p>Workers are killed when their session or pool closes, and any still alive when this JVM shuts down are
 * killed by a shutdown hook; a worker whose host dies without running hooks ends by itself when its stdin closes.
 */
final class WorkerProcess {

    /** Every started worker not yet known to have ended: what the shutdown hook kills. */
    private static final Set<WorkerProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> LIVE.forEach(w -> w.process.destroyForcibly()), "gptoss-sandbox-workers-shutdown"));
    }

    /** Exit status of a JVM that ended through {@code -XX:+ExitOnOutOfMemoryError}. */
    static final int OUT_OF_MEMORY_STATUS = 3;

    private static final int STDERR_TAIL_CHARS = 4096;

    /** Why a worker could not start, or how it ended. */
    static final class Failure extends RuntimeException {
        /** The exit status, or -1 when it never started or is unknown. */
        final int exitStatus;
        /** The worker ran out of its heap. */
        final boolean outOfMemory;

        Failure(String message, int exitStatus, boolean outOfMemory) {
            super(message, null, false, false);
            this.exitStatus = exitStatus;
            this.outOfMemory = outOfMemory;
        }
    }

    final SandboxLanguage language;
    private final Process process;
    private final String described;
    private final CompletableFuture<Long> ready = new CompletableFuture<>();
    private final Map<Long, CompletableFuture<ObjectNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final StringBuilder stderrTail = new StringBuilder();
    private Thread stderrReader;
    private volatile Failure ended;

    private WorkerProcess(SandboxLanguage language, Process process, String described) {
        this.language = language;
        this.process = process;
        this.described = described;
    }

    /**
     * Starts a worker; returns at once. When the process cannot even be started, the result's {@link #ready()}
     * has failed with a message naming the command tried.
     */
    static WorkerProcess start(WorkerLauncher launcher, SandboxLanguage language, long statementLimit, long heap) {
        List<String> command = launcher.command(language, statementLimit, heap);
        String described = describe(launcher);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().retainAll(WorkerLauncher.ENVIRONMENT);
        Process process;
        try {
            process = pb.start();
        } catch (IOException | RuntimeException e) {
            WorkerProcess w = new WorkerProcess(language, null, described);
            w.ready.completeExceptionally(new Failure(
                    "the " + language.toolName() + " sandbox process could not be started (" + described + "): "
                            + e.getMessage(),
                    -1,
                    false));
            return w;
        }
        WorkerProcess w = new WorkerProcess(language, process, described);
        LIVE.add(w);
        w.stderrReader = daemon(w::drainStderr, "gptoss-sandbox-stderr");
        daemon(w::readFrames, "gptoss-sandbox-channel");
        return w;
    }

    private static String describe(WorkerLauncher launcher) {
        String cp = launcher.classPath();
        return "java " + launcher.java() + ", class path "
                + (cp.length() > 300 ? cp.substring(0, 300) + "..." : cp.isEmpty() ? "(empty)" : cp)
                + (launcher.modulePath() != null ? ", module path " + launcher.modulePath() : "");
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Completes with the worker's process id once its guest context is built; fails when it cannot start. */
    CompletableFuture<Long> ready() {
        return ready;
    }

    long pid() {
        return process == null ? -1 : process.pid();
    }

    boolean isAlive() {
        return process != null && process.isAlive() && ended == null;
    }

    /** How the worker ended, or null while it runs. */
    Failure ended() {
        return ended;
    }

    /** Sends a request and returns its answer; fails with {@link Failure} when the worker ends first. */
    CompletableFuture<ObjectNode> call(ObjectNode request) {
        long id = ids.incrementAndGet();
        CompletableFuture<ObjectNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        request.put("id", id);
        if (!write(request) || ended != null) {
            Failure f = ended != null ? ended : new Failure("the sandbox process is not running", -1, false);
            pending.remove(id);
            answer.completeExceptionally(f);
        }
        return answer;
    }

    /** Sends a message that has no answer (an interrupt). */
    void send(ObjectNode message) {
        write(message);
    }

    private boolean write(JsonNode message) {
        if (process == null) {
            return false;
        }
        byte[] line = (WorkerProtocol.frame(message) + "\n").getBytes(StandardCharsets.UTF_8);
        OutputStream in = process.getOutputStream();
        synchronized (in) {
            try {
                in.write(line);
                in.flush();
                return true;
            } catch (IOException e) {
                return false; // the worker is gone; the channel reader reports how it ended
            }
        }
    }

    /** Kills the worker and waits until it is gone: after this returns it runs nothing. */
    void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the sandbox process " + process.pid() + " did not end when killed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(this);
    }

    private void readFrames() {
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                ObjectNode frame = WorkerProtocol.parse(line);
                if (frame == null) {
                    continue; // the JVM's own output, not ours
                }
                if (frame.has("ready")) {
                    if (frame.path("ready").asBoolean()) {
                        ready.complete(frame.path("pid").asLong());
                    } else {
                        ready.completeExceptionally(
                                new Failure(frame.path("error").asText("the sandbox did not start"), -1, false));
                    }
                    continue;
                }
                CompletableFuture<ObjectNode> answer =
                        pending.remove(frame.path("id").asLong());
                if (answer != null) {
                    answer.complete(frame);
                }
            }
        } catch (IOException e) {
            // The stream broke: the process is ending; reported below like any end.
        }
        int status = -1;
        try {
            if (process.waitFor(30, TimeUnit.SECONDS)) {
                status = process.exitValue();
            }
            stderrReader.join(2_000); // the last words of a crash come on stderr
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(this);
        String tail;
        synchronized (stderrTail) {
            tail = stderrTail.toString().strip();
        }
        boolean oom = status == OUT_OF_MEMORY_STATUS || tail.contains("OutOfMemoryError");
        Failure f = new Failure(
                "the " + language.toolName() + " sandbox process ended"
                        + (status >= 0 ? " with status " + status : "")
                        + (ready.isDone() ? "" : " before it was ready (" + described + ")")
                        + (tail.isEmpty() ? "" : "; its last error output: " + tail),
                status,
                oom);
        ended = f;
        ready.completeExceptionally(f);
        pending.values().forEach(a -> a.completeExceptionally(f));
        pending.clear();
    }

    private void drainStderr() {
        try (InputStream err = process.getErrorStream()) {
            byte[] buf = new byte[4096];
            for (int n; (n = err.read(buf)) > 0; ) {
                synchronized (stderrTail) {
                    stderrTail.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    if (stderrTail.length() > STDERR_TAIL_CHARS) {
                        stderrTail.delete(0, stderrTail.length() - STDERR_TAIL_CHARS);
                    }
                }
            }
        } catch (IOException e) {
            // The process ended.
        }
    }
}
