package dev.gptoss4j.cli;

import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.backend.LocalEngineBackend;
import dev.gptoss4j.engine.GptOss;
import dev.gptoss4j.engine.Scheduler;
import dev.gptoss4j.engine.SessionOptions;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.serve.OpenAiServer;
import dev.gptoss4j.serve.openai.ApiSettings;
import dev.gptoss4j.serve.openai.ConversationStore;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gptoss serve}: an OpenAI-compatible HTTP server over the local engine (or a replay file, for demos). */
@Command(
        name = "serve",
        description = "Serve the model over an OpenAI-compatible HTTP API (/v1/models, /v1/chat/completions, "
                + "/v1/responses).",
        mixinStandardHelpOptions = true)
public final class ServeCommand implements Callable<Integer> {

    /** The tools a Responses request can switch on by type; the others are functions, run by the client. */
    private static final List<String> BUILT_INS = List.of("python", "browser");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    BackendOptions backendOptions = new BackendOptions();

    @Option(
            names = "--tools",
            split = ",",
            paramLabel = "NAME",
            description = "Built-in tools that /v1/responses requests may enable and that run here: python "
                    + "(code_interpreter), browser (browser_search; search through GPTOSS_SEARCH_URL/GPTOSS_SEARCH_KEY)"
                    + " (default: none). Function tools are the client's own.")
    List<String> tools = List.of();

    @Option(names = "--tool-timeout", paramLabel = "SECONDS", description = "Per built-in tool call (default: 60).")
    double toolTimeout = 60;

