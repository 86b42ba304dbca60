package dev.gptoss4j.agent.tool;

/**
 * What a tool hands back to the model.
 *
 * @param text the result text shown to the model
 * @param kind whether the tool did its work, reported an error in it, or could not do it at all
 */
public record ToolResult(String text, Kind kind) {

    /**
     * How a call went, from the tool's side. The agent treats them differently: an {@link #ERROR} (a traceback, a
     * refused operation) is an ordinary result the model reads and goes on from; {@link #TIMED_OUT} and
     * {@link #CRASHED} are failures of the tool's machinery, bounded by their own budget
     * ({@code Agent.Builder.maxToolFailures}).
     */
    public enum Kind {
        /** The tool did its work. */
        OK,
        /** The work failed in an ordinary way (the code raised, the file does not exist); the model may fix it. */
        ERROR,
        /** The tool stopped the work at its own time limit. */
        TIMED_OUT,
        /** The tool's machinery failed (a sandbox that died, a resource that is gone), not the work asked of it. */
        CRASHED
    }

    public ToolResult {
        if (text == null) text = "";
        if (kind == null) kind = Kind.OK;
    }

    /** A result or an ordinary error. */
    public ToolResult(String text, boolean error) {
        this(text, error ? Kind.ERROR : Kind.OK);
    }

    /** Whether it reports a failure of any kind (the model sees the text either way). */
    public boolean error() {
        return kind != Kind.OK;
    }

    public static ToolResult of(String text) {
        return new ToolResult(text, Kind.OK);
    }

    public static ToolResult error(String text) {
        return new ToolResult(text, Kind.ERROR);
    }

    public static ToolResult timedOut(String text) {
        return new ToolResult(text, Kind.TIMED_OUT);
    }

    public static ToolResult crashed(String text) {
        return new ToolResult(text, Kind.CRASHED);
    }
}
