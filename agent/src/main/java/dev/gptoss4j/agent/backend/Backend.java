package dev.gptoss4j.agent.backend;

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
     * @throws BackendException             when no completion can be had at all
     */
    Completion complete(CompletionRequest request, CompletionListener listener);

    /** A short description for logs and errors ({@code replay:demo.txt}). */
    String describe();

    @Override
    default void close() {}
}
