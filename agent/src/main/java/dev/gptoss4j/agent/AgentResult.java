package dev.gptoss4j.agent;

import dev.gptoss4j.agent.exception.AgentException;
import dev.gptoss4j.engine.harmony.Conversation;
import java.util.List;
import java.util.Optional;

/**
 * What a run produced.
 *
 * @param finalText    the final answer, or {@code null} when the run stopped without one
 * @param conversation every message of the run, system prompt and earlier analysis included; append a user message
 *                     and run it again to go on
 * @param toolCalls    the tool calls in order, with arguments and results
 * @param usage        tokens spent
 * @param timings      where the time went
 * @param stopReason   why the run stopped
 * @param value        the parsed structured answer for a typed run, else {@code null}
 * @param stopDetail   the stop in words when there is more to say than the reason (a guardrail's reason, why a
 *                     call awaits approval), else {@code null}
 */
public record AgentResult(
        String finalText,
        Conversation conversation,
        List<ToolCall> toolCalls,
        Usage usage,
        Timings timings,
        StopReason stopReason,
        Object value,
        String stopDetail) {

    public AgentResult {
        toolCalls = List.copyOf(toolCalls);
    }

    public AgentResult(
            String finalText,
            Conversation conversation,
            List<ToolCall> toolCalls,
            Usage usage,
            Timings timings,
            StopReason stopReason,
            Object value) {
        this(finalText, conversation, toolCalls, usage, timings, stopReason, value, null);
    }

    /** Whether the model gave a final answer. */
    public boolean completed() {
        return stopReason == StopReason.COMPLETED;
    }

    /** The call awaiting approval, for a {@link StopReason#SUSPENDED} run. */
    public Optional<PendingCall> pendingCall() {
        return stopReason == StopReason.SUSPENDED ? PendingCall.of(conversation) : Optional.empty();
    }

    /** The structured answer of a typed run, as {@code type}. */
    public <T> T value(Class<T> type) {
        if (value == null) {
            throw new AgentException("the run has no structured answer (stopped: " + stopReason + ")");
        }
        return type.cast(value);
    }
}
