package dev.gptoss4j.agent.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonReferenceSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import java.util.List;
import java.util.Map;

/**
 * JSON Schema as Jackson trees: parsed, converted from LangChain4j's public schema elements, or generated for a Java
 * type. (The way back, JSON to LangChain4j elements, is {@code agent.langchain4j.JsonSchemas}.)
 */
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
        return parameters == null
                || parameters.isNull()
                || "string".equals(parameters.path("type").asText(null));
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
        return element == null ? emptyObject() : toJson(element);
    }

    /**
     * The JSON Schema of a Java type (a record, a class with fields, an enum...): components and fields become
     * required properties, LangChain4j's {@code @Description} becomes {@code description}.
     *
     * @throws IllegalArgumentException for a type JSON cannot carry (a type variable, a JDK class that is not a
     *     value)
     */
    public static JsonNode of(Class<?> type) {
        return TypeSchema.of(type);
    }

    private static ObjectNode toJson(JsonSchemaElement element) {
        ObjectNode n = JSON.createObjectNode();
        switch (element) {
            case JsonObjectSchema o -> {
                typed(n, "object", o.description());
                ObjectNode properties = n.putObject("properties");
                if (o.properties() != null) o.properties().forEach((k, v) -> properties.set(k, toJson(v)));
                if (o.required() != null) strings(n, "required", o.required());
                if (o.additionalProperties() != null) n.put("additionalProperties", o.additionalProperties());
                if (o.definitions() != null && !o.definitions().isEmpty()) {
                    ObjectNode defs = n.putObject("$defs");
                    for (Map.Entry<String, JsonSchemaElement> d :
                            o.definitions().entrySet()) {
                        defs.set(d.getKey(), toJson(d.getValue()));
                    }
                }
            }
            case JsonStringSchema x -> typed(n, "string", x.description());
            case JsonIntegerSchema x -> typed(n, "integer", x.description());
            case JsonNumberSchema x -> typed(n, "number", x.description());
            case JsonBooleanSchema x -> typed(n, "boolean", x.description());
            case JsonNullSchema x -> n.put("type", "null");
            case JsonEnumSchema x -> {
                typed(n, "string", x.description());
                strings(n, "enum", x.enumValues());
            }
            case JsonArraySchema x -> {
                typed(n, "array", x.description());
                if (x.items() != null) n.set("items", toJson(x.items()));
            }
            case JsonAnyOfSchema x -> {
                if (x.description() != null) n.put("description", x.description());
                x.anyOf().forEach(option -> n.withArray("anyOf").add(toJson(option)));
            }
            case JsonReferenceSchema x -> n.put("$ref", "#/$defs/" + x.reference());
            case JsonRawSchema x -> n.setAll((ObjectNode) parse(x.schema()));
            default ->
                throw new IllegalArgumentException("unsupported LangChain4j schema element "
                        + element.getClass().getName() + ": " + element);
        }
        return n;
    }

    private static void typed(ObjectNode n, String type, String description) {
        n.put("type", type);
        if (description != null) n.put("description", description);
    }

    private static void strings(ObjectNode n, String field, List<String> values) {
        var array = n.putArray(field);
        values.forEach(array::add);
    }
}
