package dev.gptoss4j.agent.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.List;
import java.util.Set;

/** Checks JSON values against one JSON Schema (compiled once), with messages a model can act on. */
public final class SchemaValidator {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private final JsonSchema schema;

    public SchemaValidator(JsonNode schema) {
        if (schema == null) throw new IllegalArgumentException("JSON Schema must not be null");
        try {
            this.schema = FACTORY.getSchema(schema);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a usable JSON Schema: " + e.getMessage() + " in " + schema, e);
        }
    }

    /** The problems found, empty when the value matches. */
    public List<String> validate(JsonNode value) {
        Set<ValidationMessage> messages = schema.validate(value);
        return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}
