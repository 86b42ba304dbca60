package dev.gptoss4j.agent.backend;

import java.util.OptionalInt;

/**
 * Where completions come from: the local engine (tokens through the harmony renderer and parser), a replay file,
 * a remote OpenAI-compatible server, a LangChain4j chat model. The agent loop does not know which one it drives.
 */
public interface Backend extends AutoCloseable {

    /**
     * Samples the assistant's next completion: one or more messages, up to {@code <|return|>} (a final answer) or
     * {@code <|call|>} (a tool call), streaming its pieces to {@code listener} as they come.
     *
     * @throws MalformedCompletionException when the model's output breaks the harmony format; the agent tells the
     *                                      model and asks again
     * @throws ContextOverflowException     when the prompt does not fit the context window; the agent stops with
     *                                      {@code CONTEXT_FULL}
     * @throws BackendException             when no completion can be had at all
     */
    Completion complete(CompletionRequest request, CompletionListener listener);

    /**
     * How many tokens the model sees at once, prompt and reply together: the local session's size, or what a
     * remote backend was configured with. Empty when not known; the agent then fits nothing and relies on the
     * backend reporting an overflow ({@link ContextOverflowException}).
     */
    default OptionalInt contextWindow() {
        return OptionalInt.empty();
    }

    /**
     * Whether {@link #complete} may be called from several threads at once (a remote server, an engine that
     * batches sessions). When false, agents running concurrently on this backend take turns: one model call at a
     * time, while their tools still run side by side.
     */
    default boolean concurrentCalls() {
        return false;
    }

    /** A short description for logs and errors ({@code replay:demo.txt}). */
    String describe();

    @Override
    default void close() {}
}
