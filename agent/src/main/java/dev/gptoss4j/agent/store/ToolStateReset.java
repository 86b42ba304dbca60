package dev.gptoss4j.agent.store;

import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * What the model is told when a stored conversation goes on without the tool state it had: python variables,
 * {@code /mnt/data} files and browser pages live in memory and do not survive the process. Without the note the
 * model would trust a variable it defined an hour ago and meet a {@code NameError}.
 */
public final class ToolStateReset {

    public static final String NOTE = "This conversation was resumed from storage. The state of the tools from "
            + "before (python variables and imports, files in /mnt/data, open browser pages) was reset; recreate "
            + "what you need.";

    private ToolStateReset() {}

    /** {@code history} with the note added as a developer message (before a call awaiting approval, if any). */
    public static Conversation note(Conversation history) {
        List<Message> messages = new ArrayList<>(history.messages());
        Message last = messages.isEmpty() ? null : messages.getLast();
        int at = last != null && last.role() == Role.ASSISTANT && last.recipient() != null
                ? messages.size() - 1 : messages.size();
        messages.add(at, Message.of(Role.DEVELOPER, NOTE));
        return Conversation.of(messages);
    }
}
