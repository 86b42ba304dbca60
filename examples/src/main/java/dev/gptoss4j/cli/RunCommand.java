package dev.gptoss4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentEvent;
import dev.gptoss4j.agent.AgentListener;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.ConversationJson;
import dev.gptoss4j.agent.ToolCall;
import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.backend.LocalEngineBackend;
import dev.gptoss4j.agent.backend.ReplayBackend;
import dev.gptoss4j.engine.SessionOptions;
import dev.gptoss4j.engine.sampling.SamplerConfig;
import dev.gptoss4j.agent.tool.MethodTools;
import dev.gptoss4j.tools.code.JavaScriptTool;
import dev.gptoss4j.tools.code.PythonTool;
import dev.gptoss4j.tools.sandbox.JavaScriptSandbox;
import dev.gptoss4j.tools.sandbox.PythonSandbox;
import dev.gptoss4j.agent.tool.Tool;
import dev.gptoss4j.agent.vision.Image;
import dev.gptoss4j.agent.vision.UserInput;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.tools.browser.Browser;
import dev.gptoss4j.tools.browser.SearchBackends;
import dev.gptoss4j.tools.files.FilesTools;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gptoss run}: runs the agent once on a task and prints the answer (or a JSON report). */
@Command(
        name = "run",
        description = "Run the agent once on a task.",
        mixinStandardHelpOptions = true)
public final class RunCommand implements Callable<Integer> {

    /** Tools {@code run} can offer, by the name given to {@code --tools}. */
    static final Map<String, Function<Duration, List<Tool>>> TOOLS = new LinkedHashMap<>();

