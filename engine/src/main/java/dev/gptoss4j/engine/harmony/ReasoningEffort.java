package dev.gptoss4j.engine.harmony;

import java.util.Locale;

/** How long the model thinks before answering; rendered as {@code Reasoning: low|medium|high}. */
public enum ReasoningEffort {
    LOW,
    MEDIUM,
    HIGH;

    /** The word in the system message: {@code low}, {@code medium}, {@code high}. */
    public String promptWord() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The JSON spelling openai/harmony uses: {@code Low}, {@code Medium}, {@code High}. */
    public String jsonName() {
        return name().charAt(0) + name().substring(1).toLowerCase(Locale.ROOT);
    }

    /** Parses any case of low, medium or high. */
    public static ReasoningEffort parse(String text) {
        for (ReasoningEffort e : values()) {
            if (e.name().equalsIgnoreCase(text)) return e;
        }
        throw new IllegalArgumentException("unknown reasoning effort '" + text + "' (expected low, medium or high)");
    }
}
