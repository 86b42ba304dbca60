package dev.gptoss4j.engine.harmony;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The content of the developer message (what other APIs call the system prompt): instructions, function tools
 * (namespace {@code functions}) and structured-output response formats.
 */
public record DeveloperContent(
        String instructions, SortedMap<String, ToolNamespaceConfig> tools, List<ResponseFormat> responseFormats)
        implements Content {

    public DeveloperContent {
        tools = tools == null ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(new TreeMap<>(tools));
        responseFormats = responseFormats == null ? List.of() : List.copyOf(responseFormats);
    }

    public static DeveloperContent instructions(String instructions) {
        return builder().instructions(instructions).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.instructions = instructions;
        b.tools.putAll(tools);
        b.responseFormats.addAll(responseFormats);
        return b;
    }

    /** The function tools (namespace {@code functions}), empty when there are none. */
    public List<ToolDescription> functionTools() {
        ToolNamespaceConfig functions = tools.get("functions");
        return functions == null ? List.of() : functions.tools();
    }

    public static final class Builder {
        private String instructions;
        private final TreeMap<String, ToolNamespaceConfig> tools = new TreeMap<>();
        private final List<ResponseFormat> responseFormats = new ArrayList<>();

        private Builder() {}

        public Builder instructions(String instructions) {
            this.instructions = instructions;
            return this;
        }

        /** Sets the function tools (namespace {@code functions}), replacing any set before. */
        public Builder functionTools(List<ToolDescription> functions) {
            return tool(ToolNamespaceConfig.functions(functions));
        }

        /** Adds one function tool to namespace {@code functions}. */
        public Builder functionTool(ToolDescription function) {
            ToolNamespaceConfig current = tools.get("functions");
            List<ToolDescription> list = new ArrayList<>(current == null ? List.of() : current.tools());
            list.add(function);
            return functionTools(list);
        }

        /** Adds (or replaces, by name) a tool namespace. */
        public Builder tool(ToolNamespaceConfig namespace) {
            tools.put(namespace.name(), namespace);
            return this;
        }

        public Builder tools(Map<String, ToolNamespaceConfig> namespaces) {
            tools.clear();
            if (namespaces != null) tools.putAll(namespaces);
            return this;
        }

        public Builder responseFormat(ResponseFormat format) {
            responseFormats.add(format);
            return this;
        }

        public DeveloperContent build() {
            return new DeveloperContent(instructions, tools, responseFormats);
        }
    }
}
