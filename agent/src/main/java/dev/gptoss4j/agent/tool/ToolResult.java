package dev.gptoss4j.agent.tool;

/**
 * What a tool hands back to the model.
 *
 * @param text  the result text shown to the model
 * @param error whether it reports a failure (the model sees the text either way and may retry)
 */
public record ToolResult(String text, boolean error) {

    public ToolResult {
        if (text == null) text = "";
    }

    public static ToolResult of(String text) {
        return new ToolResult(text, false);
    }

    public static ToolResult error(String text) {
        return new ToolResult(text, true);
    }
}
