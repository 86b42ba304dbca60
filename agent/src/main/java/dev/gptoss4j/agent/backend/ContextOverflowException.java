package dev.gptoss4j.agent.backend;

/**
 * The prompt does not fit the model's context window: the local session is full, or a server answered that the
 * request is longer than the model's context. The agent turns it into {@code StopReason.CONTEXT_FULL} with the
 * conversation intact, instead of failing the run.
 */
public class ContextOverflowException extends BackendException {

    private final int promptTokens;
    private final int contextWindow;

    /**
     * @param promptTokens  the prompt's length in tokens, or -1 when not known (a server's error text)
     * @param contextWindow the window in tokens, or -1 when not known
     */
    public ContextOverflowException(String message, int promptTokens, int contextWindow) {
        super(message);
        this.promptTokens = promptTokens;
        this.contextWindow = contextWindow;
    }

    public int promptTokens() {
        return promptTokens;
    }

    public int contextWindow() {
        return contextWindow;
    }
}
