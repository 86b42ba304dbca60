package dev.gptoss4j.agent;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.agent.tool.SchemaValidator;
import dev.gptoss4j.agent.tool.Schemas;
import dev.gptoss4j.engine.harmony.ResponseFormat;
import java.util.List;

/**
 * A typed answer: the JSON Schema of a Java type (LangChain4j's generator) announced as a harmony response format,
 * and the final answer parsed back with Jackson and checked against the same schema.
 */
final class StructuredOutput<T> {

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private final Class<T> type;
    private final JsonNode schema;
    private final SchemaValidator validator;

    StructuredOutput(Class<T> type) {
        this.type = type;
        this.schema = Schemas.of(type);
        this.validator = new SchemaValidator(schema);
    }

    ResponseFormat responseFormat() {
        return new ResponseFormat(type.getSimpleName(), "The final answer, as one JSON object.", schema);
    }

    /** The answer as {@code T}; a {@link Invalid} says what to fix. */
    T parse(String answer) {
        String text = stripFence(answer.strip());
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (Exception e) {
            throw new Invalid("the final answer is not valid JSON (" + firstLine(e.getMessage()) + ")");
        }
        if (json == null || json.isMissingNode()) throw new Invalid("the final answer is empty");
        List<String> problems = validator.validate(json);
        if (!problems.isEmpty()) {
            throw new Invalid("the final answer does not match the response format " + type.getSimpleName() + ": "
                    + String.join("; ", problems));
        }
        try {
            return JSON.treeToValue(json, type);
        } catch (Exception e) {
            throw new Invalid("the final answer cannot be read as " + type.getSimpleName() + " ("
                    + firstLine(e.getMessage()) + ")");
        }
    }

    String schemaText() {
        return schema.toString();
    }

    /** Models like to wrap JSON in a Markdown code fence; the content is what counts. */
    private static String stripFence(String s) {
        if (!s.startsWith("```")) return s;
        int nl = s.indexOf('\n');
        int end = s.lastIndexOf("```");
        return nl > 0 && end > nl ? s.substring(nl + 1, end).strip() : s;
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The answer did not fit the format; the message goes back to the model. */
    static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message);
        }
    }
}
