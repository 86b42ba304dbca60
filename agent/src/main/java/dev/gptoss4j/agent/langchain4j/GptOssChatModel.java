package dev.gptoss4j.agent.langchain4j;

import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.backend.Completion;
import dev.gptoss4j.agent.backend.CompletionListener;
import dev.gptoss4j.agent.backend.CompletionRequest;
import dev.gptoss4j.agent.backend.LocalEngineBackend;
import dev.gptoss4j.agent.backend.SamplingParameters;
import dev.gptoss4j.engine.GptOss;
import dev.gptoss4j.engine.SessionOptions;
import dev.gptoss4j.engine.harmony.Channel;
import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.MessageHeader;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.engine.sampling.SamplerConfig;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * gpt-oss as a LangChain4j {@link ChatModel} and {@link StreamingChatModel}, over any of our {@link Backend}s (the
 * local engine, a replay, a remote server). Requests are rendered as harmony conversations ({@link HarmonyPrompt}),
 * completions read back as {@link AiMessage}s: analysis becomes {@link AiMessage#thinking()}, a call to
 * {@code functions.NAME} a {@link ToolExecutionRequest} with a generated id, the final channel the text.
 *
 * <pre>{@code
 * GptOssChatModel model = GptOssChatModel.builder()
 *     .modelPath(Path.of("gpt-oss-20b"))          // or .model(gptOss), or .backend(anyBackend)
 *     .reasoningEffort(ReasoningEffort.LOW)
 *     .build();
 * Assistant bot = AiServices.builder(Assistant.class).chatModel(model).tools(new MyTools()).build();
 * }</pre>
 *
 * <p>Streaming runs on the calling thread: {@code chat(request, handler)} returns after
 * {@link StreamingChatResponseHandler#onCompleteResponse} or {@code onError}. One call at a time reaches the backend
 * (the local engine keeps one KV cache); concurrent calls wait. A JSON-schema response format is announced to the
 * model in the harmony developer message, but sampling is not constrained to it yet: the model is asked, not forced.
 * {@link dev.langchain4j.model.chat.request.ToolChoice#REQUIRED} is likewise a request in the instructions.
 */
public final class GptOssChatModel implements ChatModel, StreamingChatModel, AutoCloseable {

    /** Tokens one call may generate when the request sets no {@code maxOutputTokens}. */
    public static final int DEFAULT_MAX_OUTPUT_TOKENS = 8192;

    private final Backend backend;
    private final boolean ownsBackend;
    private final GptOssChatRequestParameters defaults;
    private final String modelIdentity;
    private final String conversationStartDate;
    private final List<ChatModelListener> listeners;
    private final ReentrantLock lock = new ReentrantLock();

    private GptOssChatModel(Builder b, Backend backend, boolean ownsBackend) {
        this.backend = backend;
        this.ownsBackend = ownsBackend;
        GptOssChatRequestParameters.Builder params = GptOssChatRequestParameters.builder()
                .modelName("gpt-oss")
                .reasoningEffort(ReasoningEffort.MEDIUM)
                .maxOutputTokens(DEFAULT_MAX_OUTPUT_TOKENS);
        if (b.parameters != null) params.overrideWith(b.parameters);
        params.overrideWith(b.overrides.build());
        this.defaults = params.build();
        this.modelIdentity = b.modelIdentity;
        this.conversationStartDate = b.conversationStartDate;
        this.listeners = List.copyOf(b.listeners);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        return generate(request, null);
    }

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        Objects.requireNonNull(handler, "handler");
        ChatResponse response;
        try {
            response = generate(request, handler);
        } catch (RuntimeException | Error e) {
            handler.onError(e);
            return;
        }
        handler.onCompleteResponse(response);
    }

    @Override
    public GptOssChatRequestParameters defaultRequestParameters() {
        return defaults;
    }

    @Override
    public List<ChatModelListener> listeners() {
        return listeners;
    }

    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    /** JSON-schema response formats are announced to the model (not yet enforced while sampling). */
    @Override
    public Set<Capability> supportedCapabilities() {
        return Set.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
    }

    /** The backend completions come from. */
    public Backend backend() {
        return backend;
    }

    /** Closes the backend when this model created it ({@link Builder#model}, {@link Builder#modelPath}). */
    @Override
    public void close() {
        if (ownsBackend) backend.close();
    }

    private ChatResponse generate(ChatRequest request, StreamingChatResponseHandler handler) {
        // chat() already merged our defaults in; doChat called directly has not, and merging twice changes nothing
        ChatRequestParameters params = defaults.overrideWith(request.parameters());
        GptOssChatRequestParameters gpt = (GptOssChatRequestParameters) params;
        ReasoningEffort effort = gpt.reasoningEffort() != null ? gpt.reasoningEffort() : ReasoningEffort.MEDIUM;
        String date = conversationStartDate != null
                ? conversationStartDate
                : LocalDate.now().toString();
        Conversation conversation = HarmonyPrompt.of(request.messages(), params, effort, modelIdentity, date);
        int maxTokens = params.maxOutputTokens() != null ? params.maxOutputTokens() : DEFAULT_MAX_OUTPUT_TOKENS;
        if (maxTokens <= 0) throw new IllegalArgumentException("maxOutputTokens must be positive, got " + maxTokens);
        SamplingParameters sampling = new SamplingParameters(
                params.temperature(),
                params.topP(),
                params.topK(),
                params.presencePenalty(),
                params.frequencyPenalty(),
                gpt.seed());

        Stream stream = new Stream(handler, new StopSequences(params.stopSequences()));
        Completion completion;
        lock.lock();
        try {
            completion = backend.complete(
                    new CompletionRequest(conversation, maxTokens, stream.cancelled::get, sampling), stream);
        } finally {
            lock.unlock();
        }
        String rest = stream.stops.flush();
        if (handler != null && !rest.isEmpty() && !stream.handle.isCancelled()) {
            handler.onPartialResponse(new PartialResponse(rest), new PartialResponseContext(stream.handle));
        }
        return response(completion, stream, params.modelName());
    }

    private static ChatResponse response(Completion completion, Stream stream, String modelName) {
        List<String> thinking = new ArrayList<>();
        List<ToolExecutionRequest> calls = new ArrayList<>();
        String preamble = null;
        int call = 0;
        for (Message m : completion.messages()) {
            if (m.recipient() != null) {
                String id = call < stream.callIds.size() ? stream.callIds.get(call) : newCallId();
                calls.add(ToolExecutionRequest.builder()
                        .id(id)
                        .name(toolName(m.recipient()))
                        .arguments(m.text())
                        .build());
                call++;
            } else if (Channel.ANALYSIS.equals(m.channel())) {
                thinking.add(m.text());
            } else if (Channel.COMMENTARY.equals(m.channel())) {
                preamble = preamble == null ? m.text() : preamble + "\n" + m.text();
            }
        }
        // the answer as it streamed: complete, cut at a stop sequence, or cut off by the token limit
        String text = stream.sawFinal ? stream.stops.text() : calls.isEmpty() ? null : preamble;
        FinishReason finish = stream.stops.stopped()
                ? FinishReason.STOP
                : switch (completion.finish()) {
                    case RETURN -> FinishReason.STOP;
                    case CALL -> FinishReason.TOOL_EXECUTION;
                    case LENGTH -> FinishReason.LENGTH;
                    case CANCELLED -> FinishReason.OTHER;
                };
        AiMessage ai = AiMessage.builder()
                .text(text)
                .thinking(thinking.isEmpty() ? null : String.join("\n", thinking))
                .toolExecutionRequests(calls)
                .build();
        return ChatResponse.builder()
                .aiMessage(ai)
                .metadata(ChatResponseMetadata.builder()
                        .id("gptoss-" + UUID.randomUUID())
                        .modelName(modelName)
                        .tokenUsage(new TokenUsage(completion.promptTokens(), completion.completionTokens()))
                        .finishReason(finish)
                        .build())
                .build();
    }

    /** {@code functions.get_weather} is tool {@code get_weather}; other namespaces keep their prefix. */
    static String toolName(String recipient) {
        String r = recipient.strip();
        int space = r.indexOf(' ');
        if (space > 0) r = r.substring(0, space); // a content type the model wrote into the recipient
        return r.startsWith("functions.") ? r.substring("functions.".length()) : r;
    }

    static String newCallId() {
        return "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    /** Turns the backend's per-message stream into LangChain4j's partial thinking, answer and tool-call events. */
    private static final class Stream implements CompletionListener {
        final StreamingChatResponseHandler handler;
        final StopSequences stops;
        final AtomicBoolean cancelled = new AtomicBoolean();
        final List<String> callIds = new ArrayList<>();
        final StreamingHandle handle = new StreamingHandle() {
            @Override
            public void cancel() {
                cancelled.set(true);
            }

            @Override
            public boolean isCancelled() {
                return cancelled.get();
            }
        };
        boolean sawFinal;

        Stream(StreamingChatResponseHandler handler, StopSequences stops) {
            this.handler = handler;
            this.stops = stops;
        }

        @Override
        public void onMessageStart(MessageHeader header) {
            if (header.recipient() != null) callIds.add(newCallId());
            if (isFinal(header)) sawFinal = true;
        }

        @Override
        public void onContentDelta(MessageHeader header, String delta) {
            if (delta.isEmpty() || cancelled.get()) return;
            if (isFinal(header)) {
                String safe = stops.accept(delta);
                if (stops.stopped()) cancelled.set(true);
                if (handler != null && !safe.isEmpty()) {
                    handler.onPartialResponse(new PartialResponse(safe), new PartialResponseContext(handle));
                }
            } else if (handler == null) {
                return;
            } else if (header.recipient() != null) {
                handler.onPartialToolCall(
                        PartialToolCall.builder()
                                .index(callIds.size() - 1)
                                .id(callIds.getLast())
                                .name(toolName(header.recipient()))
                                .partialArguments(delta)
                                .build(),
                        new PartialToolCallContext(handle));
            } else if (Channel.ANALYSIS.equals(header.channel())) {
                handler.onPartialThinking(new PartialThinking(delta), new PartialThinkingContext(handle));
            }
        }

        @Override
        public void onMessageEnd(Message message) {
            if (handler != null && message.recipient() != null && !callIds.isEmpty()) {
                handler.onCompleteToolCall(new CompleteToolCall(
                        callIds.size() - 1,
                        ToolExecutionRequest.builder()
                                .id(callIds.getLast())
                                .name(toolName(message.recipient()))
                                .arguments(message.text())
                                .build()));
            }
        }

        private static boolean isFinal(MessageHeader header) {
            return header.recipient() == null && Channel.FINAL.equals(header.channel());
        }
    }

    public static final class Builder {
        private Backend backend;
        private GptOss model;
        private Path modelPath;
        private SamplerConfig samplerConfig;
        private SessionOptions sessionOptions;
        private ChatRequestParameters parameters;
        private final GptOssChatRequestParameters.Builder overrides = GptOssChatRequestParameters.builder();
        private String modelIdentity;
        private String conversationStartDate;
        private final List<ChatModelListener> listeners = new ArrayList<>();

        private Builder() {}

        /** Completions from any backend (a replay, a remote server...); left open by {@link #close()}. */
        public Builder backend(Backend backend) {
            this.backend = backend;
            return this;
        }

        /** Completions from the local engine on an already loaded model; the model stays open. */
        public Builder model(GptOss model) {
            this.model = model;
            return this;
        }

        /** Loads a model (GGUF file or checkpoint directory) for this chat model; closed with it. */
        public Builder modelPath(Path path) {
            this.modelPath = path;
            return this;
        }

        /** The local engine's sampler, before per-request overrides (temperature 1, top-p 1 by default). */
        public Builder samplerConfig(SamplerConfig config) {
            this.samplerConfig = config;
            return this;
        }

        /** The local engine's session (context length, threads). */
        public Builder sessionOptions(SessionOptions options) {
            this.sessionOptions = options;
            return this;
        }

        /** Default request parameters; the setters below win over them. */
        public Builder defaultRequestParameters(ChatRequestParameters parameters) {
            this.parameters = parameters;
            return this;
        }

        public Builder reasoningEffort(ReasoningEffort effort) {
            overrides.reasoningEffort(effort);
            return this;
        }

        public Builder temperature(Double temperature) {
            overrides.temperature(temperature);
            return this;
        }

        public Builder topP(Double topP) {
            overrides.topP(topP);
            return this;
        }

        public Builder topK(Integer topK) {
            overrides.topK(topK);
            return this;
        }

        public Builder seed(Long seed) {
            overrides.seed(seed);
            return this;
        }

        public Builder maxOutputTokens(Integer max) {
            overrides.maxOutputTokens(max);
            return this;
        }

        public Builder stopSequences(List<String> stops) {
            overrides.stopSequences(stops);
            return this;
        }
        /** The name reported in responses ({@code gpt-oss} by default). */
        public Builder modelName(String name) {
            overrides.modelName(name);
            return this;
        }

        /** Overrides the model identity line of the harmony system message. */
        public Builder modelIdentity(String identity) {
            this.modelIdentity = identity;
            return this;
        }

        /** The date the conversation takes place ({@code 2025-08-05}); the day of each call by default. */
        public Builder conversationStartDate(String date) {
            this.conversationStartDate = date;
            return this;
        }

        public Builder listeners(List<ChatModelListener> listeners) {
            this.listeners.clear();
            if (listeners != null) this.listeners.addAll(listeners);
            return this;
        }

        public GptOssChatModel build() {
            int sources = (backend != null ? 1 : 0) + (model != null ? 1 : 0) + (modelPath != null ? 1 : 0);
            if (sources != 1) {
                throw new IllegalStateException("a GptOssChatModel needs exactly one of backend(..), model(..) or "
                        + "modelPath(..); got " + sources);
            }
            if (backend != null && (samplerConfig != null || sessionOptions != null)) {
                throw new IllegalStateException("samplerConfig and sessionOptions configure the local engine; "
                        + "they cannot apply to a backend given with backend(..)");
            }
            SamplerConfig sampler = samplerConfig != null
                    ? samplerConfig
                    : SamplerConfig.builder().build();
            SessionOptions options = sessionOptions != null ? sessionOptions : SessionOptions.defaults();
            if (backend != null) return new GptOssChatModel(this, backend, false);
            if (model != null) return new GptOssChatModel(this, LocalEngineBackend.of(model, sampler, options), true);
            return new GptOssChatModel(this, LocalEngineBackend.load(modelPath, sampler, options), true);
        }
    }
}
