package dev.gptoss4j.agent.tool;

import dev.gptoss4j.engine.harmony.ToolDescription;
import dev.gptoss4j.engine.harmony.ToolNamespaceConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How tools are announced in the prompt: function tools in the developer message, built-ins in the system one. */
public final class ToolDescriptions {

    private ToolDescriptions() {}

    /** The harmony descriptions of function tools. */
    public static List<ToolDescription> of(List<Tool> tools) {
        return tools.stream()
                .map(t -> ToolDescription.of(t.name(), t.description(), announced(t)))
                .toList();
    }

    /** The namespace text a tool of the namespace supplies itself, with the namespace's other tools. */
    private static ToolNamespaceConfig own(String ns, List<Tool> tools) {
        for (Tool t : tools) {
            if (t.namespaceDescription() != null) {
                return ToolNamespaceConfig.of(
                        ns,
                        t.namespaceDescription(),
                        tools.stream()
                                .filter(o -> !o.name().equals(ns))
                                .map(o -> ToolDescription.of(o.name(), o.description(), announced(o)))
                                .toList());
            }
        }
        return null;
    }

    /** A tool without arguments is announced as {@code () => any}, as gpt-oss was trained to see it. */
    private static com.fasterxml.jackson.databind.JsonNode announced(Tool t) {
        var p = t.parameters();
        boolean empty = p != null
                && p.path("properties").isObject()
                && p.path("properties").isEmpty()
                && !p.has("additionalProperties");
        return empty ? null : p;
    }

    /**
     * The namespaces of the tools outside {@code functions}. {@code browser} and {@code python} get the texts
     * gpt-oss was trained on; any other namespace is described from its tools.
     */
    public static List<ToolNamespaceConfig> builtIns(ToolSet tools) {
        Map<String, List<Tool>> byNamespace = new LinkedHashMap<>();
        for (Tool t : tools.all()) {
            if (!t.namespace().equals(Tool.FUNCTIONS)) {
                byNamespace
                        .computeIfAbsent(t.namespace(), k -> new ArrayList<>())
                        .add(t);
            }
        }
        List<ToolNamespaceConfig> out = new ArrayList<>();
        byNamespace.forEach((ns, list) -> out.add(
                own(ns, list) != null
                        ? own(ns, list)
                        : switch (ns) {
                            case "browser" -> ToolNamespaceConfig.browser();
                            case "python" -> ToolNamespaceConfig.python();
                            default ->
                                ToolNamespaceConfig.of(
                                        ns,
                                        null,
                                        list.stream()
                                                .filter(t -> !t.name().equals(ns))
                                                .map(t -> ToolDescription.of(t.name(), t.description(), announced(t)))
                                                .toList());
                        }));
        return out;
    }
}
