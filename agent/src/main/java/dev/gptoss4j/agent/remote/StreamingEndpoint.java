package dev.gptoss4j.agent.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.agent.backend.CompletionRequest;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * One model on an OpenAI-style server, asked for streamed replies: the request plumbing the remote backends share,
 * so that their requests carry the same streaming fields and their failures are worded alike.
 */
final class StreamingEndpoint {

    private final OpenAiClient client;
    private final String model;
    private final ObjectNode parameters;
    private final int contextWindow;

    StreamingEndpoint(
            String backend,
            String baseUrl,
            String apiKey,
            String model,
            HttpSettings settings,
            ObjectNode parameters,
            int contextWindow) {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("a " + backend + " needs a model name");
        }
        this.client = new OpenAiClient(baseUrl, apiKey, settings);
        this.model = model;
        this.parameters = parameters.deepCopy();
        this.contextWindow = contextWindow;
    }

    /** The window the builder was told, empty when it was not. */
    OptionalInt contextWindow() {
        return contextWindow > 0 ? OptionalInt.of(contextWindow) : OptionalInt.empty();
    }

    /** A request body for the model, streamed, with the usage reported at the end of the stream. */
    ObjectNode streamingBody() {
        ObjectNode body = OpenAiClient.JSON.createObjectNode();
        body.put("model", model);
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        return body;
    }

    /**
     * Sends {@code body}, with the builder's extra fields laid over it last (so they can override anything), and
     * hands each event to {@code onEvent} until the stream ends or the request is cancelled.
     */
    OpenAiClient.StreamEnd stream(String path, ObjectNode body, CompletionRequest request, Consumer<JsonNode> onEvent) {
        body.setAll(parameters);
        return client.stream(path, body, request.cancelled(), onEvent);
    }

    /** The stream ended without saying why; {@code received} says how far it got ("3 events", "12 tokens"). */
    HttpCallException endedEarly(String path, String received) {
        return new HttpCallException(
                "the stream from " + client.baseUrl() + path + " ended after " + received
                        + " without a finish_reason: the connection dropped or the server stopped mid-reply",
                0);
    }

    /** {@code api}, the server and the model, as a backend describes itself. */
    String describe(String api) {
        return api + " " + client.baseUrl() + " (" + model + ")";
    }

    /** The request fields besides the conversation, for tests and debugging. */
    JsonNode parameters() {
        return parameters;
    }
}
