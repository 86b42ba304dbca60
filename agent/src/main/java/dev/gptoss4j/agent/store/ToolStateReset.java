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

    /**
     * Whether {@code history} needs the note: a tool other than a developer function ({@code python},
     * {@code browser.*}) answered since the last note, so the model may rely on state that is gone.
     */
    public static boolean needed(Conversation history) {
        List<Message> messages = history.messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            Message m = messages.get(i);
            if (m.role() == Role.DEVELOPER && NOTE.equals(m.text())) return false;
            if (m.role() == Role.TOOL
                    && m.author().name() != null
                    && !m.author().name().startsWith("functions.")) {
                return true;
            }
        }
        return false;
    }

    /** {@code history} with the note added as a developer message (before a call awaiting approval, if any). */
    public static Conversation note(Conversation history) {
        List<Message> messages = new ArrayList<>(history.messages());
        Message last = messages.isEmpty() ? null : messages.getLast();
        int at = last != null && last.role() == Role.ASSISTANT && last.recipient() != null
                ? messages.size() - 1
                : messages.size();
        messages.add(at, Message.of(Role.DEVELOPER, NOTE));
        return Conversation.of(messages);
    }
}
