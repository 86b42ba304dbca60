package dev.gptoss4j.agent.exception;

/**
 * A run could not go on for a reason the model cannot fix: the backend failed (a replay file ran out, the model
 * could not be loaded), or a typed answer was asked for and none could be had.
 */
public class AgentException extends RuntimeException {

    public AgentException(String message) {
        super(message);
    }

    public AgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
