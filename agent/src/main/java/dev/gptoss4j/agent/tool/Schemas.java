package dev.gptoss4j.agent.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.internal.JsonSchemaElementUtils;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;

/** JSON Schema as Jackson trees; schemas of Java types come from LangChain4j's generator. */
public final class Schemas {

    static final ObjectMapper JSON = new ObjectMapper();

    private Schemas() {}

    /** {@code {"type":"object","properties":{}}}: the schema of a tool that takes no arguments. */
    public static ObjectNode emptyObject() {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "object");
        n.putObject("properties");
        return n;
    }

    /**
     * Whether a tool with this parameters schema takes its arguments as free text, unparsed: no schema at all, or
     * a plain {@code "type": "string"} one (gpt-oss's {@code apply_patch} takes the patch itself as its argument).
     */
    public static boolean takesFreeText(JsonNode parameters) {
        return parameters == null || parameters.isNull() || "string".equals(parameters.path("type").asText(null));
    }

    /** Parses a schema written as JSON text. */
    public static JsonNode parse(String schemaJson) {
        try {
            return JSON.readTree(schemaJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("JSON Schema is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A LangChain4j schema element as JSON Schema. */
    public static JsonNode of(JsonSchemaElement element) {
        if (element == null) return emptyObject();
        return JSON.valueToTree(JsonSchemaElementUtils.toMap(element));
    }

    /** The JSON Schema of a Java type (a record, a class with fields, an enum...), as LangChain4j generates it. */
    public static JsonNode of(Class<?> type) {
        return of(JsonSchemaElementUtils.jsonSchemaElementFrom(type));
    }
}
