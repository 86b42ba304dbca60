package dev.gptoss4j.agent.context;

import dev.gptoss4j.engine.harmony.Conversation;

/**
 * How an agent keeps the prompt inside the model's context window. Before each model call the agent hands the
 * conversation (earlier turns' analysis already dropped, as harmony prescribes) and the token budget for the prompt;
 * the policy returns what the model is shown, or {@code null} when it cannot fit, and the run stops with
 * {@code StopReason.CONTEXT_FULL}. Only what the model is shown changes: the run's conversation keeps every message.
 */
@FunctionalInterface
public interface ContextPolicy {

    /**
     * @param conversation    the conversation as the model would see it untrimmed
     * @param maxPromptTokens the most tokens its prompt may take
     * @param tokens          counts prompts and messages
     * @return the conversation to show, or {@code null} when nothing this policy does makes it fit
     */
    Fitted fit(Conversation conversation, int maxPromptTokens, PromptTokens tokens);

    /**
     * What the model is shown.
     *
     * @param conversation the (possibly trimmed) conversation
     * @param promptTokens its length as a prompt
     * @param trimmed      what was done to make it fit, for events and traces (empty when nothing was)
     */
    record Fitted(Conversation conversation, int promptTokens, String trimmed) {
        public boolean wasTrimmed() {
            return !trimmed.isEmpty();
        }
    }

    /**
     * The default: drop the current turn's older analysis, then shorten old tool results (oldest first, the newest
     * kept whole) to {@code keepChars} characters with a note, and give up only then.
     */
    static ContextPolicy trimming() {
        return new TrimmingPolicy(TrimmingPolicy.DEFAULT_KEEP_CHARS);
    }

    /** As {@link #trimming()}, keeping {@code keepChars} characters of each shortened tool result. */
    static ContextPolicy trimming(int keepChars) {
        return new TrimmingPolicy(keepChars);
    }

    /** Never trims: a prompt over the budget stops the run. */
    static ContextPolicy none() {
        return (conversation, max, tokens) -> {
            int n = tokens.count(conversation);
            return n <= max ? new Fitted(conversation, n, "") : null;
        };
    }
}
