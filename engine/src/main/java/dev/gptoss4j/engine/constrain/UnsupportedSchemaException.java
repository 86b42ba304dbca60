package dev.gptoss4j.engine.constrain;

/** A JSON Schema uses something constrained decoding cannot enforce; the message names the keyword and where. */
public final class UnsupportedSchemaException extends IllegalArgumentException {

    public UnsupportedSchemaException(String message) {
        super(message);
    }
}
