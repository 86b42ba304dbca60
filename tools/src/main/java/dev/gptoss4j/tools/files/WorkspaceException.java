package dev.gptoss4j.tools.files;

/** A refused or failed workspace operation; the message names the path and says why, for the model to read. */
public class WorkspaceException extends RuntimeException {

    public WorkspaceException(String message) {
        super(message);
    }
}
