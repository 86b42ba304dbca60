package dev.gptoss4j.engine.constrain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.engine.constrain.SchemaNode.AnyOfSchema;
import dev.gptoss4j.engine.constrain.SchemaNode.ArraySchema;
import dev.gptoss4j.engine.constrain.SchemaNode.LiteralSchema;
import dev.gptoss4j.engine.constrain.SchemaNode.MapSchema;
import dev.gptoss4j.engine.constrain.SchemaNode.NumberSchema;
import dev.gptoss4j.engine.constrain.SchemaNode.ObjectSchema;
import dev.gptoss4j.engine.constrain.SchemaNode.StringSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A byte-level automaton for the JSON documents that match a JSON Schema, compiled from the subset that decoding
 * can enforce byte by byte:
 * <ul>
 *   <li>{@code type} (one or a list, {@code nullable: true}), {@code enum}, {@code const}, {@code anyOf} and
 *       {@code oneOf} (as anyOf: exclusivity is not enforced), boolean schemas;</li>
 *   <li>objects: {@code properties} in any order, each at most once, {@code required}. Only declared properties
 *       are generated (also when {@code additionalProperties} allows more), so the output always validates;
 *       an object schema without properties generates {@code {}}, unless it has {@code additionalProperties}
 *       ({@code true} or a schema): then any keys, each with a value of that schema ({@code json_object}'s
 *       "any object"; {@code true} allows any value, objects of any keys included). At most 64 properties per
 *       object;</li>
 *   <li>strings: {@code minLength}, {@code maxLength} (in code points; an escape counts as one), valid UTF-8, no
 *       raw control characters;</li>
 *   <li>numbers and integers (integers without fraction or exponent), at most 24 bytes. {@code minimum},
 *       {@code maximum} and {@code multipleOf} are not enforced;</li>
 *   <li>arrays: {@code items}, {@code minItems}, {@code maxItems}.</li>
 * </ul>
 * A schema with nothing to say ({@code {}} or {@code true}) allows any value, objects only as {@code {}}.
 * {@code $ref}, {@code allOf}, {@code not}, {@code pattern}, {@code prefixItems} and the like are rejected with an
 * {@link UnsupportedSchemaException}; {@code format}, {@code description}, {@code title}, {@code default},
 * {@code examples} are ignored. Whitespace between tokens is limited to {@code maxWhitespace} bytes at each place
 * (0, the default, is compact JSON, as gpt-oss writes tool arguments), which keeps the model from padding forever.
 */
public final class JsonSchemaGrammar {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> UNSUPPORTED = Set.of(
            "$ref",
            "$dynamicRef",
            "allOf",
            "not",
            "if",
            "then",
            "else",
            "pattern",
            "patternProperties",
            "prefixItems",
            "contains",
            "dependentRequired",
            "dependentSchemas",
            "propertyNames",
            "uniqueItems",
            "unevaluatedProperties",
            "minProperties",
            "maxProperties");

    private final SchemaNode root;
    private final int maxWhitespace;

    private JsonSchemaGrammar(SchemaNode root, int maxWhitespace) {
        this.root = root;
        this.maxWhitespace = maxWhitespace;
    }

    /** Compact JSON (no whitespace between tokens). */
    public static JsonSchemaGrammar compile(JsonNode schema) {
        return compile(schema, 0);
    }

    public static JsonSchemaGrammar compile(JsonNode schema, int maxWhitespace) {
        if (schema == null) throw new IllegalArgumentException("schema is required (use {} for any JSON value)");
        if (maxWhitespace < 0) throw new IllegalArgumentException("maxWhitespace must be >= 0, got " + maxWhitespace);
        return new JsonSchemaGrammar(new Compiler(maxWhitespace).compile(schema, "#"), maxWhitespace);
    }

