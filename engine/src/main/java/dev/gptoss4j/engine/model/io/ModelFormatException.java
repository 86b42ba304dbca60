package dev.gptoss4j.engine.model.io;

/**
 * A model file or directory that cannot be used: missing or malformed file, key or tensor. The message names
 * the file (and the key or tensor) and says what was expected, so a user can tell a damaged download from a
 * wrong path.
 */
public class ModelFormatException extends RuntimeException {

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
