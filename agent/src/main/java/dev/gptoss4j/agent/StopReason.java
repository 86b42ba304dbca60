package dev.gptoss4j.agent;

/** Why a whole agent run stopped (one generation of the engine ends for a {@code dev.gptoss4j.engine.FinishReason}). */
public enum StopReason {
    /** The model gave a final answer. */
    COMPLETED,
    /** The step limit (model calls) was reached before a final answer. */
    MAX_STEPS,
    /** The token limit was reached before a final answer. */
    MAX_TOKENS,
    /**
     * The conversation no longer fits the model's context window, even after the agent's context policy trimmed
     * what it could; the result's conversation is intact, to be shortened or summarized and run again.
     */
    CONTEXT_FULL,
    /** A guardrail blocked the user's message or the final answer; {@link AgentResult#stopDetail()} says why. */
    BLOCKED,
    /**
     * A tool call waits for approval ({@link dev.gptoss4j.agent.tool.Approval#suspend}); the call is the last message
     * of the conversation, and {@code Agent.resume} goes on with the decision.
     */
    SUSPENDED,
    /** {@link AgentRun#cancel()} was called. */
    CANCELLED,
    /**
     * The model kept producing unusable output (malformed completions, calls to unknown tools or with invalid
     * arguments, answers that do not parse) past {@code maxRetries} in a row.
     */
    TOO_MANY_ERRORS,
    /** Tools failed to do their work at all (timed out, crashed) past {@code maxToolFailures} in a row. */
    TOOL_FAILURES
}
