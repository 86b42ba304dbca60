package dev.gptoss4j.agent;

import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.backend.Completion;
import dev.gptoss4j.agent.backend.CompletionListener;
import dev.gptoss4j.agent.backend.CompletionRequest;
import dev.gptoss4j.agent.backend.ContextOverflowException;
import dev.gptoss4j.agent.backend.MalformedCompletionException;
import dev.gptoss4j.agent.context.ContextPolicy;
import dev.gptoss4j.agent.exception.AgentException;
import dev.gptoss4j.agent.guardrail.Guardrail;
import dev.gptoss4j.agent.tool.Approval;
import dev.gptoss4j.agent.tool.Tool;
import dev.gptoss4j.agent.tool.ToolOutcome;
import dev.gptoss4j.agent.tool.ToolRunner;
import dev.gptoss4j.agent.tool.ToolScope;
import dev.gptoss4j.agent.tool.ToolSet;
import dev.gptoss4j.engine.harmony.Author;
import dev.gptoss4j.engine.harmony.Channel;
import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.MessageHeader;
import dev.gptoss4j.engine.harmony.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One execution of an {@link Agent}: the loop of model calls and tool calls. {@link #execute()} runs it on the
 * calling thread; {@link #cancel()} may be called from any thread (or from the listener) and stops it at the next
 * token or tool poll, leaving only complete messages in the conversation.
 *
 * <p>The run's limits (steps, tokens, retries, tool failures) are those of the agent it started with; after a
 * handoff the receiving agent's instructions, tools, backend, context policy and output guardrails apply, while
 * events still go to the starting agent's listeners.
 *
 * <p>Tool state (python variables, files, browser history) lives in a {@link ToolScope}: a fresh one per run, closed
 * when the run ends, unless {@link #inScope} gives the run a conversation's scope to go on in.
 */
public final class AgentRun {

    private final Agent agent;
    private final StructuredOutput<?> structured;
    private final Approval decision;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile Conversation conversation;
    private volatile ToolScope scope;

    // the agent in charge: the starting one, or the one the conversation was handed to
    private Agent current;
    private ToolSet tools;
    private ToolRunner runner;

    // the run's accounts
    private Usage usage = Usage.ZERO;
    private final List<ToolCall> calls = new ArrayList<>();
    private long modelNanos;
    private long toolNanos;
    private int errorsInARow;
    private int toolFailuresInARow;
    private String stopDetail;
    private Object parsed;

    AgentRun(Agent agent, Conversation conversation, StructuredOutput<?> structured, ToolSet tools, ToolRunner runner) {
        this(agent, conversation, structured, tools, runner, null);
    }

    /** @param decision the decision on the call the conversation ends with (a resumed, suspended run), or null */
    AgentRun(
            Agent agent,
            Conversation conversation,
            StructuredOutput<?> structured,
            ToolSet tools,
            ToolRunner runner,
            Approval decision) {
        this.agent = agent;
        this.current = agent;
        this.conversation = conversation;
        this.structured = structured;
        this.tools = tools;
        this.runner = runner;
        this.decision = decision;
    }

    /** Asks the run to stop; it returns a result with {@link StopReason#CANCELLED}. */
    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /**
     * The conversation: before {@link #execute()}, the one the run starts from (system and developer messages
     * included); during and after, as far as it got. Only complete messages are ever in it, so when the backend
     * fails mid-run (a dropped connection) this is where to go on from.
     */
    public Conversation conversation() {
        return conversation;
    }

    /**
     * Runs the tool calls in {@code scope}, which the caller owns and closes: the state tools kept in earlier runs
     * of the conversation is there, and what this run leaves stays for the next. Call before {@link #execute()}.
     */
    public AgentRun inScope(ToolScope scope) {
        if (started.get()) throw new IllegalStateException("the run already started");
        this.scope = Objects.requireNonNull(scope, "scope");
        return this;
    }

    /**
     * Runs to a final answer or a limit.
     *
     * @throws AgentException when the backend cannot produce completions at all
     */
    public AgentResult execute() {
        if (!started.compareAndSet(false, true)) throw new IllegalStateException("an AgentRun executes only once");
        ToolScope given = scope;
        if (given == null) scope = ToolScope.create();
        try {
            return run();
        } finally {
            if (given == null) closeQuietly(scope);
        }
    }

    private static void closeQuietly(ToolScope scope) {
        try {
            scope.close();
        } catch (RuntimeException ignored) {
            // the answer is made; a sandbox that fails to close must not turn it into a failure
        }
    }

    private AgentResult run() {
        long start = System.nanoTime();
        emit(new AgentEvent.RunStarted(agent.name));
        StopReason stop;
        try {
            stop = loop();
        } catch (RuntimeException e) {
            emit(new AgentEvent.RunFailed(e));
            throw e;
        }
        String finalText = null;
        Object value = null;
        if (stop == StopReason.COMPLETED) {
            finalText = conversation.messages().getLast().text();
            value = parsed;
        }
        Timings timings = new Timings(
                Duration.ofNanos(System.nanoTime() - start), Duration.ofNanos(modelNanos), Duration.ofNanos(toolNanos));
        AgentResult result = new AgentResult(finalText, conversation, calls, usage, timings, stop, value, stopDetail);
        emit(new AgentEvent.RunFinished(result));
        return result;
    }

    private StopReason loop() {
        StopReason blocked = checkInput();
        if (blocked != null) return blocked;
        PendingCall pending = PendingCall.of(conversation).orElse(null);
        if (pending != null) {
            // a suspended run resumed (with a decision), or a saved conversation that ended on a call
            Message call = conversation.messages().getLast();
            StopReason stop = runTool(call, decision);
            if (stop != null) return stop;
        }
        int steps = 0;
        while (true) {
            if (cancelled.get()) return StopReason.CANCELLED;
            if (steps >= agent.maxSteps) return StopReason.MAX_STEPS;
            long budget = agent.maxTokens - usage.completionTokens();
            if (budget <= 0) return StopReason.MAX_TOKENS;
            Backend backend = current.backend;
            Conversation shown = AnalysisPruning.forSampling(conversation);
            int maxTokens = (int) Math.min(budget, agent.maxTokensPerCall);
            int window = backend.contextWindow().orElse(0);
            if (window > 0) {
                ContextPolicy.Fitted fitted =
                        current.contextPolicy.fit(shown, window - replyRoom(window), current.promptTokens);
                if (fitted == null) return StopReason.CONTEXT_FULL;
                if (fitted.wasTrimmed()) emit(new AgentEvent.ContextTrimmed(fitted.trimmed(), window));
                shown = fitted.conversation();
                maxTokens = Math.min(maxTokens, window - fitted.promptTokens());
            }
            steps++;
            CompletionRequest request = new CompletionRequest(shown, maxTokens, cancelled::get);
            Completion completion;
            long t0 = System.nanoTime();
            try {
                completion = complete(backend, request);
            } catch (ContextOverflowException e) {
                // the backend knows better than our count (a server's own template, an unknown window)
                modelCall(steps, 0, 0, t0, "context_full");
                stopDetail = e.getMessage();
                return StopReason.CONTEXT_FULL;
            } catch (MalformedCompletionException e) {
                modelCall(steps, 0, 0, t0, "malformed");
                usage = usage.plus(0, 0);
                errorsInARow++;
                emit(new AgentEvent.Error("malformed completion: " + e.getMessage(), errorsInARow));
                if (errorsInARow > agent.maxRetries) return StopReason.TOO_MANY_ERRORS;
                conversation = conversation.append(
                        correction(
                                "Your previous reply could not be read: "
                                        + e.getMessage()
                                        + ". Reply again in the harmony format: analysis on the analysis channel, "
                                        + "tool calls on the commentary channel with to=functions.NAME, the answer on the final channel."));
                continue;
            }
            modelCall(
                    steps,
                    completion.promptTokens(),
                    completion.completionTokens(),
                    t0,
                    completion.finish().name().toLowerCase(Locale.ROOT));
            usage = usage.plus(completion.promptTokens(), completion.completionTokens());
            emit(new AgentEvent.UsageUpdate(usage));
            conversation = conversation.append(completion.messages());
            if (completion.finish() == Completion.Finish.CANCELLED || cancelled.get()) return StopReason.CANCELLED;
            if (completion.finish() == Completion.Finish.LENGTH) {
                if (usage.completionTokens() >= agent.maxTokens) return StopReason.MAX_TOKENS;
                // one call hit its own limit: the model rambled; tell it and let it try once more
                errorsInARow++;
                emit(new AgentEvent.Error(
                        "the completion reached " + request.maxTokens() + " tokens without " + "an answer",
                        errorsInARow));
                if (errorsInARow > agent.maxRetries) return StopReason.TOO_MANY_ERRORS;
                conversation = conversation.append(correction("Your previous reply was cut off at "
                        + request.maxTokens() + " tokens. Think less and answer."));
                continue;
            }
            Message last = completion.messages().isEmpty()
                    ? null
                    : completion.messages().getLast();
            if (last != null && last.recipient() != null && completion.finish() == Completion.Finish.CALL) {
                StopReason stop = runTool(last, null);
                if (stop != null) return stop;
                continue;
            }
            if (last != null && Channel.FINAL.equals(last.channel()) && last.recipient() == null) {
                if (structured != null) {
                    try {
                        parsed = structured.parse(last.text());
                    } catch (StructuredOutput.Invalid e) {
                        errorsInARow++;
                        emit(new AgentEvent.Error(e.getMessage(), errorsInARow));
                        if (errorsInARow > agent.maxRetries) return StopReason.TOO_MANY_ERRORS;
                        conversation = conversation.append(correction("That answer cannot be used: "
                                + e.getMessage() + ". Give the final answer again as one JSON object matching "
                                + "this JSON Schema, and nothing else: " + structured.schemaText()));
                        continue;
                    }
                }
                if (blockedBy(current.outputGuardrails, "output", last.text())) {
                    // the blocked answer never reaches the caller, nor a conversation saved and shown later
                    List<Message> kept = new ArrayList<>(conversation.messages());
                    kept.removeLast();
                    conversation = Conversation.of(kept);
                    parsed = null;
                    return StopReason.BLOCKED;
                }
                return StopReason.COMPLETED;
            }
            // well-formed, but neither an answer nor a call: the model stopped on the wrong channel
            errorsInARow++;
            String problem = last == null
                    ? "the reply had no message"
                    : "the reply ended on the " + last.channel() + " channel without a final answer or a tool call";
            emit(new AgentEvent.Error(problem, errorsInARow));
            if (errorsInARow > agent.maxRetries) return StopReason.TOO_MANY_ERRORS;
            conversation = conversation.append(correction("Your previous reply could not be used: " + problem
                    + ". Continue: call a tool, or give the answer on the final channel."));
        }
    }

    /** The user's newest message against the input guardrails; a block stops the run before any model call. */
    private StopReason checkInput() {
        if (agent.inputGuardrails.isEmpty()) return null;
        List<Message> messages = conversation.messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == Role.USER) {
                return blockedBy(agent.inputGuardrails, "input", messages.get(i).text()) ? StopReason.BLOCKED : null;
            }
        }
        return null;
    }

    private boolean blockedBy(List<Guardrail> guardrails, String stage, String text) {
        for (Guardrail g : guardrails) {
            Guardrail.Verdict v;
            try {
                v = g.check(text);
            } catch (RuntimeException e) {
                // a guardrail that cannot decide must not wave the text through
                v = Guardrail.Verdict.block("the guardrail failed: " + e.getMessage());
            }
            if (v.blocked()) {
                stopDetail = g.name() + " blocked the " + stage + ": " + v.reason();
                emit(new AgentEvent.GuardrailBlocked(g.name(), stage, v.reason()));
                return true;
            }
        }
        return false;
    }

    /**
     * Runs the call {@code call} and hands its result to the model; a handoff switches the agent in charge.
     *
     * @param decided a decision already taken on it (a resumed run), or null to ask the approval policy
     * @return a stop reason, or null to go on
     */
    private StopReason runTool(Message call, Approval decided) {
        String recipient = call.recipient();
        ToolOutcome outcome = runner.run(recipient, call.text(), scope, cancelled::get, decided);
        if (outcome.status() == ToolOutcome.Status.AWAITING_APPROVAL) {
            // nothing is appended: the call stays the conversation's last message until a decision comes
            stopDetail = outcome.text();
            emit(new AgentEvent.Suspended(new PendingCall(recipient, call.text())));
            return StopReason.SUSPENDED;
        }
        toolNanos += outcome.duration().toNanos();
        ToolCall record = new ToolCall(recipient, call.text(), outcome.text(), outcome.status(), outcome.duration());
        calls.add(record);
        Tool tool = tools.find(recipient);
        String author = tool != null ? tool.recipient() : recipient;
        conversation = conversation.append(Message.builder(Author.tool(author))
                .recipient("assistant")
                .channel(call.channel() != null ? call.channel() : Channel.COMMENTARY)
                .text(outcome.text())
                .build());
        emit(new AgentEvent.ToolCallFinished(record));
        if (outcome.status() == ToolOutcome.Status.CANCELLED) return StopReason.CANCELLED;
        // a traceback or a refused operation is an ordinary result; only calls the model got wrong count as
        // unusable output, and only failures of the tool itself (timeouts, crashes) as tool failures
        errorsInARow = outcome.status().modelMistake() ? errorsInARow + 1 : 0;
        if (errorsInARow > agent.maxRetries) return StopReason.TOO_MANY_ERRORS;
        toolFailuresInARow = outcome.status().infrastructureFailure() ? toolFailuresInARow + 1 : 0;
        if (toolFailuresInARow > agent.maxToolFailures) return StopReason.TOOL_FAILURES;
        if (outcome.ok() && tool instanceof Handoff handoff) handOff(handoff.target());
        return null;
    }

    /** The receiving agent takes over: its system and developer messages replace the sender's at the front. */
    private void handOff(Agent to) {
        Agent from = current;
        current = to;
        tools = to.tools;
        runner = to.runner();
        List<Message> messages = conversation.messages();
        int head = 0;
        while (head < messages.size()
                && (messages.get(head).role() == Role.SYSTEM
                        || messages.get(head).role() == Role.DEVELOPER)) {
            head++;
        }
        List<Message> next = new ArrayList<>(to.preamble());
        next.addAll(messages.subList(head, messages.size()));
        conversation = Conversation.of(next);
        emit(new AgentEvent.Handoff(from.name, to.name));
    }

    /** Backends that take one call at a time are shared between concurrent runs one call after another. */
    private Completion complete(Backend backend, CompletionRequest request) {
        if (backend.concurrentCalls()) return backend.complete(request, new Streamer());
        synchronized (backend) {
            return backend.complete(request, new Streamer());
        }
    }

    private void modelCall(int step, int prompt, int completion, long t0, String finish) {
        long nanos = System.nanoTime() - t0;
        modelNanos += nanos;
        emit(new AgentEvent.ModelCallFinished(current.name, step, prompt, completion, Duration.ofNanos(nanos), finish));
    }

    /** Room kept for the reply: a call's own limit, but never more than a quarter of a small window. */
    private int replyRoom(int window) {
        return Math.min(agent.maxTokensPerCall, window / 4);
    }

    /**
     * Feedback about unusable output comes from the developer (the application), not the user: the model should
     * fix its output, not think the user changed the request.
     */
    private static Message correction(String text) {
        return Message.of(Role.DEVELOPER, text);
    }

    private void emit(AgentEvent event) {
        for (AgentListener l : agent.listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException ignored) {
                // an observer must not be able to break the run
            }
        }
    }

    /** Turns the backend's per-message stream into channel-level agent events. */
    private final class Streamer implements CompletionListener {
        @Override
        public void onMessageStart(MessageHeader header) {
            if (header.recipient() != null && header.role() == Role.ASSISTANT) {
                emit(new AgentEvent.ToolCallStarted(header.recipient(), header.channel()));
            }
        }

        @Override
        public void onContentDelta(MessageHeader header, String delta) {
            if (delta.isEmpty() || header.role() != Role.ASSISTANT) return;
            if (header.recipient() != null) {
                emit(new AgentEvent.ToolArgumentsDelta(header.recipient(), delta));
            } else if (Channel.FINAL.equals(header.channel())) {
                emit(new AgentEvent.FinalDelta(delta));
            } else if (Channel.COMMENTARY.equals(header.channel())) {
                emit(new AgentEvent.CommentaryDelta(delta));
            } else {
                emit(new AgentEvent.ReasoningDelta(delta));
            }
        }
    }
}
