package dev.gptoss4j.serve.http;

/** Writing to the client failed: it closed the connection, so whatever it asked for should stop. */
public final class ClientGoneException extends RuntimeException {

    public ClientGoneException(Throwable cause) {
        super("the client closed the connection", cause);
    }
}
