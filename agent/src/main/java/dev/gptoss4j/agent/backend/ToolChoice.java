package dev.gptoss4j.agent.backend;

import java.util.Objects;

/**
 * Whether a model call must call a function tool ({@code tool_choice} of the OpenAI APIs). The local engine enforces
 * it by constrained decoding (the reply starts with the forced call header, the model picking among the allowed
 * names); remote backends pass it on.
 *
 * @param mode     auto (the model decides), none (no calls), required (some function), or one named function
 * @param function the function's name (without {@code functions.}) for {@link Mode#FUNCTION}, else {@code null}
 */
public record ToolChoice(Mode mode, String function) {

    public enum Mode {
        AUTO,
        NONE,
        REQUIRED,
        FUNCTION
    }

    public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);
    public static final ToolChoice NONE = new ToolChoice(Mode.NONE, null);
    public static final ToolChoice REQUIRED = new ToolChoice(Mode.REQUIRED, null);

    public ToolChoice {
        Objects.requireNonNull(mode, "mode");
        if ((mode == Mode.FUNCTION) != (function != null && !function.isBlank())) {
            throw new IllegalArgumentException("a function name goes with mode FUNCTION, and only with it");
        }
    }

    /** The call must go to this function. */
    public static ToolChoice function(String name) {
        return new ToolChoice(Mode.FUNCTION, name);
    }

    /** Whether the reply must be a function call. */
    public boolean forcesCall() {
        return mode == Mode.REQUIRED || mode == Mode.FUNCTION;
    }
}
