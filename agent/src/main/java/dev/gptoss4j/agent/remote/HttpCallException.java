package dev.gptoss4j.agent.remote;

import dev.gptoss4j.agent.backend.BackendException;

/**
 * A call to a remote API failed for good (after any retries): an HTTP error, a timeout, a dropped connection, a
 * response that is not the JSON expected. The message names the endpoint and what went wrong, never the API key.
 */
public class HttpCallException extends BackendException {

    private final int status;

    public HttpCallException(String message, int status) {
        super(message);
        this.status = status;
    }

    public HttpCallException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status of the last response, or 0 when none came (connection failure, timeout, bad stream). */
    public int status() {
        return status;
    }
}
