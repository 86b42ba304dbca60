package dev.gptoss4j.agent;

/** Why a whole agent run stopped (one generation of the engine ends for a {@code dev.gptoss4j.engine.FinishReason}). */
public enum StopReason {
    /** The model gave a final answer. */
    COMPLETED,
    /** The step limit (model calls) was reached before a final answer. */
    MAX_STEPS,
    /** The token limit was reached before a final answer. */
    MAX_TOKENS,
    /** {@link AgentRun#cancel()} was called. */
    CANCELLED,
    /** The model kept producing unusable output (malformed completions, failing calls) past the retry limit. */
    TOO_MANY_ERRORS
}
