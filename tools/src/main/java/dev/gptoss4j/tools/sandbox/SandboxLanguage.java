package dev.gptoss4j.tools.sandbox;

/** The guest languages the sandbox runs. */
public enum SandboxLanguage {
    PYTHON("python", "python"),
    JAVASCRIPT("js", "javascript");

    private final String polyglotId;
    private final String toolName;

    SandboxLanguage(String polyglotId, String toolName) {
        this.polyglotId = polyglotId;
        this.toolName = toolName;
    }

    /** The GraalVM Polyglot language id ("python", "js"). */
    public String polyglotId() {
        return polyglotId;
    }

    /** The tool name the model calls ("python", "javascript"). */
    public String toolName() {
        return toolName;
    }
}
