package dev.gptoss4j.agent.tool;

/** A tool could not do what was asked; its message goes to the model as the tool's result. */
public class ToolException extends RuntimeException {

    public ToolException(String message) {
        super(message);
    }

    public ToolException(String message, Throwable cause) {
        super(message, cause);
    }
}
