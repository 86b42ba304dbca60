package dev.gptoss4j.agent;

import dev.gptoss4j.agent.exception.AgentException;
import dev.gptoss4j.engine.harmony.Conversation;
import java.util.List;

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
 */
public record AgentResult(String finalText, Conversation conversation, List<ToolCall> toolCalls, Usage usage,
                          Timings timings, StopReason stopReason, Object value) {

    public AgentResult {
        toolCalls = List.copyOf(toolCalls);
    }

    /** Whether the model gave a final answer. */
    public boolean completed() {
        return stopReason == StopReason.COMPLETED;
    }

    /** The structured answer of a typed run, as {@code type}. */
    public <T> T value(Class<T> type) {
        if (value == null) {
            throw new AgentException("the run has no structured answer (stopped: " + stopReason + ")");
        }
        return type.cast(value);
    }
}
