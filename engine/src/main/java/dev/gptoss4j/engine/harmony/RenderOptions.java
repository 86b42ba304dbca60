package dev.gptoss4j.engine.harmony;

import java.util.Objects;

/**
 * How {@link HarmonyRenderer} renders a conversation.
 *
 * @param mode             {@link Mode#COMPLETION}: the prompt for the next turn, ending with {@code <|start|>role};
 *                         {@link Mode#TRAINING}: the whole conversation, a final assistant answer ending with
 *                         {@code <|return|>} instead of {@code <|end|>}; {@link Mode#CONVERSATION}: the messages
 *                         as they are (history, each ending with {@code <|end|>} or {@code <|call|>})
 * @param nextTurnRole     whose turn follows, for {@link Mode#COMPLETION} (normally the assistant)
 * @param autoDropAnalysis when the last assistant message is on the {@code final} channel, leave out the
 *                         {@code analysis} messages before the first {@code final} one, as openai/harmony does
 *                         (the model never sees its earlier chain of thought)
 */
public record RenderOptions(Mode mode, Role nextTurnRole, boolean autoDropAnalysis) {

    public enum Mode {
        COMPLETION,
        TRAINING,
        CONVERSATION
    }

    public RenderOptions {
        Objects.requireNonNull(mode, "mode");
        if (mode == Mode.COMPLETION) Objects.requireNonNull(nextTurnRole, "nextTurnRole");
    }

    /** The prompt for the assistant's next turn (the usual case). */
    public static RenderOptions completion() {
        return new RenderOptions(Mode.COMPLETION, Role.ASSISTANT, true);
    }

    public static RenderOptions completion(Role nextTurnRole) {
        return new RenderOptions(Mode.COMPLETION, nextTurnRole, true);
    }

    public static RenderOptions training() {
        return new RenderOptions(Mode.TRAINING, null, true);
    }

    public static RenderOptions conversation() {
        return new RenderOptions(Mode.CONVERSATION, null, true);
    }

    /** The same options, keeping (or dropping) earlier analysis messages. */
    public RenderOptions withAutoDropAnalysis(boolean drop) {
        return new RenderOptions(mode, nextTurnRole, drop);
    }

    public RenderOptions keepAnalysis() {
        return withAutoDropAnalysis(false);
    }
}