    public static JsonSchemaGrammar compile(String schemaJson) {
        try {
            return compile(JSON.readTree(schemaJson));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the schema is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The state before the first byte. */
    public GrammarState start() {
        return JsonState.start(root);
    }

    public int maxWhitespace() {
        return maxWhitespace;
    }

    /** Whether {@code json} (all of it) is a document of this grammar. */
    public boolean accepts(String json) {
        GrammarState s = start().step(json.getBytes(StandardCharsets.UTF_8));
        return s != null && s.isComplete();
    }

    private static final class Compiler {
        private final int maxWhitespace;
        private AnyOfSchema any;
        private AnyOfSchema freeAny;

        Compiler(int maxWhitespace) {
            this.maxWhitespace = maxWhitespace;
        }

        SchemaNode compile(JsonNode s, String path) {
            if (s.isBoolean()) {
                if (!s.booleanValue())
                    throw new UnsupportedSchemaException(path + ": the schema 'false' allows no value");
                return any();
            }
            if (!s.isObject())
                throw new UnsupportedSchemaException(
                        path + ": a schema must be an object or a boolean, got " + s.getNodeType());
            for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (UNSUPPORTED.contains(k)) {
                    throw new UnsupportedSchemaException(
                            path + ": keyword '" + k + "' is not supported by constrained decoding");
                }
            }
            SchemaNode node = compileBody(s, path);
            if (s.path("nullable").asBoolean(false))
                node = new AnyOfSchema(new SchemaNode[] {node, literals(path, "null")});
            return node;
        }

        private SchemaNode compileBody(JsonNode s, String path) {
            if (s.has("const")) return literals(path, text(s.get("const")));
            if (s.has("enum")) {
                JsonNode values = s.get("enum");
                if (!values.isArray() || values.isEmpty()) {
                    throw new UnsupportedSchemaException(path + "/enum: expected a non-empty array");
                }
                List<String> texts = new ArrayList<>();
                for (JsonNode v : values) texts.add(text(v));
                return literals(path, texts.toArray(new String[0]));
            }
            for (String keyword : new String[] {"anyOf", "oneOf"}) {
                if (s.has(keyword)) {
                    JsonNode alts = s.get(keyword);
                    if (!alts.isArray() || alts.isEmpty()) {
                        throw new UnsupportedSchemaException(path + "/" + keyword + ": expected a non-empty array");
                    }
                    SchemaNode[] nodes = new SchemaNode[alts.size()];
                    for (int i = 0; i < nodes.length; i++)
                        nodes[i] = compile(alts.get(i), path + "/" + keyword + "/" + i);
                    return nodes.length == 1 ? nodes[0] : new AnyOfSchema(nodes);
                }
            }
            JsonNode type = s.get("type");
            if (type == null) {
                if (s.has("properties") || s.has("required")) return type(s, "object", path);
                if (s.has("items")) return type(s, "array", path);
                return any();
            }
            if (type.isTextual()) return type(s, type.asText(), path);
            if (type.isArray() && !type.isEmpty()) {
                SchemaNode[] nodes = new SchemaNode[type.size()];
                for (int i = 0; i < nodes.length; i++)
                    nodes[i] = type(s, type.get(i).asText(), path);
                return nodes.length == 1 ? nodes[0] : new AnyOfSchema(nodes);
            }
            throw new UnsupportedSchemaException(path + "/type: expected a type name or a non-empty array of them");
        }

        private SchemaNode type(JsonNode s, String type, String path) {
            return switch (type) {
                case "object" -> object(s, path);
                case "array" -> {
                    int min = count(s, "minItems", 0, path);
                    int max = count(s, "maxItems", Integer.MAX_VALUE, path);
                    if (min > max)
                        throw new UnsupportedSchemaException(path + ": minItems " + min + " > maxItems " + max);
                    SchemaNode items = s.has("items") ? compile(s.get("items"), path + "/items") : any();
                    yield new ArraySchema(items, min, max, maxWhitespace);
                }
                case "string" -> {
                    int min = count(s, "minLength", 0, path);
                    int max = count(s, "maxLength", Integer.MAX_VALUE, path);
                    if (min > max)
                        throw new UnsupportedSchemaException(path + ": minLength " + min + " > maxLength " + max);
                    yield new StringSchema(min, max);
                }
                case "number" -> new NumberSchema(false);
                case "integer" -> new NumberSchema(true);
                case "boolean" -> literals(path, "true", "false");
                case "null" -> literals(path, "null");
                default ->
                    throw new UnsupportedSchemaException(path + "/type: unknown type '" + type
                            + "' (expected object, array, string, number, integer, boolean or null)");
            };
        }

        private SchemaNode object(JsonNode s, String path) {
            JsonNode additional = s.get("additionalProperties");
            boolean free = additional != null && (additional.isObject() || additional.asBoolean(false));
            if (free && !s.has("properties") && !s.has("required")) {
                return additional.isObject()
                        ? new MapSchema(compile(additional, path + "/additionalProperties"), maxWhitespace)
                        : freeAny().alternatives[0];
            }
            Map<String, JsonNode> properties = new LinkedHashMap<>();
            JsonNode props = s.get("properties");
            if (props != null) {
                if (!props.isObject()) throw new UnsupportedSchemaException(path + "/properties: expected an object");
                props.fields().forEachRemaining(e -> properties.put(e.getKey(), e.getValue()));
            }
            List<String> required = new ArrayList<>();
            JsonNode req = s.get("required");
            if (req != null) {
                if (!req.isArray())
                    throw new UnsupportedSchemaException(path + "/required: expected an array of names");
                for (JsonNode r : req) {
                    required.add(r.asText());
                    // a required property must be generated, so it needs a schema even when none was declared
                    properties.putIfAbsent(r.asText(), JSON.createObjectNode());
                }
            }
            if (properties.size() > 64) {
                throw new UnsupportedSchemaException(path + ": " + properties.size()
                        + " properties; constrained decoding handles at most 64 per object");
            }
            List<byte[]> keys = new ArrayList<>();
            SchemaNode[] values = new SchemaNode[properties.size()];
            long requiredBits = 0;
            int i = 0;
            for (Map.Entry<String, JsonNode> e : properties.entrySet()) {
                keys.add(text(JSON.getNodeFactory().textNode(e.getKey())).getBytes(StandardCharsets.UTF_8));
                values[i] = compile(e.getValue(), path + "/properties/" + e.getKey());
                if (required.contains(e.getKey())) requiredBits |= 1L << i;
                i++;
            }
            LiteralTrie trie = keys.isEmpty() ? new LiteralTrie(List.of(new byte[] {0})) : new LiteralTrie(keys);
            return new ObjectSchema(trie, values, requiredBits, maxWhitespace);
        }

        /**
         * Any JSON value, objects with any keys included (its first alternative is the free object); one node per
         * grammar, whose objects and arrays contain itself.
         */
        private AnyOfSchema freeAny() {
            if (freeAny == null) {
                freeAny = new AnyOfSchema(null);
                MapSchema object = new MapSchema(null, maxWhitespace);
                ArraySchema array = new ArraySchema(null, 0, Integer.MAX_VALUE, maxWhitespace);
                freeAny.alternatives = new SchemaNode[] {
                    object,
                    array,
                    new StringSchema(0, Integer.MAX_VALUE),
                    new NumberSchema(false),
                    literals("#", "true", "false", "null")
                };
                object.values = freeAny;
                array.items = freeAny;
            }
            return freeAny;
        }

        /** Any JSON value (objects as {@code {}} only); one node per grammar, arrays of it contain itself. */
        private SchemaNode any() {
            if (any == null) {
                any = new AnyOfSchema(null);
                ArraySchema array = new ArraySchema(null, 0, Integer.MAX_VALUE, maxWhitespace);
                any.alternatives = new SchemaNode[] {
                    new ObjectSchema(new LiteralTrie(List.of(new byte[] {0})), new SchemaNode[0], 0, maxWhitespace),
                    array,
                    new StringSchema(0, Integer.MAX_VALUE),
                    new NumberSchema(false),
                    literals("#", "true", "false", "null")
                };
                array.items = any;
            }
            return any;
        }

        private static int count(JsonNode s, String keyword, int absent, String path) {
            JsonNode v = s.get(keyword);
            if (v == null) return absent;
            if (!v.canConvertToInt() || v.asInt() < 0) {
                throw new UnsupportedSchemaException(
                        path + "/" + keyword + ": expected a non-negative integer, got " + v);
            }
            return v.asInt();
        }

        private static LiteralSchema literals(String path, String... texts) {
            List<byte[]> bytes = new ArrayList<>();
            for (String t : texts) bytes.add(t.getBytes(StandardCharsets.UTF_8));
            return new LiteralSchema(new LiteralTrie(bytes));
        }

        private static String text(JsonNode value) {
            try {
                return JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
