package dev.gptoss4j.engine.harmony;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A structured-output format announced at the end of the developer message ({@code # Response Formats}), as
 * described in openai/harmony's docs/format.md. The prompt only asks for the shape; enforcing it is the sampler's job.
 */
public record ResponseFormat(String name, String description, JsonNode schema) {

    public ResponseFormat {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schema, "schema");
        schema = schema.deepCopy();
    }

    @Override
    public JsonNode schema() {
        return schema.deepCopy();
    }

    JsonNode schemaView() {
        return schema;
    }
}