    static {
        TOOLS.put("calculator", timeout -> MethodTools.from(new DemoTools.Calculator()));
        TOOLS.put("time", timeout -> MethodTools.from(new DemoTools.Clock()));
        // The sandbox stops runaway code itself at the tool timeout, so the model reads a clean "timed out".
        TOOLS.put("python", timeout -> List.of(PythonTool.of(PythonSandbox.builder().timeout(timeout).build())));
        TOOLS.put("javascript", timeout ->
                List.of(JavaScriptTool.of(JavaScriptSandbox.builder().timeout(timeout).build())));
    }

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "MODEL",
            description = "Model for the local engine, or with --base-url the name of the served model. "
                    + Models.MODEL_HELP)
    String model;

    @CommandLine.Mixin RemoteOptions remote = new RemoteOptions();

    @CommandLine.Mixin VisionOptions vision = new VisionOptions();

    @Option(names = "--backend", paramLabel = "KIND:ARG",
            description = "Where completions come from: replay:FILE replays recorded completions.")
    String backend;

    @Option(names = "--tools", split = ",", paramLabel = "NAME",
            description = "Tools to offer: calculator, time, python, javascript, browser, files, or none "
                    + "(default: calculator,time). "
                    + "browser searches through GPTOSS_SEARCH_URL/GPTOSS_SEARCH_KEY/GPTOSS_SEARCH_API; "
                    + "files needs --workspace.")
    List<String> tools = List.of("calculator", "time");

    @Option(names = "--workspace", paramLabel = "DIR",
            description = "The directory the files tool may read and change (nothing outside it).")
    Path workspace;

    @Option(names = "--effort", paramLabel = "LEVEL", description = "Reasoning effort: low, medium or high.")
    String effort = "medium";

    @Option(names = "--tool-timeout", paramLabel = "SECONDS", description = "Per tool call (default: 60).")
    double toolTimeout = 60;

    @Option(names = "--max-steps", paramLabel = "N", description = "Most model calls (default: 20).")
    int maxSteps = 20;

    @Option(names = "--instructions", paramLabel = "TEXT", description = "Developer instructions.")
    String instructions;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "Conversation date (default: today).")
    String date;

    @Option(names = "--resume", paramLabel = "FILE", description = "Go on with a conversation saved with --save.")
    Path resume;

    @Option(names = "--save", paramLabel = "FILE", description = "Save the conversation (harmony JSON) here.")
    Path save;

    @Option(names = "--show-reasoning", description = "Stream the model's reasoning to stderr.")
    boolean showReasoning;

    @Option(names = "--json", description = "Print a JSON report: final answer, messages, tool calls, usage.")
    boolean json;

    @Parameters(paramLabel = "TASK", description = "What to do.")
    String task;

    @Override
    public Integer call() throws Exception {
        if (task == null || task.isBlank()) throw new IllegalArgumentException("the task must not be blank");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Tool> offered = tools();
        try (Backend backend = backend()) {
            return run(backend, offered, out, err);
        } finally {
            for (Tool t : offered) {
                if (t instanceof AutoCloseable c) c.close();
            }
        }
    }

    private int run(Backend backend, List<Tool> offered, PrintWriter out, PrintWriter err) throws Exception {
        Agent.Builder builder = Agent.builder()
                .backend(backend)
                .tools(offered)
                .reasoningEffort(ReasoningEffort.parse(effort))
                .maxSteps(maxSteps)
                .toolTimeout(timeout())
                .instructions(instructions())
                .conversationStartDate(date);
        if (!json) builder.listener(printer(out, err));
        List<Image> images = vision.images();
        if (!images.isEmpty()) builder.vision(vision.model()).describeImages(vision.describe);
        Agent agent = builder.build();
        AgentResult result;
        UserInput input = UserInput.text(task).withImages(images);
        if (resume != null) {
            result = agent.run(ConversationJson.load(resume), input);
        } else {
            result = agent.run(input);
        }
        if (save != null) ConversationJson.save(result.conversation(), save);
        if (json) {
            out.println(report(result));
        } else {
            out.println();
            if (!result.completed()) err.println("gptoss run: stopped without an answer: " + result.stopReason());
        }
        out.flush();
        return result.completed() ? 0 : 2;
    }

    private Backend backend() {
        if (remote.remote()) {
            if (backend != null) throw new IllegalArgumentException("give --base-url or --backend, not both");
            return remote.backend(model);
        }
        if (model != null && backend != null) {
            throw new IllegalArgumentException("give --model or --backend, not both");
        }
        if (model != null) {
            // gpt-oss's recommended sampling: temperature 1, no truncation
            return LocalEngineBackend.load(Models.resolve(model, spec), SamplerConfig.builder().temperature(1f).build(),
                    SessionOptions.defaults());
        }
        if (backend == null) {
            throw new IllegalArgumentException("no model: give --model MODEL (a path, a Hugging Face repo id such as "
                    + "openai/gpt-oss-20b, fetched once with `gptoss download`, or gpt-oss:20b from Ollama), "
                    + "--base-url URL of a server, or --backend replay:FILE");
        }
        if (backend.startsWith("replay:")) {
            Path file = Path.of(backend.substring("replay:".length()));
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("--backend: replay file " + file
                        + " not found");
            }
            return ReplayBackend.fromFile(file);
        }
        throw new IllegalArgumentException("--backend: unknown backend '" + backend + "' (expected replay:FILE)");
    }

    private boolean offers(String tool) {
        return tools.stream().anyMatch(t -> t.strip().equals(tool));
    }

    /** With the files tool on, the model is told the patch format, as gpt-oss's reference chat does. */
    private String instructions() {
        if (!offers("files")) return instructions;
        return instructions == null ? FilesTools.INSTRUCTIONS : instructions + "\n\n" + FilesTools.INSTRUCTIONS;
    }

    private List<Tool> tools() {
        List<Tool> out = new ArrayList<>();
        for (String name : tools) {
            String n = name.strip();
            if (n.isEmpty() || n.equals("none")) continue;
            if (n.equals("browser")) {
                out.addAll(browser().tools());
                continue;
            }
            if (n.equals("files")) {
                if (workspace == null) throw new IllegalArgumentException("--tools files needs --workspace DIR");
                if (!Files.isDirectory(workspace)) {
                    throw new IllegalArgumentException("--workspace: " + workspace + " is not a directory");
                }
                out.addAll(FilesTools.rootedAt(workspace));
                continue;
            }
            Function<Duration, List<Tool>> t = TOOLS.get(n);
            if (t == null) {
                throw new IllegalArgumentException("--tools: unknown tool '" + n + "'; available: "
                        + String.join(", ", TOOLS.keySet()) + ", browser, files, none");
            }
            out.addAll(t.apply(timeout()));
        }
        return out;
    }

    /** The browser: search as the environment configures it; without that, it can still open URLs. */
    private Browser browser() {
        Map<String, String> env = System.getenv();
        Browser.Builder b = Browser.builder();
        if (env.containsKey(SearchBackends.URL) || env.containsKey(SearchBackends.KEY)
                || env.containsKey(SearchBackends.API)) {
            b.searchBackend(SearchBackends.fromEnvironment(env));
        } else {
            spec.commandLine().getErr().println("gptoss run: no search API configured (" + SearchBackends.URL + ", "
                    + SearchBackends.KEY + "); browser.search will be unavailable, browser.open still works");
        }
        return b.build();
    }

    private Duration timeout() {
        if (!(toolTimeout > 0)) {
            throw new IllegalArgumentException("--tool-timeout must be a positive number of seconds, got " + toolTimeout);
        }
        return Duration.ofMillis(Math.round(toolTimeout * 1000));
    }

    /** Human output: the answer streams to stdout, tool activity (and reasoning if asked) to stderr. */
    private AgentListener printer(PrintWriter out, PrintWriter err) {
        return event -> {
            switch (event) {
                case AgentEvent.FinalDelta d -> { out.print(d.text()); out.flush(); }
                case AgentEvent.ReasoningDelta d -> { if (showReasoning) { err.print(d.text()); err.flush(); } }
                case AgentEvent.ToolCallFinished f -> err.println("[" + f.call().recipient() + " "
                        + f.call().arguments() + " -> " + f.call().status() + "] " + oneLine(f.call().result()));
                case AgentEvent.Error e -> err.println("[retry " + e.attempt() + "] " + e.message());
                default -> { }
            }
        };
    }

    private static String oneLine(String s) {
        String t = s.replace('\n', ' ');
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }

    static String report(AgentResult r) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("final", r.finalText());
        root.put("stop_reason", r.stopReason().name().toLowerCase(java.util.Locale.ROOT));
        root.set("messages", ConversationJson.messages(r.conversation()));
        ArrayNode calls = root.putArray("tool_calls");
        for (ToolCall c : r.toolCalls()) {
            ObjectNode n = calls.addObject();
            n.put("recipient", c.recipient());
            n.put("arguments", c.arguments());
            n.put("result", c.result());
            n.put("status", c.status().name().toLowerCase(java.util.Locale.ROOT));
            n.put("duration_ms", c.duration().toMillis());
        }
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", r.usage().promptTokens());
        usage.put("completion_tokens", r.usage().completionTokens());
        usage.put("total_tokens", r.usage().totalTokens());
        usage.put("model_calls", r.usage().modelCalls());
        ObjectNode timings = root.putObject("timings_ms");
        timings.put("total", r.timings().total().toMillis());
        timings.put("model", r.timings().model().toMillis());
        timings.put("tools", r.timings().tools().toMillis());
        return mapper.writeValueAsString(root);
    }
}
