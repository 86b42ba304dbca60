package dev.gptoss4j.engine.harmony;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The text of structured system and developer content, laid out as openai/harmony lays it out (sections joined
 * by a blank line). The renderer tokenizes this text as ordinary text.
 */
final class PromptText {

    private PromptText() {}

    static String system(SystemContent sys, boolean conversationHasFunctionTools) {
        List<String> sections = new ArrayList<>();
        List<String> top = new ArrayList<>();
        if (sys.modelIdentity() != null) top.add(sys.modelIdentity());
        if (sys.knowledgeCutoff() != null) top.add("Knowledge cutoff: " + sys.knowledgeCutoff());
        if (sys.conversationStartDate() != null) top.add("Current date: " + sys.conversationStartDate());
        if (!top.isEmpty()) sections.add(String.join("\n", top));
        if (sys.reasoningEffort() != null)
            sections.add("Reasoning: " + sys.reasoningEffort().promptWord());
        if (!sys.tools().isEmpty()) sections.add(toolsSection(sys.tools()));
        ChannelConfig channels = sys.channelConfig();
        if (channels != null && !channels.validChannels().isEmpty()) {
            StringBuilder header = new StringBuilder("# Valid channels: ")
                    .append(String.join(", ", channels.validChannels()))
                    .append('.');
            if (channels.channelRequired()) header.append(" Channel must be included for every message.");
            if (conversationHasFunctionTools) {
                header.append("\nCalls to these tools must go to the commentary channel: 'functions'.");
            }
            sections.add(header.toString());
        }
        return String.join("\n\n", sections);
    }

    static String developer(DeveloperContent dev) {
        List<String> sections = new ArrayList<>();
        if (dev.instructions() != null) {
            sections.add("# Instructions");
            sections.add(dev.instructions());
        }
        if (!dev.tools().isEmpty()) sections.add(toolsSection(dev.tools()));
        if (!dev.responseFormats().isEmpty()) sections.add(responseFormats(dev.responseFormats()));
        return String.join("\n\n", sections);
    }

    static String toolsSection(Map<String, ToolNamespaceConfig> tools) {
        List<String> sections = new ArrayList<>();
        sections.add("# Tools");
        for (ToolNamespaceConfig ns : tools.values()) {
            List<String> lines = new ArrayList<>();
            lines.add("## " + ns.name() + "\n");
            boolean hasTools = !ns.tools().isEmpty();
            if (ns.description() != null) {
                for (String line : lines(ns.description())) lines.add(hasTools ? "// " + line : line);
            }
            if (hasTools) {
                lines.add("namespace " + ns.name() + " {\n");
                for (ToolDescription tool : ns.tools()) {
                    for (String line : lines(tool.description())) lines.add("// " + line);
                    if (tool.parametersView() != null) {
                        lines.add("type " + tool.name() + " = (_: " + SchemaTypeScript.render(tool.parametersView())
                                + ") => any;\n");
                    } else {
                        lines.add("type " + tool.name() + " = () => any;\n");
                    }
                }
                lines.add("} // namespace " + ns.name());
            }
            sections.add(String.join("\n", lines));
        }
        return String.join("\n\n", sections);
    }

    /** The structure docs/format.md gives: {@code ## name}, a comment with the description, the schema as JSON. */
    static String responseFormats(List<ResponseFormat> formats) {
        List<String> sections = new ArrayList<>();
        sections.add("# Response Formats");
        for (ResponseFormat f : formats) {
            StringBuilder sb = new StringBuilder("## ").append(f.name()).append("\n\n");
            if (f.description() != null) {
                for (String line : lines(f.description()))
                    sb.append("// ").append(line).append('\n');
            }
            sb.append(f.schemaView().toString());
            sections.add(sb.toString());
        }
        return String.join("\n\n", sections);
    }

    /**
     * Lines as Rust's {@code str::lines} yields them: split at {@code \n}, a trailing {@code \r} dropped, no final
     * empty line for text ending in a newline, nothing at all for empty text.
     */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl;
            String line = text.substring(start, end);
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            out.add(line);
            if (nl < 0) break;
            start = nl + 1;
        }
        return out;
    }
}
