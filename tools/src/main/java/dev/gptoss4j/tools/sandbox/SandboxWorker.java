package dev.gptoss4j.tools.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The main class of a sandbox worker process ({@link SandboxIsolation#PROCESS}); started by the sandbox, not an
 * API. It runs one session's guest with the in-process machinery ({@link InProcessSession}: the same context
 * settings, composed read-only file system, in-memory {@code /mnt/data}, output caps and limits) and answers the
 * host over stdin and stdout ({@link WorkerProtocol}).
 *
 * <p>{@code System.out} is pointed at stderr before anything else runs, so that nothing but frames is written to
 * the channel on purpose. The worker ends when its stdin ends: when the host closes it, or dies, the worker does
 * not outlive it. A cell that cannot be stopped is reported and never left running: the host kills the process.
 *
 * <p>Arguments: the language ({@link SandboxLanguage} name) and the statement limit its contexts are built with.
 */
public final class SandboxWorker {

    private final Object writeLock = new Object();
    private final OutputStream channel;
    private final SandboxLanguage language;
    private final long statementLimit;
    private final SandboxPool pool = SandboxPool.create(0, 1);
    /** Runs the calls that take time (open, execute, reset) one after another, off the thread that reads. */
    private final ExecutorService calls = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "gptoss-sandbox-worker");
        t.setDaemon(true);
        return t;
    });

    private volatile InProcessSession session;
    /** The thread running an execute, interrupted when the host asks. */
    private volatile Thread executing;

    private SandboxWorker(OutputStream channel, SandboxLanguage language, long statementLimit) {
        this.channel = channel;
        this.language = language;
        this.statementLimit = statementLimit;
    }

    public static void main(String[] args) {
        OutputStream channel = new FileOutputStream(FileDescriptor.out);
        // Anything else that prints (a library, Truffle, a stray debug line) goes to stderr, never into the channel.
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        InputStream in = new FileInputStream(FileDescriptor.in);
        System.setIn(InputStream.nullInputStream());
        if (args.length != 2) {
            System.err.println("usage: SandboxWorker LANGUAGE STATEMENT_LIMIT");
            Runtime.getRuntime().halt(2);
        }
        new SandboxWorker(channel, SandboxLanguage.valueOf(args[0]), Long.parseLong(args[1])).serve(in);
    }

    private void serve(InputStream in) {
        Thread starter = new Thread(this::start, "gptoss-sandbox-worker-start");
        starter.setDaemon(true);
        starter.start();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                ObjectNode request = WorkerProtocol.parse(line);
                if (request != null) {
                    dispatch(request);
                }
            }
        } catch (IOException | RuntimeException e) {
            // The channel broke: the host is gone or confused; either way this worker has nobody to work for.
        }
        // Halt, not exit: a guest thread stuck in a host operation must not delay the end, and no hook needs to run.
        Runtime.getRuntime().halt(0);
    }

    /** Builds the guest context before any session asks for it, then tells the host the worker is ready. */
    private void start() {
        try {
            SandboxContext context = pool.prebuild(language, statementLimit).join();
            // A first cell loads and initialises most of what every cell needs (parser, compiler, printing): run
            // here, before the worker says it is ready, it is off the clock of the session's first call. It leaves
            // no variable behind (its value is None / undefined).
            context.begin(1024);
            context.run(language == SandboxLanguage.PYTHON ? "print(end='')\nNone" : "void 0", 0);
            send(WorkerProtocol.JSON
                    .createObjectNode()
                    .put("ready", true)
                    .put("pid", ProcessHandle.current().pid()));
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            send(WorkerProtocol.JSON
                    .createObjectNode()
                    .put("ready", false)
                    .put("error", "the " + language.toolName() + " context could not be built: " + cause));
            System.err.println("gptoss sandbox worker: the guest context could not be built");
            cause.printStackTrace();
            Runtime.getRuntime().halt(1);
        }
    }

    private void dispatch(ObjectNode request) {
        long id = request.path("id").asLong();
        switch (request.path("op").asText()) {
            case "interrupt" -> {
                Thread t = executing;
                if (t != null) {
                    t.interrupt();
                }
            }
            case "open" ->
                calls.execute(() -> answer(id, () -> {
                    InProcessSession s =
                            new InProcessSession(language, WorkerProtocol.limits(request.path("limits")), pool, true);
                    s.warmUp();
                    session = s;
                    return ok();
                }));
            case "execute" -> calls.execute(() -> answer(id, () -> execute(request)));
            case "reset" ->
                calls.execute(() -> answer(id, () -> {
                    session().reset();
                    return ok();
                }));
            // Volume operations are quick and the volume has its own lock: answered at once, even during a call.
            case "files" ->
                answer(id, () -> {
                    ObjectNode files = WorkerProtocol.JSON.createObjectNode();
                    for (Map.Entry<String, byte[]> e : session().files().entrySet()) {
                        files.put(e.getKey(), e.getValue());
                    }
                    return ok().set("files", files);
                });
            case "read" ->
                answer(id, () -> {
                    byte[] content =
                            session().readFile(request.path("path").asText()).orElse(null);
                    return content == null ? ok() : ok().put("content", content);
                });
            case "write" ->
                answer(id, () -> {
                    session()
                            .writeFile(
                                    request.path("path").asText(),
                                    request.path("content").binaryValue());
                    return ok();
                });
            default -> send(error(id, "unknown operation " + request.path("op")));
        }
    }

    private ObjectNode execute(JsonNode request) {
        InProcessSession s = session();
        executing = Thread.currentThread();
        try {
            ExecutionResult r = s.execute(
                    request.path("code").asText(),
                    Duration.ofNanos(request.path("timeoutNanos").asLong()));
            return ok().set("result", WorkerProtocol.result(r));
        } catch (InProcessSession.Stuck stuck) {
            return ok().set("stuck", WorkerProtocol.stuck(stuck));
        } finally {
            executing = null;
            Thread.interrupted(); // an interrupt that came too late for this call must not hit the next one
        }
    }

    private InProcessSession session() {
        InProcessSession s = session;
        if (s == null) {
            throw new IllegalStateException("the worker's session is not open");
        }
        return s;
    }

    private interface Call {
        ObjectNode run() throws Exception;
    }

    private void answer(long id, Call call) {
        ObjectNode reply;
        try {
            reply = call.run();
        } catch (Exception e) {
            reply = error(id, String.valueOf(e.getMessage()));
        }
        reply.put("id", id);
        send(reply);
    }

    private static ObjectNode ok() {
        return WorkerProtocol.JSON.createObjectNode().put("ok", true);
    }

    private static ObjectNode error(long id, String message) {
        return WorkerProtocol.JSON.createObjectNode().put("id", id).put("error", message);
    }

    private void send(JsonNode message) {
        byte[] line = (WorkerProtocol.frame(message) + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (writeLock) {
            try {
                channel.write(line);
                channel.flush();
            } catch (IOException e) {
                Runtime.getRuntime().halt(0); // the host is gone
            }
        }
    }
}
