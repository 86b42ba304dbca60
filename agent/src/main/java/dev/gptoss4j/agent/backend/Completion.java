package dev.gptoss4j.agent.backend;

import dev.gptoss4j.engine.harmony.Message;
import java.util.List;

/**
 * The messages of one model call.
 *
 * @param messages         the complete messages, in order; a message cut off by the token limit or a cancellation
 *                         is left out, so the conversation stays well-formed
 * @param finish           how the call ended
 * @param promptTokens     tokens of the prompt read for this call
 * @param completionTokens tokens generated
 */
public record Completion(List<Message> messages, Finish finish, int promptTokens, int completionTokens) {

    public Completion {
        messages = List.copyOf(messages);
    }

    public enum Finish {
        /** {@code <|return|>}: the final answer is complete. */
        RETURN,
        /** {@code <|call|>}: the last message is a tool call waiting for its result. */
        CALL,
        /** The token limit was reached. */
        LENGTH,
        /** The request's cancellation flag turned true. */
        CANCELLED
    }
}
