package dev.gptoss4j.tools.browser;

/**
 * A browsing failure whose message is meant for the model (a bad cursor, a page that could not be fetched). The
 * browser tools hand it back as the tool result; it never leaves the agent loop.
 */
public class BrowserException extends RuntimeException {

    public BrowserException(String message) {
        super(message);
    }

    public BrowserException(String message, Throwable cause) {
        super(message, cause);
    }
}
