package dev.gptoss4j.agent.tool;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The arguments of one tool call: the text the model wrote and, for tools with a schema, that text parsed.
 *
 * @param raw   exactly what the model wrote as the message body of the call
 * @param json  the parsed arguments, or {@code null} for a tool without a schema
 * @param scope the conversation's tool state ({@link ToolScope}), or {@code null} for a call outside any
 *              conversation (a tool executed directly): stateful tools then use a state of their own
 */
public record ToolArguments(String raw, JsonNode json, ToolScope scope) {

    public ToolArguments {
        if (raw == null) throw new IllegalArgumentException("tool arguments: raw text must not be null");
    }

    /** Arguments of a call outside any conversation's scope. */
    public ToolArguments(String raw, JsonNode json) {
        this(raw, json, null);
    }

    /** The conversation's scope, or {@code fallback} (the tool's own) for a call outside any. */
    public ToolScope scopeOr(ToolScope fallback) {
        return scope != null ? scope : fallback;
    }

    /** A top-level argument as text, or {@code null} when absent. */
    public String text(String name) {
        if (json == null || !json.has(name) || json.get(name).isNull()) return null;
        JsonNode v = json.get(name);
        return v.isValueNode() ? v.asText() : v.toString();
    }
}
