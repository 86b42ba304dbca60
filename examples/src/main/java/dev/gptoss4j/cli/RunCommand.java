package dev.gptoss4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.ConversationJson;
import dev.gptoss4j.agent.PendingCall;
import dev.gptoss4j.agent.StopReason;
import dev.gptoss4j.agent.ToolCall;
import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.tool.Approval;
import dev.gptoss4j.agent.tool.ApprovalPolicy;
import dev.gptoss4j.agent.tool.Tool;
import dev.gptoss4j.agent.vision.Image;
import dev.gptoss4j.agent.vision.UserInput;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gptoss run}: runs the agent once on a task and prints the answer (or a JSON report). */
@Command(name = "run", description = "Run the agent once on a task.", mixinStandardHelpOptions = true)
public final class RunCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    BackendOptions backendOptions = new BackendOptions();

    @CommandLine.Mixin
    RemoteOptions remote = new RemoteOptions();

    @CommandLine.Mixin
    VisionOptions vision = new VisionOptions();

    @CommandLine.Mixin
    ToolOptions toolOptions = new ToolOptions();

    @CommandLine.Mixin
    SessionFlags sessionFlags = new SessionFlags();

    @Option(
            names = "--approval-required",
            split = ",",
            paramLabel = "TOOL",
            description = "Calls to these tools (functions.NAME, python, ...) wait for a person: the run stops "
                    + "(exit 7) with the call stored in --session, and --approve or --deny decides later.")
    List<String> approvalRequired = List.of();

    @Option(names = "--approve", description = "Run the call the --session waits on, and go on.")
    boolean approve;

    @Option(
            names = "--deny",
            paramLabel = "REASON",
            description = "Refuse the call the --session waits on (the " + "model is told REASON), and go on.")
    String deny;

    @Option(names = "--effort", paramLabel = "LEVEL", description = "Reasoning effort: low, medium or high.")
    String effort = "medium";

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

    @Parameters(paramLabel = "TASK", arity = "0..1", description = "What to do (not with --approve/--deny).")
    String task;

    @Override
    public Integer call() throws Exception {
        Approval decision = decision();
        if (decision == null && (task == null || task.isBlank())) {
            throw new IllegalArgumentException("the task must not be blank");
        }
        if (sessionFlags.session() != null && (resume != null || save != null)) {
            throw new IllegalArgumentException("--session stores the conversation itself: leave out --resume/--save");
        }
        if (!approvalRequired.isEmpty() && sessionFlags.session() == null) {
            throw new IllegalArgumentException("--approval-required needs --session NAME, where the waiting call is "
                    + "stored until --approve or --deny");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> toolNames = toolOptions.names();
        try (Toolbox toolbox = toolOptions.toolbox(err, "run");
                Backend backend = backendOptions.open(spec, remote);
                SessionFlags flags = sessionFlags) {
            return run(
                    backend,
                    toolbox.tools(toolNames),
                    ToolOptions.instructions(instructions, toolNames),
                    decision,
                    out,
                    err);
        }
    }

    /** The decision {@code --approve} or {@code --deny} brings, or null; checked against the other options. */
    private Approval decision() {
        if (approve && deny != null) throw new IllegalArgumentException("--approve and --deny: give one");
        if (!approve && deny == null) return null;
        if (sessionFlags.session() == null) {
            throw new IllegalArgumentException("--approve and --deny decide on the call a --session NAME waits on");
        }
        if (task != null) throw new IllegalArgumentException("--approve/--deny go on with the stored run: no TASK");
        return approve ? Approval.allow() : Approval.deny(deny);
    }

    private int run(
            Backend backend,
            List<Tool> offered,
            String instructions,
            Approval decision,
            PrintWriter out,
            PrintWriter err)
            throws Exception {
        Agent.Builder builder = Agent.builder()
                .backend(backend)
                .tools(offered)
                .reasoningEffort(ReasoningEffort.parse(effort))
                .maxSteps(maxSteps)
                .toolTimeout(toolOptions.timeout())
                .instructions(instructions)
                .conversationStartDate(date)
                .listener(sessionFlags.tracing());
        if (!approvalRequired.isEmpty()) {
            ApprovalPolicy.PerTool policy = ApprovalPolicy.perTool();
            approvalRequired.forEach(policy::suspend);
            builder.approvalPolicy(policy);
        }
        String session = sessionFlags.session();
        if (session != null) builder.store(sessionFlags.store());
        TurnPrinter printer = new TurnPrinter(out, err, false, showReasoning, false, 200);
        if (!json) builder.listener(printer);
        List<Image> images = vision.images();
        if (!images.isEmpty()) builder.vision(vision.model()).describeImages(vision.describe);
        Agent agent = builder.build();
        AgentResult result;
        UserInput input = decision != null ? null : UserInput.text(task).withImages(images);
        if (decision != null) {
            result = agent.resume(session, decision);
        } else if (session != null) {
            result = agent.run(session, input);
        } else if (resume != null) {
            result = agent.run(ConversationJson.load(resume), input);
        } else {
            result = agent.run(input);
        }
        if (save != null) ConversationJson.save(result.conversation(), save);
        if (json) {
            out.println(report(result));
        } else {
            printer.finish();
            if (result.stopReason() == StopReason.SUSPENDED) {
                PendingCall p = result.pendingCall().orElseThrow();
                err.println("gptoss run: " + p.recipient() + " " + p.arguments() + " awaits approval: "
                        + "gptoss run --session " + session + " --approve (or --deny REASON)");
            } else if (!result.completed()) {
                err.println("gptoss run: stopped without an answer: " + result.stopReason()
                        + (result.stopDetail() == null ? "" : " (" + result.stopDetail() + ")"));
            }
        }
        out.flush();
        return ExitCodes.of(result.stopReason());
    }

    static String report(AgentResult r) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("final", r.finalText());
        root.put("stop_reason", r.stopReason().name().toLowerCase(java.util.Locale.ROOT));
        if (r.stopDetail() != null) root.put("stop_detail", r.stopDetail());
        r.pendingCall()
                .ifPresent(p -> root.putObject("pending_call")
                        .put("recipient", p.recipient())
                        .put("arguments", p.arguments()));
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
