package dev.gptoss4j.serve.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.serve.http.ApiException;
import java.io.IOException;

/**
 * Typed reads of request JSON. Every mistake becomes a 400 naming the field by its path
 * ({@code messages[2].tool_calls[0].function.name}) and saying what was expected.
 */
final class Fields {

    /** Deepest nesting of objects and arrays a request may have (a tool's schema rarely needs 10). */
    static final int MAX_DEPTH = 128;
    /** Longest string value in a request, in characters (the body's size is capped before it is parsed). */
    static final int MAX_STRING_CHARS = 16 << 20;

    /**
     * Refuses over-deep and over-long input while parsing, before it costs stack or memory: a request nested 100,000
     * deep is a 400 naming the limit, not a stack overflow.
     */
    static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_STRING_CHARS)
                    .build())
            .build());

    private Fields() {}

    static ObjectNode parseObject(byte[] body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest(
                    null,
                    "the request body is too large or too deep to read: "
                            + withoutJacksonNames(e.getOriginalMessage()) + " (at most " + MAX_DEPTH
                            + " nested objects and arrays, strings of at most " + MAX_STRING_CHARS + " characters)");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw ApiException.badRequest(
                    null,
                    "the request body is not valid JSON: " + e.getOriginalMessage()
                            + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw ApiException.badRequest(null, "the request body cannot be read: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) throw ApiException.badRequest(null, "the request body is empty");
        if (!node.isObject()) {
            throw ApiException.badRequest(null, "the request body must be a JSON object, got " + kind(node));
        }
        return (ObjectNode) node;
    }

    /** Jackson names the setting that limits ({@code from `StreamReadConstraints...`}): of no use to a client. */
    private static String withoutJacksonNames(String message) {
        return message == null
                ? "limit exceeded"
                : message.replaceAll(",? from `[^`]*`", "").strip();
    }

    static String path(String parent, String field) {
        return parent == null || parent.isEmpty() ? field : parent + "." + field;
    }

    /** A field that is absent or JSON null reads as {@code null}. */
    static JsonNode get(JsonNode obj, String field) {
        JsonNode v = obj.get(field);
        return v == null || v.isNull() ? null : v;
    }

    static String optString(JsonNode obj, String field, String parent) {
        JsonNode v = get(obj, field);
        if (v == null) return null;
        if (!v.isTextual()) throw wrongType(path(parent, field), "a string", v);
        return v.asText();
    }

    static String reqString(JsonNode obj, String field, String parent) {
        String s = optString(obj, field, parent);
        if (s == null) throw missing(path(parent, field), "a string");
        return s;
    }

    static boolean optBool(JsonNode obj, String field, String parent, boolean otherwise) {
        JsonNode v = get(obj, field);
        if (v == null) return otherwise;
        if (!v.isBoolean()) throw wrongType(path(parent, field), "true or false", v);
        return v.asBoolean();
    }

    /** An integer of at least {@code min}, or {@code null} when absent. */
    static Integer optInt(JsonNode obj, String field, String parent, int min) {
        JsonNode v = get(obj, field);
        if (v == null) return null;
        if (!v.isIntegralNumber() || !v.canConvertToInt()) throw wrongType(path(parent, field), "an integer", v);
        if (v.asInt() < min) {
            throw ApiException.badRequest(
                    path(parent, field),
                    "'" + path(parent, field) + "' must be at least " + min + ", got " + v.asInt());
        }
        return v.asInt();
    }

    /** A number, or {@code null} when absent. */
    static Double optDouble(JsonNode obj, String field, String parent) {
        JsonNode v = get(obj, field);
        if (v == null) return null;
        if (!v.isNumber()) throw wrongType(path(parent, field), "a number", v);
        return v.asDouble();
    }

    /** An integer that fits a long, or {@code null} when absent. */
    static Long optLong(JsonNode obj, String field, String parent) {
        JsonNode v = get(obj, field);
        if (v == null) return null;
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw wrongType(path(parent, field), "an integer", v);
        return v.asLong();
    }

    static ArrayNode optArray(JsonNode obj, String field, String parent) {
        JsonNode v = get(obj, field);
        if (v == null) return null;
        if (!v.isArray()) throw wrongType(path(parent, field), "an array", v);
        return (ArrayNode) v;
    }

    static ObjectNode optObject(JsonNode obj, String field, String parent) {
        JsonNode v = get(obj, field);
        if (v == null) return null;
        if (!v.isObject()) throw wrongType(path(parent, field), "an object", v);
        return (ObjectNode) v;
    }

    static ObjectNode reqObject(JsonNode obj, String field, String parent) {
        ObjectNode o = optObject(obj, field, parent);
        if (o == null) throw missing(path(parent, field), "an object");
        return o;
    }

    /** An element of an array that must be an object. */
    static ObjectNode element(JsonNode v, String path) {
        if (v == null || !v.isObject()) throw wrongType(path, "an object", v);
        return (ObjectNode) v;
    }

    static ApiException missing(String path, String expected) {
        return ApiException.badRequest(path, "'" + path + "' is required (" + expected + ")");
    }

    static ApiException wrongType(String path, String expected, JsonNode got) {
        return ApiException.badRequest(path, "'" + path + "' must be " + expected + ", got " + kind(got));
    }

    static ApiException unsupported(String path, String message) {
        return ApiException.badRequest(path, "'" + path + "': " + message);
    }

    static String kind(JsonNode v) {
        if (v == null || v.isNull()) return "null";
        if (v.isTextual()) return "a string";
        if (v.isNumber()) return "a number (" + v + ")";
        if (v.isBoolean()) return v.toString();
        if (v.isArray()) return "an array";
        if (v.isObject()) return "an object";
        return v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }
}
