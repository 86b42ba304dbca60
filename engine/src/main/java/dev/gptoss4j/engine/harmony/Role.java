package dev.gptoss4j.engine.harmony;

import java.util.Locale;

/** Who wrote a message. Tool messages carry the tool's name (such as {@code functions.get_weather}) in {@link Author#name()}. */
public enum Role {
    USER,
    ASSISTANT,
    SYSTEM,
    DEVELOPER,
    TOOL;

    /** The spelling in a harmony header and in the JSON form: {@code user}, {@code assistant}, ... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role for a header or JSON spelling, or {@code null} when the word is no role. */
    public static Role fromWireNameOrNull(String word) {
        return switch (word) {
            case "user" -> USER;
            case "assistant" -> ASSISTANT;
            case "system" -> SYSTEM;
            case "developer" -> DEVELOPER;
            case "tool" -> TOOL;
            default -> null;
        };
    }

    /** The role for a spelling; unknown spellings are an error naming the accepted ones. */
    public static Role fromWireName(String word) {
        Role role = fromWireNameOrNull(word);
        if (role == null) {
            throw new IllegalArgumentException(
                    "unknown role '" + word + "' (expected user, assistant, system, developer or tool)");
        }
        return role;
    }

    @Override
    public String toString() {
        return wireName();
    }
}
