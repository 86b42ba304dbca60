package dev.gptoss4j.engine;

/** Why a generation ended. */
public enum StopReason {
    /** A stop token was generated (it is the last token of the result). */
    STOP_TOKEN,
    /** The requested number of tokens was generated. */
    MAX_TOKENS,
    /** The {@link Cancellation} was set. */
    CANCELLED,
    /** The session's context is full. */
    CONTEXT_FULL
}
