package dev.gptoss4j.agent;

import dev.gptoss4j.agent.backend.Completion;
import dev.gptoss4j.agent.backend.CompletionListener;
import dev.gptoss4j.agent.backend.CompletionRequest;
import dev.gptoss4j.agent.backend.MalformedCompletionException;
import dev.gptoss4j.agent.exception.AgentException;
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
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One execution of an {@link Agent}: the loop of model calls and tool calls. {@link #execute()} runs it on the
 * calling thread; {@link #cancel()} may be called from any thread (or from the listener) and stops it at the next
 * token or tool poll, leaving only complete messages in the conversation.
 *
 * <p>Tool state (python variables, files, browser history) lives in a {@link ToolScope}: a fresh one per run, closed
 * when the run ends, unless {@link #inScope} gives the run a conversation's scope to go on in.
 */
public final class AgentRun {

    private final Agent agent;
    private final StructuredOutput<?> structured;
    private final ToolSet tools;
    private final ToolRunner runner;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile Conversation conversation;
    private volatile ToolScope scope;

    AgentRun(Agent agent, Conversation conversation, StructuredOutput<?> structured, ToolSet tools,
             ToolRunner runner) {
        this.agent = agent;
        this.conversation = conversation;
        this.structured = structured;
        this.tools = tools;
        this.runner = runner;
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
        ToolScope runScope = given != null ? given : ToolScope.create();
        try {
            return loop(runScope);
        } finally {
            if (given == null) closeQuietly(runScope);
        }
    }

    private static void closeQuietly(ToolScope scope) {
        try {
            scope.close();
        } catch (RuntimeException ignored) {
            // the answer is made; a sandbox that fails to close must not turn it into a failure
        }
    }

    private AgentResult loop(ToolScope scope) {
        long start = System.nanoTime();
        long modelNanos = 0;
        long toolNanos = 0;
        Usage usage = Usage.ZERO;
        List<ToolCall> calls = new ArrayList<>();
        int errorsInARow = 0;
        int toolFailuresInARow = 0;
        int steps = 0;
        StopReason stop;
        String finalText = null;
        Object value = null;
        while (true) {
            if (cancelled.get()) { stop = StopReason.CANCELLED; break; }
            if (steps >= agent.maxSteps) { stop = StopReason.MAX_STEPS; break; }
            long budget = agent.maxTokens - usage.completionTokens();
            if (budget <= 0) { stop = StopReason.MAX_TOKENS; break; }
            steps++;
            CompletionRequest request = new CompletionRequest(AnalysisPruning.forSampling(conversation),
                    (int) Math.min(budget, agent.maxTokensPerCall), cancelled::get);
            Completion completion;
            long t0 = System.nanoTime();
            try {
                completion = agent.backend.complete(request, new Streamer());
            } catch (MalformedCompletionException e) {
                modelNanos += System.nanoTime() - t0;
                usage = usage.plus(0, 0);
                errorsInARow++;
                emit(new AgentEvent.Error("malformed completion: " + e.getMessage(), errorsInARow));
                if (errorsInARow > agent.maxRetries) { stop = StopReason.TOO_MANY_ERRORS; break; }
                conversation = conversation.append(correction("Your previous reply could not be read: "
                        + e.getMessage() + ". Reply again in the harmony format: analysis on the analysis channel, "
                        + "tool calls on the commentary channel with to=functions.NAME, the answer on the final channel."));
                continue;
            }
            modelNanos += System.nanoTime() - t0;
            usage = usage.plus(completion.promptTokens(), completion.completionTokens());
            emit(new AgentEvent.UsageUpdate(usage));
            conversation = conversation.append(completion.messages());
            if (completion.finish() == Completion.Finish.CANCELLED || cancelled.get()) {
                stop = StopReason.CANCELLED;
                break;
            }
            if (completion.finish() == Completion.Finish.LENGTH) {
                stop = usage.completionTokens() >= agent.maxTokens ? StopReason.MAX_TOKENS : null;
                if (stop != null) break;
                // one call hit its own limit: the model rambled; tell it and let it try once more
                errorsInARow++;
                emit(new AgentEvent.Error("the completion reached " + request.maxTokens() + " tokens without "
                        + "an answer", errorsInARow));
                if (errorsInARow > agent.maxRetries) { stop = StopReason.TOO_MANY_ERRORS; break; }
                conversation = conversation.append(correction("Your previous reply was cut off at "
                        + request.maxTokens() + " tokens. Think less and answer."));
                continue;
            }
            Message last = completion.messages().isEmpty() ? null : completion.messages().getLast();
            if (last != null && last.recipient() != null && completion.finish() == Completion.Finish.CALL) {
                String recipient = last.recipient();
                ToolOutcome outcome = runner.run(recipient, last.text(), scope, cancelled::get);
                toolNanos += outcome.duration().toNanos();
                ToolCall call = new ToolCall(recipient, last.text(), outcome.text(), outcome.status(),
                        outcome.duration());
                calls.add(call);
                Tool tool = tools.find(recipient);
                String author = tool != null ? tool.recipient() : recipient;
                conversation = conversation.append(Message.builder(Author.tool(author))
                        .recipient("assistant")
                        .channel(last.channel() != null ? last.channel() : Channel.COMMENTARY)
                        .text(outcome.text())
                        .build());
                emit(new AgentEvent.ToolCallFinished(call));
                if (outcome.status() == ToolOutcome.Status.CANCELLED) { stop = StopReason.CANCELLED; break; }
                // a traceback or a refused operation is an ordinary result; only calls the model got wrong count
                // as unusable output, and only failures of the tool itself (timeouts, crashes) as tool failures
                errorsInARow = outcome.status().modelMistake() ? errorsInARow + 1 : 0;
                if (errorsInARow > agent.maxRetries) { stop = StopReason.TOO_MANY_ERRORS; break; }
                toolFailuresInARow = outcome.status().infrastructureFailure() ? toolFailuresInARow + 1 : 0;
                if (toolFailuresInARow > agent.maxToolFailures) { stop = StopReason.TOOL_FAILURES; break; }
                continue;
            }
            if (last != null && Channel.FINAL.equals(last.channel()) && last.recipient() == null) {
                if (structured != null) {
                    try {
                        value = structured.parse(last.text());
                    } catch (StructuredOutput.Invalid e) {
                        errorsInARow++;
                        emit(new AgentEvent.Error(e.getMessage(), errorsInARow));
                        if (errorsInARow > agent.maxRetries) { stop = StopReason.TOO_MANY_ERRORS; break; }
                        conversation = conversation.append(correction("That answer cannot be used: "
                                + e.getMessage() + ". Give the final answer again as one JSON object matching "
                                + "this JSON Schema, and nothing else: " + structured.schemaText()));
                        continue;
                    }
                }
                finalText = last.text();
                stop = StopReason.COMPLETED;
                break;
            }
            // well-formed, but neither an answer nor a call: the model stopped on the wrong channel
            errorsInARow++;
            String problem = last == null ? "the reply had no message"
                    : "the reply ended on the " + last.channel() + " channel without a final answer or a tool call";
            emit(new AgentEvent.Error(problem, errorsInARow));
            if (errorsInARow > agent.maxRetries) { stop = StopReason.TOO_MANY_ERRORS; break; }
            conversation = conversation.append(correction("Your previous reply could not be used: " + problem
                    + ". Continue: call a tool, or give the answer on the final channel."));
        }
        Timings timings = new Timings(Duration.ofNanos(System.nanoTime() - start), Duration.ofNanos(modelNanos),
                Duration.ofNanos(toolNanos));
        return new AgentResult(finalText, conversation, calls, usage, timings, stop, value);
    }

    /**
     * Feedback about unusable output comes from the developer (the application), not the user: the model should
     * fix its output, not think the user changed the request.
     */
    private static Message correction(String text) {
        return Message.of(Role.DEVELOPER, text);
    }

    private void emit(AgentEvent event) {
        try {
            agent.listener.onEvent(event);
        } catch (RuntimeException ignored) {
            // an observer must not be able to break the run
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
