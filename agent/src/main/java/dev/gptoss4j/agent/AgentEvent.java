package dev.gptoss4j.agent;

/**
 * What an {@link AgentListener} sees while a run streams: text deltas per channel, tool calls as they form and
 * finish, recoverable errors and usage. Deltas arrive in model order, on the thread running the agent.
 */
public sealed interface AgentEvent {

    /** A piece of the model's chain of thought (the {@code analysis} channel); not for end users. */
    record ReasoningDelta(String text) implements AgentEvent {}

    /** A piece of a user-visible preamble on the {@code commentary} channel (not addressed to a tool). */
    record CommentaryDelta(String text) implements AgentEvent {}

    /** A piece of the final answer. */
    record FinalDelta(String text) implements AgentEvent {}

    /** The model began addressing a tool; its arguments follow as {@link ToolArgumentsDelta}s. */
    record ToolCallStarted(String recipient, String channel) implements AgentEvent {}

    /** A piece of the arguments of the tool call being written. */
    record ToolArgumentsDelta(String recipient, String text) implements AgentEvent {}

    /** A tool call finished (or was refused); its result has been handed to the model. */
    record ToolCallFinished(ToolCall call) implements AgentEvent {}

    /**
     * Something went wrong that the model is told about and may correct (malformed output, invalid structured
     * answer); tool failures come as {@link ToolCallFinished} with a failed status instead.
     *
     * @param attempt how many recoverable errors in a row so far
     */
    record Error(String message, int attempt) implements AgentEvent {}

    /**
     * The prompt was trimmed to fit the context window before a model call (the run's conversation keeps every
     * message; only what the model was shown changed).
     *
     * @param what   what was dropped or shortened, with the prompt's size before and after
     * @param window the context window in tokens
     */
    record ContextTrimmed(String what, int window) implements AgentEvent {}

    /** Token usage after a model call, added up over the run so far. */
    record UsageUpdate(Usage usage) implements AgentEvent {}
}
