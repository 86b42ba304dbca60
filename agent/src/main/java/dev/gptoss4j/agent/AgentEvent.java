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

    /**
     * A guardrail stopped the run ({@link StopReason#BLOCKED}).
     *
     * @param guardrail its name
     * @param stage     {@code input} (the user's message) or {@code output} (the final answer)
     * @param reason    why
     */
    record GuardrailBlocked(String guardrail, String stage, String reason) implements AgentEvent {}

    /** The approval of a call was put off: the run stops with {@link StopReason#SUSPENDED}. */
    record Suspended(PendingCall call) implements AgentEvent {}

    /** The conversation passed from one agent to another ({@code functions.transfer_to_NAME}). */
    record Handoff(String from, String to) implements AgentEvent {}

    /** A run began: {@code agent} is the agent's name. */
    record RunStarted(String agent) implements AgentEvent {}

    /**
     * One model call ended.
     *
     * @param agent            the agent that asked (changes after a handoff)
     * @param step             1 for the run's first call
     * @param promptTokens     the prompt's tokens (0 when the call failed before the backend counted them)
     * @param completionTokens tokens generated
     * @param duration         wall-clock time of the call
     * @param finish           {@code return}, {@code call}, {@code length}, {@code cancelled}, {@code malformed}
     *                         or {@code context_full}
     */
    record ModelCallFinished(
            String agent, int step, int promptTokens, int completionTokens, java.time.Duration duration, String finish)
            implements AgentEvent {}

    /** The run ended; the last event of every run that did not throw. */
    record RunFinished(AgentResult result) implements AgentEvent {}

    /** The run failed with {@code error} (the backend could not produce completions), which is thrown next. */
    record RunFailed(RuntimeException error) implements AgentEvent {}

    /** Token usage after a model call, added up over the run so far. */
    record UsageUpdate(Usage usage) implements AgentEvent {}
}
