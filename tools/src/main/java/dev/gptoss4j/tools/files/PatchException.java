package dev.gptoss4j.tools.files;

/** A patch that cannot be parsed or applied; the message names the file and hunk. Nothing was changed. */
public final class PatchException extends WorkspaceException {

    public PatchException(String message) {
        super(message);
    }
}
