package dev.gptoss4j.engine.harmony;

import java.util.Objects;

/**
 * The author of a message: a role and, optionally, a name. A tool's messages are written by
 * {@code Author.tool("functions.get_weather")}; harmony renders only the tool's name in the header.
 */
public record Author(Role role, String name) {

    public Author {
        Objects.requireNonNull(role, "role");
        if (name != null && name.isEmpty()) name = null;
    }

    public static Author of(Role role) {
        return new Author(role, null);
    }

    public static Author tool(String toolName) {
        if (toolName == null || toolName.isBlank()) {
            throw new IllegalArgumentException("a tool author needs the tool's name, such as functions.get_weather");
        }
        return new Author(Role.TOOL, toolName);
    }
}
