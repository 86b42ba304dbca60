package dev.gptoss4j.agent.tool;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Something the model can call: a developer function ({@code functions.NAME}) or a built-in tool
 * ({@code browser.search}, {@code python}).
 *
 * <p>Implementations may throw any unchecked exception from {@link #execute}; the agent reports it to the model as
 * the tool's result instead of failing the run. Plain Java methods become tools through {@link MethodTools}.
 */
public interface Tool {

    /** The namespace of developer-defined function tools. */
    String FUNCTIONS = "functions";

    /** The harmony namespace: {@code functions} for developer tools, {@code browser}, {@code python} built in. */
    default String namespace() {
        return FUNCTIONS;
    }

    /** The function's name inside its namespace. */
    String name();

    /** What the tool does, shown to the model. */
    String description();

    /**
     * JSON Schema of the arguments (an object schema), or {@code null} for a tool that takes free text (the python
     * tool takes code): then the arguments are neither parsed nor validated. A schema of {@code "type": "string"}
     * also means free text, announced to the model as {@code (_: string) => any} (gpt-oss's {@code apply_patch}).
     */
    JsonNode parameters();

    /** Runs the tool. Arguments were already parsed and validated against {@link #parameters()}. */
    ToolResult execute(ToolArguments arguments);

    /**
     * For a tool that stands for a whole built-in namespace (as {@code python}): the namespace text the system
     * message shows, which may carry facts only the tool knows (its real timeout). {@code null} keeps the default.
     */
    default String namespaceDescription() {
        return null;
    }

    /**
     * The recipient the model writes after {@code to=}: {@code namespace.name}, or just the namespace for a tool
     * that is a whole namespace (name equal to namespace, as {@code python}).
     */
    default String recipient() {
        return namespace().equals(name()) ? name() : namespace() + "." + name();
    }
}
