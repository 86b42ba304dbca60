package dev.gptoss4j.engine;

/**
 * Why one generation ({@link Session#generate}) ended: the engine-level reason, as OpenAI's {@code finish_reason}
 * is. Not to be confused with {@code dev.gptoss4j.agent.StopReason}, why a whole agent run (many generations and
 * tool calls) stopped.
 */
public enum FinishReason {
    /** A stop token was generated (it is the last token of the result). */
    STOP_TOKEN,
    /** The requested number of tokens was generated. */
    MAX_TOKENS,
    /** The {@link Cancellation} was set. */
    CANCELLED,
    /** The session's context is full. */
    CONTEXT_FULL
}
