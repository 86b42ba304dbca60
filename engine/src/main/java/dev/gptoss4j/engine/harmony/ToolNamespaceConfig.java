package dev.gptoss4j.engine.harmony;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * A namespace of tools ({@code functions}, {@code browser}, {@code python}): rendered as a {@code ## name} section
 * with a TypeScript-like {@code namespace name { ... }} of its tools.
 */
public record ToolNamespaceConfig(String name, String description, List<ToolDescription> tools) {

    public ToolNamespaceConfig {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) throw new IllegalArgumentException("a tool namespace needs a non-blank name");
        tools = List.copyOf(tools);
    }

    public static ToolNamespaceConfig of(String name, String description, List<ToolDescription> tools) {
        return new ToolNamespaceConfig(name, description, tools);
    }

    /** The namespace of developer-defined function tools. */
    public static ToolNamespaceConfig functions(List<ToolDescription> tools) {
        return new ToolNamespaceConfig("functions", null, tools);
    }

    // The built-in tools' texts are the ones gpt-oss was trained on (openai/harmony src/chat.rs); changing a
    // character changes what the model sees, so they are kept verbatim.

    /** The built-in browser tool (search, open, find). */
    public static ToolNamespaceConfig browser() {
        return new ToolNamespaceConfig(
                "browser",
                "Tool for browsing.\n"
                        + "The `cursor` appears in brackets before each browsing display: `[{cursor}]`.\n"
                        + "Cite information from the tool using the following format:\n"
                        + "`【{cursor}†L{line_start}(-L{line_end})?】`, for example: `【6†L9-L11】` or `【8†L3】`.\n"
                        + "Do not quote more than 10 words directly from the tool output.\n"
                        + "sources=web (default: web)",
                List.of(
                        ToolDescription.of(
                                "search",
                                "Searches for information related to `query` and displays `topn` results.",
                                object(props -> {
                                            props.set("query", type("string"));
                                            props.set("topn", type("number").put("default", 10));
                                            props.set("source", type("string"));
                                        })
                                        .set("required", array("query"))),
                        ToolDescription.of(
                                "open",
                                "Opens the link `id` from the page indicated by `cursor` starting at line number `loc`, showing `num_lines` lines.\n"
                                        + "Valid link ids are displayed with the formatting: `【{id}†.*】`.\n"
                                        + "If `cursor` is not provided, the most recent page is implied.\n"
                                        + "If `id` is a string, it is treated as a fully qualified URL associated with `source`.\n"
                                        + "If `loc` is not provided, the viewport will be positioned at the beginning of the document or centered on the most relevant passage, if available.\n"
                                        + "Use this function without `id` to scroll to a new location of an opened page.",
                                object(props -> {
                                    ObjectNode id = MAPPER.createObjectNode();
                                    id.set("type", array("number", "string"));
                                    id.put("default", -1);
                                    props.set("id", id);
                                    props.set("cursor", type("number").put("default", -1));
                                    props.set("loc", type("number").put("default", -1));
                                    props.set("num_lines", type("number").put("default", -1));
                                    props.set("view_source", type("boolean").put("default", false));
                                    props.set("source", type("string"));
                                })),
                        ToolDescription.of(
                                "find",
                                "Finds exact matches of `pattern` in the current page, or the page given by `cursor`.",
                                object(props -> {
                                            props.set("pattern", type("string"));
                                            props.set("cursor", type("number").put("default", -1));
                                        })
                                        .set("required", array("pattern")))));
    }

    /** The built-in python tool (a stateful Jupyter notebook). */
    public static ToolNamespaceConfig python() {
        return new ToolNamespaceConfig(
                "python",
                "Use this tool to execute Python code in your chain of thought. The code will not be shown to the user. "
                        + "This tool should be used for internal reasoning, but not for code that is intended to be visible to the user "
                        + "(e.g. when creating plots, tables, or files).\n\n"
                        + "When you send a message containing Python code to python, it will be executed in a stateful Jupyter notebook "
                        + "environment. python will respond with the output of the execution or time out after 120.0 seconds. "
                        + "The drive at '/mnt/data' can be used to save and persist user files. "
                        + "Internet access for this session is UNKNOWN. Depends on the cluster.",
                List.of());
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static ObjectNode object(java.util.function.Consumer<ObjectNode> properties) {
        ObjectNode schema = MAPPER.createObjectNode();
        schema.put("type", "object");
        ObjectNode props = MAPPER.createObjectNode();
        properties.accept(props);
        schema.set("properties", props);
        return schema;
    }

    private static ObjectNode type(String type) {
        return MAPPER.createObjectNode().put("type", type);
    }

    private static ArrayNode array(String... values) {
        ArrayNode a = MAPPER.createArrayNode();
        for (String v : values) a.add(v);
        return a;
    }
}
