package dev.gptoss4j.engine.harmony;

import java.util.ArrayList;
import java.util.List;

/** An immutable list of messages; {@link #append} returns a new conversation. */
public record Conversation(List<Message> messages) {

    public Conversation {
        messages = List.copyOf(messages);
    }

    public static Conversation of(Message... messages) {
        return new Conversation(List.of(messages));
    }

    public static Conversation of(List<Message> messages) {
        return new Conversation(messages);
    }

    public Conversation append(Message... more) {
        List<Message> all = new ArrayList<>(messages);
        all.addAll(List.of(more));
        return new Conversation(all);
    }

    public Conversation append(List<Message> more) {
        List<Message> all = new ArrayList<>(messages);
        all.addAll(more);
        return new Conversation(all);
    }

    public int size() {
        return messages.size();
    }
}
