package dev.gptoss4j.agent.tool;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.function.Function;

/**
 * A tool made from a lambda and a schema, for tools whose code is not a plain annotated method.
 *
 * <pre>{@code
 * Tool echo = FunctionTool.builder()
 *     .name("echo").description("Repeats the text.")
 *     .parameters(Schemas.parse("{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}}}"))
 *     .handler(args -> ToolResult.of(args.text("text")))
 *     .build();
 * }</pre>
 */
public record FunctionTool(
        String namespace,
        String name,
        String description,
        JsonNode parameters,
        Function<ToolArguments, ToolResult> handler)
        implements Tool {

    public FunctionTool {
        Objects.requireNonNull(namespace, "namespace");
        if (name == null || name.isBlank()) throw new IllegalArgumentException("tool name must not be blank");
        if (description == null) description = "";
        Objects.requireNonNull(handler, "handler of tool " + name);
    }

    @Override
    public ToolResult execute(ToolArguments arguments) {
        ToolResult r = handler.apply(arguments);
        return r == null ? ToolResult.of("") : r;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String namespace = FUNCTIONS;
        private String name;
        private String description = "";
        private JsonNode parameters = Schemas.emptyObject();
        private Function<ToolArguments, ToolResult> handler;

        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }
        /** JSON Schema of the arguments; {@code null} for a free-text tool. */
        public Builder parameters(JsonNode parameters) {
            this.parameters = parameters;
            return this;
        }

        public Builder handler(Function<ToolArguments, ToolResult> handler) {
            this.handler = handler;
            return this;
        }

        public FunctionTool build() {
            return new FunctionTool(namespace, name, description, parameters, handler);
        }
    }
}
