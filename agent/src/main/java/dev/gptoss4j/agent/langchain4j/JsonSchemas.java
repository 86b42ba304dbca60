package dev.gptoss4j.agent.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.agent.tool.Schemas;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON Schema as Jackson trees (what harmony and our tools use) and as LangChain4j {@link JsonSchemaElement}s (what
 * LangChain4j models take). LangChain4j to JSON is {@link Schemas#of(JsonSchemaElement)}; the way back maps each
 * node to the typed element that says exactly the same, and keeps any node with keywords the typed elements cannot
 * carry ({@code minimum}, {@code format}, a list of types...) as a {@link JsonRawSchema}, so nothing is lost.
 */
public final class JsonSchemas {

    private static final Set<String> SIMPLE = Set.of("type", "description");
    private static final Set<String> ENUM = Set.of("type", "description", "enum");
    private static final Set<String> ARRAY = Set.of("type", "description", "items");
    private static final Set<String> OBJECT =
            Set.of("type", "description", "properties", "required", "additionalProperties", "$defs");

    private JsonSchemas() {}

    /** A JSON Schema as a LangChain4j element. */
    public static JsonSchemaElement toElement(JsonNode schema) {
        if (schema == null || !schema.isObject()) {
            throw new IllegalArgumentException("a JSON Schema must be a JSON object, got " + schema);
        }
        if (schema.has("$ref")
                && schema.size() == 1
                && schema.get("$ref").asText().startsWith("#/$defs/")) {
            return JsonReferenceSchema.builder()
                    .reference(schema.get("$ref").asText().substring("#/$defs/".length()))
                    .build();
        }
        if (schema.has("anyOf") && schema.get("anyOf").isArray() && only(schema, Set.of("anyOf", "description"))) {
            List<JsonSchemaElement> options = new ArrayList<>();
            schema.get("anyOf").forEach(n -> options.add(toElement(n)));
            return JsonAnyOfSchema.builder()
                    .description(description(schema))
                    .anyOf(options)
                    .build();
        }
        JsonNode type = schema.get("type");
        String t = type != null && type.isTextual() ? type.asText() : "";
        JsonSchemaElement typed = switch (t) {
            case "string" -> {
                if (schema.has("enum") && only(schema, ENUM) && allText(schema.get("enum"))) {
                    List<String> values = new ArrayList<>();
                    schema.get("enum").forEach(v -> values.add(v.asText()));
                    yield JsonEnumSchema.builder()
                            .description(description(schema))
                            .enumValues(values)
                            .build();
                }
                yield only(schema, SIMPLE)
                        ? JsonStringSchema.builder()
                                .description(description(schema))
                                .build()
                        : null;
            }
            case "integer" ->
                only(schema, SIMPLE)
                        ? JsonIntegerSchema.builder()
                                .description(description(schema))
                                .build()
                        : null;
            case "number" ->
                only(schema, SIMPLE)
                        ? JsonNumberSchema.builder()
                                .description(description(schema))
                                .build()
                        : null;
            case "boolean" ->
                only(schema, SIMPLE)
                        ? JsonBooleanSchema.builder()
                                .description(description(schema))
                                .build()
                        : null;
            case "null" -> only(schema, Set.of("type")) ? new JsonNullSchema() : null;
            case "array" ->
                only(schema, ARRAY)
                                && (!schema.has("items") || schema.get("items").isObject())
                        ? JsonArraySchema.builder()
                                .description(description(schema))
                                .items(schema.has("items") ? toElement(schema.get("items")) : null)
                                .build()
                        : null;
            case "object" -> only(schema, OBJECT) ? object(schema) : null;
            default -> null;
        };
        return typed != null ? typed : JsonRawSchema.from(schema.toString());
    }

    /**
     * The parameters of a tool as the object schema a {@link dev.langchain4j.agent.tool.ToolSpecification} takes;
     * {@code null} for a tool without parameters. Keywords of the top-level object other than its properties,
     * {@code required}, a boolean {@code additionalProperties}, {@code $defs} and {@code description} are dropped.
     *
     * @throws IllegalArgumentException when the schema is not an object schema
     */
    public static JsonObjectSchema toObjectSchema(JsonNode schema) {
        if (schema == null || schema.isNull()) return null;
        if (!schema.isObject() || !"object".equals(schema.path("type").asText("object"))) {
            throw new IllegalArgumentException("tool parameters must be a JSON Schema of type object, got " + schema);
        }
        ObjectNode copy = schema.deepCopy();
        if (!copy.has("type")) copy.put("type", "object");
        // a ToolSpecification holds an object element, which carries no other keywords of the object itself
        // (minProperties, a schema for additionalProperties); the properties keep all of theirs
        return object(copy);
    }

    /** The LangChain4j element as a JSON Schema tree. */
    public static JsonNode toJson(JsonSchemaElement element) {
        return Schemas.of(element);
    }

    private static JsonObjectSchema object(JsonNode schema) {
        JsonObjectSchema.Builder b = JsonObjectSchema.builder().description(description(schema));
        Map<String, JsonSchemaElement> properties = new LinkedHashMap<>();
        schema.path("properties").properties().forEach(e -> properties.put(e.getKey(), toElement(e.getValue())));
        b.addProperties(properties);
        if (schema.get("required") instanceof JsonNode r && r.isArray()) {
            List<String> required = new ArrayList<>();
            r.forEach(n -> required.add(n.asText()));
            b.required(required);
        }
        if (schema.has("additionalProperties")
                && schema.get("additionalProperties").isBoolean()) {
            b.additionalProperties(schema.get("additionalProperties").asBoolean());
        }
        if (schema.get("$defs") instanceof JsonNode defs && defs.isObject()) {
            Map<String, JsonSchemaElement> definitions = new LinkedHashMap<>();
            defs.properties().forEach(e -> definitions.put(e.getKey(), toElement(e.getValue())));
            b.definitions(definitions);
        }
        return b.build();
    }

    private static boolean only(JsonNode schema, Set<String> allowed) {
        for (String key : (Iterable<String>) schema::fieldNames) {
            if (!allowed.contains(key)) return false;
        }
        return !schema.has("description") || schema.get("description").isTextual();
    }

    private static boolean allText(JsonNode array) {
        if (!array.isArray() || array.isEmpty()) return false;
        for (JsonNode v : array) if (!v.isTextual()) return false;
        return true;
    }

    private static String description(JsonNode schema) {
        JsonNode d = schema.get("description");
        return d != null && d.isTextual() ? d.asText() : null;
    }
}