    @Option(
            names = "--host",
            paramLabel = "ADDRESS",
            description = "Address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 for all).")
    String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "PORT", description = "Port (default: 8000; 0 picks a free one).")
    int port = 8000;

    @Option(
            names = "--api-key",
            paramLabel = "KEY",
            description = "Require 'Authorization: Bearer KEY' (default: $GPTOSS_API_KEY). Without a key the server "
                    + "starts only on a loopback address, or with --no-auth; a blank key is refused.")
    String apiKey;

    @Option(
            names = "--no-auth",
            description = "Serve without authentication, on any address: anyone who can reach "
                    + "the port can use the model and the built-in tools.")
    boolean noAuth;

    @Option(
            names = "--request-timeout",
            paramLabel = "SECONDS",
            description = "Time a client has to send a request's headers and body; slower or silent connections are "
                    + "closed (default: 30).")
    long requestTimeout = 30;

    @Option(
            names = "--max-request-bytes",
            paramLabel = "N",
            description = "Largest request body; larger ones get 413 (default: 16777216, 16 MiB).")
    int maxRequestBytes = 16 << 20;

    @Option(
            names = "--parallel",
            paramLabel = "N",
            description = "Generations at once: sessions of the one loaded model, batched together in one forward "
                    + "pass per step (continuous batching; default: 1).")
    int parallel = 1;

    @Option(
            names = "--queue",
            paramLabel = "N",
            description = "Requests that may wait for a free session; more get 429 (default: 64).")
    int queue = 64;

    @Option(
            names = "--served-model-name",
            paramLabel = "NAME",
            description = "The model id clients send and /v1/models lists (default: the model file's name).")
    String modelName;

    @Option(
            names = "--effort",
            paramLabel = "LEVEL",
            description = "Reasoning effort when a request names none: low, medium or high (default: medium).")
    String effort = "medium";

    @Option(
            names = "--max-tokens",
            paramLabel = "N",
            description = "Tokens per response when a request sets no limit (default: 4096).")
    int maxTokens = 4096;

    @Option(names = "--context", paramLabel = "N", description = "Context length of each session (default: 8192).")
    int context = SessionOptions.DEFAULT_MAX_CONTEXT;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "Conversation date (default: today).")
    String date;

    @Option(
            names = "--max-conversations",
            paramLabel = "N",
            description = "Responses conversations kept for previous_response_id, each with its own tool state "
                    + "(python, browser); the least recently used idle one is evicted beyond it (default: 64).")
    int maxConversations = ConversationStore.DEFAULT_MAX_LIVE;

    @Option(
            names = "--conversation-idle",
            paramLabel = "SECONDS",
            description = "A kept conversation idle this long is evicted and its tool state freed (default: 600).")
    double conversationIdle = ConversationStore.DEFAULT_IDLE_TIMEOUT.toSeconds();

    @Override
    public Integer call() throws Exception {
        if (parallel < 1) throw new IllegalArgumentException("--parallel must be at least 1, got " + parallel);
        if (queue < 0) throw new IllegalArgumentException("--queue must be 0 or more, got " + queue);
        if (maxTokens < 1) throw new IllegalArgumentException("--max-tokens must be at least 1, got " + maxTokens);
        if (maxConversations < 1) {
            throw new IllegalArgumentException("--max-conversations must be at least 1, got " + maxConversations);
        }
        if (!(conversationIdle > 0)) {
            throw new IllegalArgumentException("--conversation-idle must be positive, got " + conversationIdle);
        }
        String key = apiKey(environment.apply("GPTOSS_API_KEY"));
        if (requestTimeout < 1) {
            throw new IllegalArgumentException("--request-timeout must be at least 1 second, got " + requestTimeout);
        }
        PrintWriter out = spec.commandLine().getOut();
        Duration timeout = ToolOptions.timeout(toolTimeout);
        List<String> toolNames = Toolbox.names(tools);
        for (String t : toolNames) {
            if (!BUILT_INS.contains(t)) {
                throw new IllegalArgumentException("--tools: serve offers only the built-in tools "
                        + String.join(" and ", BUILT_INS) + ", got '" + t + "' (function tools are the client's)");
            }
        }
        List<Backend> backends = new ArrayList<>();
        GptOss loaded = null;
        Scheduler scheduler = null;
        PrintWriter err = spec.commandLine().getErr();
        try (Toolbox toolbox = new Toolbox(timeout, null, notice -> err.println("gptoss serve: " + notice))) {
            String name;
            int contextWindow = 0; // unknown for a replay: nothing to check prompts against
            if (backendOptions.local()) {
                Path model = backendOptions.modelPath(spec);
                loaded = GptOss.load(model);
                SessionOptions options = backendOptions.sessionOptions(context);
                if (parallel == 1) {
                    backends.add(LocalEngineBackend.of(loaded, BackendOptions.SAMPLING, options));
                } else {
                    // one worker pool and one forward pass per step for all parallel requests (continuous batching)
                    scheduler = loaded.newScheduler(options.threads());
                    for (int i = 0; i < parallel; i++) {
                        backends.add(LocalEngineBackend.of(scheduler, loaded, BackendOptions.SAMPLING, options));
                    }
                }
                name = stripExtension(model.getFileName().toString());
                // what each session will hold: the option, capped by the model (Session's own rule)
                int modelMax = loaded.config().maxContext();
                contextWindow = options.maxContext() == 0
                        ? Math.min(SessionOptions.DEFAULT_MAX_CONTEXT, modelMax)
                        : Math.min(options.maxContext(), modelMax);
            } else {
                if (parallel != 1) {
                    throw new IllegalArgumentException("--parallel: a replay file is replayed in order by one "
                            + "session; leave --parallel at 1");
                }
                backends.add(backendOptions.replay());
                name = "gpt-oss-replay";
            }
            ApiSettings settings = ApiSettings.defaults(modelName != null ? modelName : name)
                    .withContextWindow(contextWindow)
                    .withDefaultMaxTokens(maxTokens)
                    .withConversationDate(date)
                    .withReasoningEffort(ReasoningEffort.parse(effort))
                    .withBuiltInTools(toolbox.tools(toolNames))
                    .withToolTimeout(timeout);
            try (OpenAiServer server = OpenAiServer.builder()
                    .backends(backends)
                    .settings(settings)
                    .host(host)
                    .port(port)
                    .apiKey(key)
                    .maxQueued(queue)
                    .maxBodyBytes(maxRequestBytes)
                    .requestTimeout(Duration.ofSeconds(requestTimeout))
                    .maxConversations(maxConversations)
                    .conversationIdleTimeout(Duration.ofMillis((long) (conversationIdle * 1000)))
                    .build()
                    .start()) {
                out.println("gptoss serve: " + server.baseUrl() + " serving '" + settings.modelId() + "' from "
                        + server.pool().describe()
                        + (key != null
                                ? " (API key required)"
                                : " (no authentication: anyone who can reach "
                                        + (noAuth ? "the port" : "this machine's loopback") + " can use it)")
                        + (toolNames.isEmpty() ? "" : " with built-in " + String.join(", ", toolNames))
                        + "; Ctrl-C stops");
                out.flush();
                awaitShutdown();
            }
            return 0;
        } finally {
            for (Backend b : backends) b.close();
            if (scheduler != null) scheduler.close();
            if (loaded != null) loaded.close();
        }
    }

    /** Reads environment variables; tests replace it. */
    Function<String, String> environment = System::getenv;

    /**
     * The key requests must send, or null for none. A blank key would turn authentication off while the user
     * believes it on, so it is refused; no key at all is fine on loopback, elsewhere only with --no-auth.
     */
    private String apiKey(String fromEnvironment) {
        if (noAuth) {
            if (apiKey != null) throw new IllegalArgumentException("--no-auth and --api-key contradict; give one");
            return null;
        }
        String key = apiKey != null ? apiKey : fromEnvironment;
        String source = apiKey != null ? "--api-key" : "GPTOSS_API_KEY";
        if (key != null && key.isBlank()) {
            throw new IllegalArgumentException(
                    source + " is set but blank; give a real key, or --no-auth to serve " + "without authentication");
        }
        if (key == null && !isLoopback(host)) {
            throw new IllegalArgumentException("no API key for --host " + host + ", which other machines can reach: "
                    + "set GPTOSS_API_KEY or --api-key KEY, or pass --no-auth to serve without authentication");
        }
        return key;
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Blocks until the process is asked to stop (Ctrl-C) or this thread is interrupted. */
    private static void awaitShutdown() {
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
    }

    private static String stripExtension(String file) {
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }
}
