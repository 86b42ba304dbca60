package dev.gptoss4j.agent.tool;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The arguments of one tool call: the text the model wrote and, for tools with a schema, that text parsed.
 *
 * @param raw  exactly what the model wrote as the message body of the call
 * @param json the parsed arguments, or {@code null} for a tool without a schema
 */
public record ToolArguments(String raw, JsonNode json) {

    public ToolArguments {
        if (raw == null) throw new IllegalArgumentException("tool arguments: raw text must not be null");
    }

    /** A top-level argument as text, or {@code null} when absent. */
    public String text(String name) {
        if (json == null || !json.has(name) || json.get(name).isNull()) return null;
        JsonNode v = json.get(name);
        return v.isValueNode() ? v.asText() : v.toString();
    }
}
