package dev.gptoss4j.agent;

import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.Role;
import java.util.Optional;

/**
 * A tool call that waits for a decision: the last message of a suspended conversation is the assistant's call,
 * with no result after it. Nothing else needs storing: the conversation alone says what waits.
 *
 * @param recipient the tool addressed
 * @param arguments the arguments as the model wrote them
 */
public record PendingCall(String recipient, String arguments) {

    /** The call {@code conversation} ends on, if it ends on one. */
    public static Optional<PendingCall> of(Conversation conversation) {
        if (conversation.messages().isEmpty()) return Optional.empty();
        Message last = conversation.messages().getLast();
        if (last.role() != Role.ASSISTANT || last.recipient() == null) return Optional.empty();
        return Optional.of(new PendingCall(last.recipient(), last.text()));
    }
}
