package dev.gptoss4j.agent.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.backend.Completion;
import dev.gptoss4j.agent.backend.CompletionListener;
import dev.gptoss4j.agent.backend.CompletionRequest;
import dev.gptoss4j.agent.backend.ToolChoice;
import dev.gptoss4j.engine.harmony.HarmonyRenderer;
import java.util.Objects;

/**
 * A remote model behind an OpenAI-compatible {@code /v1/chat/completions} endpoint (vLLM, Ollama, OpenAI,
 * OpenRouter...), streamed. The server renders the harmony prompt and parses the model's output; this backend maps
 * the conversation to chat messages ({@link ChatMessages}) and the streamed reply back to harmony messages
 * ({@link ChatStream}), so the agent loop sees the same completions as from the local engine.
 *
 * <p>Only {@code functions.*} tools cross over (the Chat Completions API has no built-in browser or python
 * namespaces); for those, or for token-exact control, use {@link CompletionsBackend}. Usage comes from the server
 * when it reports it ({@code stream_options.include_usage}), else it is estimated with the o200k tokenizer.
 *
 * <pre>{@code
 * Backend backend = ChatCompletionsBackend.builder()
 *     .baseUrl("http://localhost:8000/v1").model("openai/gpt-oss-20b").build();
 * }</pre>
 */
public final class ChatCompletionsBackend implements Backend {

    private static final String PATH = "/chat/completions";

    private final StreamingEndpoint endpoint;
    private final String reasoningField;
    private final String maxTokensField;
    private final boolean sendReasoningEffort;
    private final HarmonyRenderer renderer = HarmonyRenderer.create();

    private ChatCompletionsBackend(Builder b) {
        this.endpoint = b.endpoint("chat completions backend");
        this.reasoningField = b.reasoningField;
        this.maxTokensField = b.maxTokensField;
        this.sendReasoningEffort = b.sendReasoningEffort;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Completion complete(CompletionRequest request, CompletionListener listener) {
        ChatMessages.Mapped mapped = ChatMessages.map(request.conversation(), reasoningField);
        ObjectNode body = endpoint.streamingBody();
        body.set("messages", mapped.messages());
        body.put(maxTokensField, request.maxTokens());
        if (!mapped.tools().isEmpty()) {
            body.set("tools", mapped.tools());
            body.put("parallel_tool_calls", false);
            if (request.toolChoice().mode() != ToolChoice.Mode.AUTO) body.set("tool_choice", toolChoice(request));
        }
        if (sendReasoningEffort && mapped.effort() != null)
            body.put("reasoning_effort", mapped.effort().promptWord());
        if (mapped.responseFormat() != null)
            body.set("response_format", ChatMessages.responseFormat(mapped.responseFormat()));

        ChatStream stream = new ChatStream(listener);
        OpenAiClient.StreamEnd end = endpoint.stream(PATH, body, request, stream::accept);
        if (end == OpenAiClient.StreamEnd.CANCELLED) {
            return stream.cancelled(promptEstimate(request), completionEstimate(stream));
        }
        if (!stream.finished()) {
            if (request.cancelled().getAsBoolean()) {
                return stream.cancelled(promptEstimate(request), completionEstimate(stream));
            }
            throw endpoint.endedEarly(PATH, stream.events() + " event" + (stream.events() == 1 ? "" : "s"));
        }
        return stream.complete(promptEstimate(request), completionEstimate(stream));
    }

    /** The call's {@link ToolChoice} as the Chat Completions API spells it. */
    private static JsonNode toolChoice(CompletionRequest request) {
        var json = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        return switch (request.toolChoice().mode()) {
            case AUTO -> json.textNode("auto");
            case NONE -> json.textNode("none");
            case REQUIRED -> json.textNode("required");
            case FUNCTION -> {
                ObjectNode choice = json.objectNode().put("type", "function");
                choice.putObject("function").put("name", request.toolChoice().function());
                yield choice;
            }
        };
    }

    private int promptEstimate(CompletionRequest request) {
        return renderer.renderForCompletion(request.conversation()).length;
    }

    private int completionEstimate(ChatStream stream) {
        return renderer.tokenizer().encode(stream.generatedText()).length;
    }

    /** Each call is its own HTTP request: concurrent runs share the backend freely. */
    @Override
    public boolean concurrentCalls() {
        return true;
    }

    @Override
    public java.util.OptionalInt contextWindow() {
        return endpoint.contextWindow();
    }

    @Override
    public String describe() {
        return endpoint.describe("chat completions");
    }

    public static final class Builder extends RemoteBackendBuilder<Builder> {
        private String reasoningField = "reasoning_content";
        private String maxTokensField = "max_tokens";
        private boolean sendReasoningEffort = true;

        private Builder() {}

        /**
         * The assistant-message field that hands the current turn's chain of thought back to the server:
         * {@code reasoning_content} (vLLM, default), {@code reasoning} (Ollama, OpenRouter), or {@code null} for
         * servers that reject unknown fields. Replies are read from either field.
         */
        public Builder reasoningField(String field) {
            this.reasoningField = field;
            return this;
        }

        /** {@code max_tokens} (default) or {@code max_completion_tokens} (OpenAI's reasoning models). */
        public Builder maxTokensField(String field) {
            this.maxTokensField = Objects.requireNonNull(field, "field");
            return this;
        }

        /** Whether to send {@code reasoning_effort} from the system message (default true). */
        public Builder sendReasoningEffort(boolean send) {
            this.sendReasoningEffort = send;
            return this;
        }

        public ChatCompletionsBackend build() {
            return new ChatCompletionsBackend(this);
        }
    }

    /** The request fields besides the conversation, for tests and debugging. */
    JsonNode parameters() {
        return endpoint.parameters();
    }
}
