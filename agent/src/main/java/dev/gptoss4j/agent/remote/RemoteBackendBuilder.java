package dev.gptoss4j.agent.remote;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * The settings every remote backend is built from: where the server is, how to authenticate, which model, and
 * extra request fields. Each backend's own builder adds what only it has.
 *
 * @param <B> the concrete builder, so that the calls chain
 */
public abstract sealed class RemoteBackendBuilder<B extends RemoteBackendBuilder<B>>
        permits ChatCompletionsBackend.Builder, CompletionsBackend.Builder {

    private String baseUrl;
    private String apiKey;
    private String model;
    private HttpSettings settings = HttpSettings.defaults();
    private int contextWindow;
    private final ObjectNode parameters = OpenAiClient.JSON.createObjectNode();

    RemoteBackendBuilder() {}

    /** The API root, such as {@code http://localhost:8000/v1} (vLLM) or {@code http://localhost:11434/v1}. */
    public B baseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
        return self();
    }

    /** Bearer token; leave unset for servers without authentication. */
    public B apiKey(String apiKey) {
        this.apiKey = apiKey;
        return self();
    }

    public B model(String model) {
        this.model = model;
        return self();
    }

    public B settings(HttpSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        return self();
    }

    /**
     * The served model's context window in tokens (vLLM's {@code --max-model-len}, Ollama's {@code num_ctx}), so
     * that the agent can fit its prompts; unset, the agent relies on the server's answer when a prompt is too
     * long (an HTTP 400 about the context length, reported as a {@code ContextOverflowException}).
     */
    public B contextWindow(int tokens) {
        if (tokens <= 0) throw new IllegalArgumentException("contextWindow must be positive, got " + tokens);
        this.contextWindow = tokens;
        return self();
    }

    /** An extra request field ({@code temperature}, {@code top_p}, {@code seed}...). */
    public B parameter(String name, Object value) {
        parameters.set(name, OpenAiClient.JSON.valueToTree(value));
        return self();
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The endpoint these settings name; {@code backend} words the error when no model is named. */
    StreamingEndpoint endpoint(String backend) {
        return new StreamingEndpoint(backend, baseUrl, apiKey, model, settings, parameters, contextWindow);
    }
}
