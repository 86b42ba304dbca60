package dev.gptoss4j.agent;

import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.context.ContextPolicy;
import dev.gptoss4j.agent.context.PromptTokens;
import dev.gptoss4j.agent.exception.AgentException;
import dev.gptoss4j.agent.guardrail.Guardrail;
import dev.gptoss4j.agent.langchain4j.LangChain4jTools;
import dev.gptoss4j.agent.store.ConversationStore;
import dev.gptoss4j.agent.store.ToolStateReset;
import dev.gptoss4j.agent.tool.Approval;
import dev.gptoss4j.agent.tool.ApprovalPolicy;
import dev.gptoss4j.agent.tool.MethodTools;
import dev.gptoss4j.agent.tool.Tool;
import dev.gptoss4j.agent.tool.ToolDescriptions;
import dev.gptoss4j.agent.tool.ToolRunner;
import dev.gptoss4j.agent.tool.ToolScope;
import dev.gptoss4j.agent.tool.ToolSet;
import dev.gptoss4j.agent.vision.ImagePrompt;
import dev.gptoss4j.agent.vision.UserInput;
import dev.gptoss4j.agent.vision.VisionModel;
import dev.gptoss4j.engine.harmony.Content;
import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.DeveloperContent;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.engine.harmony.Role;
import dev.gptoss4j.engine.harmony.SystemContent;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.langchain4j.service.tool.ToolProvider;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A gpt-oss agent: it asks its {@link Backend} for completions, runs the tools the model calls, hands back their
 * results, and stops at the final answer. Immutable and reusable; each {@link #run} is independent.
 *
 * <pre>{@code
 * Agent agent = Agent.builder()
 *     .backend(backend)
 *     .instructions("Answer briefly.")
 *     .tools(new MyTools())              // @Tool methods, or Tool instances
 *     .reasoningEffort(ReasoningEffort.LOW)
 *     .build();
 * AgentResult result = agent.run("What time is it in Tokyo?");
 * }</pre>
 *
 * <p>Images: with a {@link Builder#vision vision model}, {@code agent.run(UserInput.text("...").withImage(image))}
 * shows gpt-oss a placeholder per image and offers it {@code functions.analyze_image} for the run (see
 * {@link ImagePrompt}).
 *
 * <p>Tool state (python variables and files, browser history) belongs to a {@link ToolScope}: each run gets a fresh
 * one, closed when it ends. A conversation that goes on over several runs keeps one scope:
 * <pre>{@code
 * try (ToolScope scope = ToolScope.create()) {
 *     AgentResult first = agent.run("Load the data into df", scope);
 *     agent.run(first.conversation().append(Message.user("Plot df")), scope);   // df is still there
 * }
 * }</pre>
 */
public final class Agent {

    final String name;
    final Backend backend;
    final String instructions;
    final ToolSet tools;
    final ReasoningEffort reasoningEffort;
    final String modelIdentity;
    final String conversationStartDate;
    final int maxSteps;
    final int maxTokens;
    final int maxTokensPerCall;
    final int maxRetries;
    final int maxToolFailures;
    final Duration toolTimeout;
    final int maxToolOutputChars;
    final ApprovalPolicy approvalPolicy;
    final List<AgentListener> listeners;
    final List<Guardrail> inputGuardrails;
    final List<Guardrail> outputGuardrails;
    final ConversationStore store;
    final VisionModel vision;
    final boolean describeImages;
    final ContextPolicy contextPolicy;
    final PromptTokens promptTokens = new PromptTokens();
    /** Runs the calls to this agent's own tools; shared by runs so each tool's schema validator is built once. */
    private final ToolRunner runner;

    private Agent(Builder b) {
        this.name = b.name;
        this.backend = Objects.requireNonNull(b.backend, "an agent needs a backend");
        this.instructions = b.instructions;
        this.tools = new ToolSet(b.tools);
        this.reasoningEffort = b.reasoningEffort;
        this.modelIdentity = b.modelIdentity;
        this.conversationStartDate = b.conversationStartDate != null
                ? b.conversationStartDate
                : LocalDate.now().toString();
        this.maxSteps = positive(b.maxSteps, "maxSteps");
        this.maxTokens = positive(b.maxTokens, "maxTokens");
        this.maxTokensPerCall = positive(b.maxTokensPerCall, "maxTokensPerCall");
        if (b.maxRetries < 0) throw new IllegalArgumentException("maxRetries must be >= 0, got " + b.maxRetries);
        this.maxRetries = b.maxRetries;
        if (b.maxToolFailures < 0) {
            throw new IllegalArgumentException("maxToolFailures must be >= 0, got " + b.maxToolFailures);
        }
        this.maxToolFailures = b.maxToolFailures;
        this.toolTimeout = b.toolTimeout;
        this.maxToolOutputChars = b.maxToolOutputChars;
        this.approvalPolicy = b.approvalPolicy;
        this.listeners = List.copyOf(b.listeners);
        this.inputGuardrails = List.copyOf(b.inputGuardrails);
        this.outputGuardrails = List.copyOf(b.outputGuardrails);
        this.store = b.store;
        this.vision = b.vision;
        this.describeImages = b.describeImages;
        this.contextPolicy = b.contextPolicy;
        // checks the tool timeout and output cap now, at build time, as the other limits are
        this.runner = runner(tools);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Runs a new conversation about {@code task} to its end. */
    public AgentResult run(String task) {
        return newRun(task).execute();
    }

    /**
     * Goes on with a conversation (a saved one, or an earlier result's with a new user message appended). A
     * conversation without a system message gets this agent's system and developer messages in front.
     */
    public AgentResult run(Conversation conversation) {
        return newRun(conversation).execute();
    }

    /** Runs {@code task} with its tool calls in {@code scope} (owned by the caller, left open). */
    public AgentResult run(String task, ToolScope scope) {
        return newRun(task).inScope(scope).execute();
    }

    /** Goes on with a conversation whose tool state is in {@code scope} (owned by the caller, left open). */
    public AgentResult run(Conversation conversation, ToolScope scope) {
        return newRun(conversation).inScope(scope).execute();
    }

    /** Runs {@code task} and returns the final answer as {@code type} (a record, usually). */
    public <T> T run(String task, Class<T> type) {
        AgentResult r = newRun(task, type).execute();
        if (!r.completed()) {
            throw new AgentException("no " + type.getSimpleName() + " answer: the run stopped with " + r.stopReason());
        }
        return r.value(type);
    }

    /** A run that can be cancelled from another thread (or from the listener) while it executes. */
    public AgentRun newRun(String task) {
        return newRun(task, null);
    }

    public AgentRun newRun(Conversation conversation) {
        return new AgentRun(this, prepare(conversation, null, tools), null, tools, runner);
    }

    /** Runs a new conversation about what the user says, images included. */
    public AgentResult run(UserInput input) {
        return newRun(null, input).execute();
    }

    /** Goes on with {@code history} (a saved conversation, an earlier result's) with the user's next turn. */
    public AgentResult run(Conversation history, UserInput input) {
        return newRun(history, input).execute();
    }

    /**
     * A run of the user's turn after {@code history} ({@code null} for a new conversation). Images get ids
     * and placeholders in the user's message, and the run offers {@code functions.analyze_image} on top of the
     * agent's tools; with {@link Builder#describeImages} the vision model describes them here, before the run.
     */
    public AgentRun newRun(Conversation history, UserInput input) {
        Objects.requireNonNull(input, "input");
        Conversation base = history == null ? Conversation.of() : history;
        ImagePrompt prompt = ImagePrompt.prepare(input, base, vision, describeImages);
        ToolSet runTools = tools;
        if (!prompt.tools().isEmpty()) {
            List<Tool> all = new ArrayList<>(tools.all());
            all.addAll(prompt.tools());
            runTools = new ToolSet(all);
        }
        Conversation c = prepare(base.append(Message.user(prompt.text())), null, runTools);
        return new AgentRun(this, c, null, runTools, runTools == tools ? runner : runner(runTools));
    }

    public AgentRun newRun(String task, Class<?> type) {
        if (task == null || task.isBlank()) throw new IllegalArgumentException("the task must not be blank");
        StructuredOutput<?> structured = type == null ? null : new StructuredOutput<>(type);
        Conversation c = prepare(Conversation.of(Message.user(task)), structured, tools);
        return new AgentRun(this, c, structured, tools, runner);
    }

    /**
     * Goes on with the stored conversation {@code sessionId} (a new one when none is stored) with the user's
     * {@code input}, and stores the result, whatever its stop. Needs a {@link Builder#store store}. Each run has
     * its own tool scope, so the tools' state from before (python variables, {@code /mnt/data}, browser pages) is
     * gone; when such tools answered earlier in the session, the model is told so.
     */
    public AgentResult run(String sessionId, String input) {
        return run(sessionId, UserInput.text(input));
    }

    public AgentResult run(String sessionId, UserInput input) {
        ConversationStore s = store(sessionId);
        Conversation history = s.load(sessionId).orElse(null);
        if (history != null && PendingCall.of(history).isPresent()) {
            throw new AgentException("session " + sessionId + " waits for a decision on its call to "
                    + PendingCall.of(history).get().recipient() + ": resume it with Agent.resume(sessionId, approval)");
        }
        AgentResult r = newRun(noteToolReset(history), input).execute();
        return stored(sessionId, r);
    }

    /**
     * Goes on with a run that stopped with {@link StopReason#SUSPENDED}: the waiting call runs
     * ({@link Approval#allow()}) or is refused ({@link Approval#deny}, the reason told to the model) without asking
     * the approval policy again, and the run continues from there.
     */
    public AgentResult resume(Conversation suspended, Approval decision) {
        Objects.requireNonNull(decision, "decision");
        if (PendingCall.of(suspended).isEmpty()) {
            throw new IllegalArgumentException("the conversation does not end on a call awaiting approval");
        }
        if (decision.suspended()) throw new IllegalArgumentException("a resume needs a decision, not another delay");
        return new AgentRun(this, prepare(suspended, null, tools), null, tools, runner, decision).execute();
    }

    /** {@link #resume(Conversation, Approval)} for a stored session; the result is stored. */
    public AgentResult resume(String sessionId, Approval decision) {
        ConversationStore s = store(sessionId);
        Conversation suspended = s.load(sessionId)
                .orElseThrow(() -> new IllegalArgumentException("no session " + sessionId + " is stored"));
        if (PendingCall.of(suspended).isEmpty()) {
            throw new IllegalArgumentException("session " + sessionId + " has no call awaiting approval");
        }
        return stored(sessionId, resume(noteToolReset(suspended), decision));
    }

    private ConversationStore store(String sessionId) {
        if (store == null) throw new IllegalStateException("this agent has no conversation store (Builder.store)");
        ConversationStore.checkId(sessionId);
        return store;
    }

    private AgentResult stored(String sessionId, AgentResult r) {
        store.save(sessionId, r.conversation());
        return r;
    }

    /**
     * A stored conversation goes on in a fresh {@link dev.gptoss4j.agent.tool.ToolScope} (each run gets its own):
     * when stateful tools (python, the browser) answered in it, a developer note tells the model their state is
     * gone, so it recreates variables and files instead of trusting them.
     */
    private static Conversation noteToolReset(Conversation history) {
        return history != null && ToolStateReset.needed(history) ? ToolStateReset.note(history) : history;
    }

    /**
     * Runs {@code tasks} concurrently, each as its own conversation, and returns the results in order. Model calls
     * of a backend that takes one call at a time ({@link Backend#concurrentCalls()} false) are made one after
     * another, while tools run side by side; a remote backend serves them in parallel.
     */
    public List<AgentResult> runAll(List<String> tasks) {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<AgentResult>> futures = new ArrayList<>();
            for (String task : tasks) futures.add(pool.submit(() -> run(task)));
            List<AgentResult> results = new ArrayList<>();
            for (Future<AgentResult> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) throw re;
                    throw new AgentException("a concurrent run failed: " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AgentException("interrupted while waiting for concurrent runs", e);
                }
            }
            return results;
        }
    }

    /** This agent as a tool of another ({@code functions.NAME}): its final answer is the tool's result. */
    public Tool asTool(String toolName, String description) {
        return AgentTool.of(this, toolName, description);
    }

    /** The agent's name, as handoffs and traces show it. */
    public String name() {
        return name;
    }

    ToolRunner runner() {
        return runner;
    }

    /** The system and developer messages this agent starts a conversation with. */
    public List<Message> preamble() {
        return preamble(null, tools);
    }

    /** The tools this agent offers. */
    public List<Tool> tools() {
        return tools.all();
    }

    private List<Message> preamble(StructuredOutput<?> structured, ToolSet tools) {
        SystemContent.Builder system =
                SystemContent.builder().reasoningEffort(reasoningEffort).conversationStartDate(conversationStartDate);
        if (modelIdentity != null) system.modelIdentity(modelIdentity);
        ToolDescriptions.builtIns(tools).forEach(system::tool);
        List<Message> out = new ArrayList<>();
        out.add(Message.system(system.build()));
        List<Tool> functions = tools.namespace(Tool.FUNCTIONS);
        if (instructions != null || !functions.isEmpty() || structured != null) {
            DeveloperContent.Builder dev = DeveloperContent.builder().instructions(instructions);
            if (!functions.isEmpty()) dev.functionTools(ToolDescriptions.of(functions));
            if (structured != null) dev.responseFormat(structured.responseFormat());
            out.add(Message.developer(dev.build()));
        }
        return out;
    }

    private Conversation prepare(Conversation conversation, StructuredOutput<?> structured, ToolSet runTools) {
        Objects.requireNonNull(conversation, "conversation");
        boolean hasSystem = conversation.messages().stream().anyMatch(m -> m.role() == Role.SYSTEM);
        if (!hasSystem) return Conversation.of(preamble(structured, runTools)).append(conversation.messages());
        if (runTools == tools) return conversation;
        return announce(conversation, runTools);
    }

    /**
     * A resumed conversation whose run offers tools beyond the agent's own (the image tool): its developer message
     * must announce them, or the model would not know they exist.
     */
    private Conversation announce(Conversation conversation, ToolSet runTools) {
        List<Message> messages = new ArrayList<>(conversation.messages());
        var functions = ToolDescriptions.of(runTools.namespace(Tool.FUNCTIONS));
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            if (m.role() != Role.DEVELOPER) continue;
            for (Content c : m.content()) {
                if (c instanceof DeveloperContent dc) {
                    messages.set(
                            i,
                            Message.developer(
                                    dc.toBuilder().functionTools(functions).build()));
                    return Conversation.of(messages);
                }
            }
        }
        int system = 0;
        while (messages.get(system).role() != Role.SYSTEM) system++;
        messages.add(
                system + 1,
                Message.developer(DeveloperContent.builder()
                        .instructions(instructions)
                        .functionTools(functions)
                        .build()));
        return Conversation.of(messages);
    }

    private ToolRunner runner(ToolSet runTools) {
        return new ToolRunner(runTools, approvalPolicy, toolTimeout, maxToolOutputChars);
    }

    private static int positive(int v, String what) {
        if (v <= 0) throw new IllegalArgumentException(what + " must be positive, got " + v);
        return v;
    }

    public static final class Builder {
        private String name = "agent";
        private final List<AgentListener> listeners = new ArrayList<>();
        private final List<Guardrail> inputGuardrails = new ArrayList<>();
        private final List<Guardrail> outputGuardrails = new ArrayList<>();
        private ConversationStore store;
        private Backend backend;
        private String instructions;
        private final List<Tool> tools = new ArrayList<>();
        private ReasoningEffort reasoningEffort = ReasoningEffort.MEDIUM;
        private String modelIdentity;
        private String conversationStartDate;
        private int maxSteps = 20;
        private int maxTokens = 32_768;
        private int maxTokensPerCall = 8_192;
        private int maxRetries = 3;
        private int maxToolFailures = 5;
        private Duration toolTimeout = Duration.ofSeconds(60);
        private int maxToolOutputChars = 20_000;
        private ApprovalPolicy approvalPolicy = ApprovalPolicy.allowAll();
        private VisionModel vision;
        private boolean describeImages;
        private ContextPolicy contextPolicy = ContextPolicy.trimming();

        private Builder() {}

        /**
         * How the prompt is kept inside the backend's context window ({@link Backend#contextWindow()}): by default
         * {@link ContextPolicy#trimming()}. Each call's prompt may take the window less the reply's room (the
         * smaller of {@link #maxTokensPerCall} and a quarter of the window), and the call's token limit is cut to
         * what is left, so the limits never contradict each other.
         */
        public Builder contextPolicy(ContextPolicy policy) {
            this.contextPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The model that looks at the user's images when gpt-oss asks (through {@code functions.analyze_image}). */
        public Builder vision(VisionModel vision) {
            this.vision = vision;
            return this;
        }

        /**
         * Whether the vision model describes each attached image once, before the run, with the description added
         * to the user's message (the tool stays for follow-up questions). Off by default: images are looked at
         * only when the model asks.
         */
        public Builder describeImages(boolean describe) {
            this.describeImages = describe;
            return this;
        }

        public Builder backend(Backend backend) {
            this.backend = backend;
            return this;
        }

        /** What the developer tells the model (the developer message's instructions). */
        public Builder instructions(String instructions) {
            this.instructions = instructions;
            return this;
        }

        /**
         * Adds tools: {@link Tool} instances, objects whose {@code @Tool} methods become tools, LangChain4j
         * {@link ToolProvider}s (asked once, now: an MCP server's tools, say) and maps of LangChain4j
         * {@link ToolSpecification}s to their {@link ToolExecutor}s.
         */
        public Builder tools(Object... toolsOrObjects) {
            for (Object o : toolsOrObjects) {
                if (o instanceof Tool t) tools.add(t);
                else if (o instanceof Iterable<?> it) it.forEach(this::tools);
                else if (o instanceof ToolProvider p) tools.addAll(LangChain4jTools.from(p));
                else if (o instanceof Map<?, ?> m) m.forEach((k, v) -> tool(k, v));
                else tools.addAll(MethodTools.from(o));
            }
            return this;
        }

        /** Adds a LangChain4j tool: its specification and the executor that runs it. */
        public Builder tool(ToolSpecification specification, ToolExecutor executor) {
            tools.add(LangChain4jTools.of(specification, executor));
            return this;
        }

        private void tool(Object specification, Object executor) {
            if (!(specification instanceof ToolSpecification spec) || !(executor instanceof ToolExecutor ex)) {
                throw new IllegalArgumentException("a map of tools must map ToolSpecification to ToolExecutor, got "
                        + type(specification) + " to " + type(executor));
            }
            tool(spec, ex);
        }

        private static String type(Object o) {
            return o == null ? "null" : o.getClass().getName();
        }

        public Builder reasoningEffort(ReasoningEffort effort) {
            this.reasoningEffort = Objects.requireNonNull(effort, "effort");
            return this;
        }

        /** Overrides the model identity line of the system message. */
        public Builder modelIdentity(String identity) {
            this.modelIdentity = identity;
            return this;
        }

        /** The date the conversation takes place ({@code 2025-08-05}); today by default. */
        public Builder conversationStartDate(String date) {
            this.conversationStartDate = date;
            return this;
        }

        /** Most model calls per run. */
        public Builder maxSteps(int maxSteps) {
            this.maxSteps = maxSteps;
            return this;
        }

        /** Most tokens generated per run, over all model calls. */
        public Builder maxTokens(int maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        /** Most tokens generated by one model call. */
        public Builder maxTokensPerCall(int max) {
            this.maxTokensPerCall = max;
            return this;
        }

        /**
         * Unusable model outputs in a row tolerated (malformed completions, calls to unknown tools or with invalid
         * arguments, typed answers that do not parse); one more stops the run with
         * {@link StopReason#TOO_MANY_ERRORS}. A tool that reports an error (a traceback, a refused operation) is
         * not one: the model reads the error and goes on, bounded only by {@link #maxSteps} and the token limits.
         */
        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        /**
         * Tool calls in a row that fail to do their work at all (time out, crash the sandbox) tolerated; one more
         * stops the run with {@link StopReason#TOOL_FAILURES}. Default 5: a model debugging slow code may well
         * time out a few times and recover.
         */
        public Builder maxToolFailures(int max) {
            this.maxToolFailures = max;
            return this;
        }

        public Builder toolTimeout(Duration timeout) {
            this.toolTimeout = timeout;
            return this;
        }

        /** Longer tool results are cut to this many characters, with a note saying so. */
        public Builder maxToolOutputChars(int max) {
            this.maxToolOutputChars = max;
            return this;
        }

        public Builder approvalPolicy(ApprovalPolicy policy) {
            this.approvalPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Adds a listener: each gets every event of every run, in the order added ({@code null} is ignored). */
        public Builder listener(AgentListener listener) {
            if (listener != null) listeners.add(listener);
            return this;
        }

        /** The agent's name ({@code agent} by default): handoffs offer {@code functions.transfer_to_NAME}. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Checks on the user's message before the model sees it; a block stops the run ({@code BLOCKED}). */
        public Builder inputGuardrails(Guardrail... guardrails) {
            inputGuardrails.addAll(List.of(guardrails));
            return this;
        }

        /** Checks on the final answer before the caller gets it; a block stops the run ({@code BLOCKED}). */
        public Builder outputGuardrails(Guardrail... guardrails) {
            outputGuardrails.addAll(List.of(guardrails));
            return this;
        }

        /** Agents this one may hand the conversation to, each offered as {@code functions.transfer_to_NAME}. */
        public Builder handoffs(Handoff... handoffs) {
            tools.addAll(List.of(handoffs));
            return this;
        }

        /** Where {@link Agent#run(String, String)} keeps conversations between runs and processes. */
        public Builder store(ConversationStore store) {
            this.store = store;
            return this;
        }

        public Agent build() {
            return new Agent(this);
        }
    }
}
