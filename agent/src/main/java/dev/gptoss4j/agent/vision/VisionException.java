package dev.gptoss4j.agent.vision;

import dev.gptoss4j.agent.exception.AgentException;

/** A vision model could not answer; the message says why (never with the API key in it). */
public class VisionException extends AgentException {

    public VisionException(String message) {
        super(message);
    }

    public VisionException(String message, Throwable cause) {
        super(message, cause);
    }
}
