package dev.gptoss4j.agent.backend;

import dev.gptoss4j.agent.exception.AgentException;

/** The backend cannot produce a completion at all (a replay file ran out, the model could not run). */
public class BackendException extends AgentException {

    public BackendException(String message) {
        super(message);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
