package dev.gptoss4j.engine.harmony;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;

/**
 * A tool the model may call: its name, what it does, and its parameters as a JSON Schema (or {@code null} for a
 * tool without parameters). The schema is copied in and out, so the record stays immutable.
 */
public record ToolDescription(String name, String description, JsonNode parameters) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ToolDescription {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        if (name.isBlank()) throw new IllegalArgumentException("a tool needs a non-blank name");
        parameters = parameters == null || parameters.isNull() ? null : parameters.deepCopy();
    }

    public static ToolDescription of(String name, String description) {
        return new ToolDescription(name, description, null);
    }

    public static ToolDescription of(String name, String description, JsonNode parameters) {
        return new ToolDescription(name, description, parameters);
    }

    /** A tool whose parameters schema is given as JSON text. */
    public static ToolDescription of(String name, String description, String parametersJson) {
        try {
            return new ToolDescription(name, description, JSON.readTree(parametersJson));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "parameters of tool '" + name + "' are not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A copy of the parameters schema ({@code null} when the tool takes none). */
    @Override
    public JsonNode parameters() {
        return parameters == null ? null : parameters.deepCopy();
    }

    /** The schema without copying, for the renderer (which only reads it). */
    JsonNode parametersView() {
        return parameters;
    }
}
