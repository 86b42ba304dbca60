package dev.gptoss4j.tools.browser;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gptoss4j.agent.tool.Tool;
import dev.gptoss4j.agent.tool.ToolArguments;
import dev.gptoss4j.agent.tool.ToolResult;
import dev.gptoss4j.engine.harmony.ToolDescription;
import dev.gptoss4j.engine.harmony.ToolNamespaceConfig;

/**
 * One of {@code browser.search}, {@code browser.open}, {@code browser.find}: the description and schema gpt-oss was
 * trained on (from {@link ToolNamespaceConfig#browser()}), calling into the conversation's {@link Browser} (one per
 * tool scope, made from the browser that made the tools). Failures come back
 * as error results with gpt-oss's texts; nothing is thrown.
 */
final class BrowserTool implements Tool {

    private final Browser browser;
    private final ToolDescription description;

    BrowserTool(Browser browser, String name) {
        this.browser = browser;
        this.description = ToolNamespaceConfig.browser().tools().stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no browser tool named " + name));
    }

    @Override
    public String namespace() {
        return "browser";
    }

    @Override
    public String name() {
        return description.name();
    }

    @Override
    public String description() {
        return description.description();
    }

    @Override
    public JsonNode parameters() {
        return description.parameters();
    }

    @Override
    public ToolResult execute(ToolArguments arguments) {
        JsonNode a =
                arguments.json() == null ? com.fasterxml.jackson.databind.node.NullNode.instance : arguments.json();
        Browser browser = this.browser.forScope(arguments.scope());
        try {
            return ToolResult.of(
                    switch (name()) {
                        case "search" ->
                            browser.search(
                                    a.path("query").asText(""),
                                    integer(a.has("topn") ? a.get("topn") : a.get("top_n"), 10));
                        case "open" ->
                            browser.open(
                                    id(a.get("id")),
                                    integer(a.get("cursor"), -1),
                                    integer(a.get("loc"), -1),
                                    integer(a.get("num_lines"), -1),
                                    a.path("view_source").asBoolean(false));
                        case "find" -> browser.find(a.path("pattern").asText(""), integer(a.get("cursor"), -1));
                        default -> throw new IllegalStateException(name());
                    });
        } catch (BrowserException e) {
            return ToolResult.error(e.getMessage());
        }
    }

    /** A link id (a number, or digits in a string) or a URL. */
    private static Object id(JsonNode n) {
        if (n == null || n.isNull()) return -1;
        if (n.isNumber()) return clamp(n.asDouble());
        String s = n.asText().strip();
        if (s.matches("-?\\d{1,9}")) return Integer.parseInt(s);
        return s;
    }

    private static int integer(JsonNode n, int absent) {
        if (n == null || n.isNull()) return absent;
        if (n.isNumber()) return clamp(n.asDouble());
        String s = n.asText().strip();
        try {
            return clamp(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            throw new BrowserException("`" + s + "` is not a number.");
        }
    }

    private static int clamp(double d) {
        return (int) Math.max(Integer.MIN_VALUE / 2, Math.min(Integer.MAX_VALUE / 2, d));
    }
}
