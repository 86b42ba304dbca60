package dev.gptoss4j.engine.harmony;

import java.util.Objects;

/** Plain text content; rendered as ordinary tokens, so it can never contain a control token. */
public record TextContent(String text) implements Content {
    public TextContent {
        Objects.requireNonNull(text, "text");
    }
}
