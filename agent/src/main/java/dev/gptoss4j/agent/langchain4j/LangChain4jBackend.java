package dev.gptoss4j.agent.langchain4j;

import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.backend.BackendException;
import dev.gptoss4j.agent.backend.Completion;
import dev.gptoss4j.agent.backend.CompletionListener;
import dev.gptoss4j.agent.backend.CompletionRequest;
import dev.gptoss4j.agent.backend.SamplingParameters;
import dev.gptoss4j.engine.harmony.Author;
import dev.gptoss4j.engine.harmony.Channel;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.MessageHeader;
import dev.gptoss4j.engine.harmony.Role;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
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
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Any LangChain4j {@link ChatModel} or {@link StreamingChatModel} as our agent's backend: the harmony conversation
 * goes out as chat messages ({@link LangChain4jConversation}), the answer comes back as harmony messages. Thinking
 * becomes analysis, a tool execution request a call to {@code functions.NAME} on the commentary channel, the text
 * the final answer. A streaming model's partial thinking, text and tool-call arguments reach the listener as they
 * come; a blocking model's whole messages arrive at the end.
 *
 * <p>Harmony calls one tool per completion, LangChain4j models may ask for several at once: the first is handed to
 * the agent, the others are kept and handed out, one per call, while the conversation goes on with their results,
 * without asking the model again.
 *
 * <p>Not thread-safe: one agent run at a time per backend.
 */
public final class LangChain4jBackend implements Backend {

    private static final long POLL_MILLIS = 20;

    private final ChatModel chatModel;
    private final StreamingChatModel streamingModel;
    private final Duration timeout;
    private final Deque<Message> pendingCalls = new ArrayDeque<>();
    private int expectedSize = -1; // the conversation size at which the next pending call is due

    private LangChain4jBackend(ChatModel chatModel, StreamingChatModel streamingModel, Duration timeout) {
        this.chatModel = chatModel;
        this.streamingModel = streamingModel;
        this.timeout = timeout;
    }

    /** A blocking chat model. */
    public static LangChain4jBackend of(ChatModel model) {
        if (model == null) throw new IllegalArgumentException("chat model must not be null");
        return new LangChain4jBackend(model, null, null);
    }

    /** A streaming chat model; a completion taking longer than {@code timeout} fails. */
    public static LangChain4jBackend of(StreamingChatModel model, Duration timeout) {
        if (model == null) throw new IllegalArgumentException("streaming chat model must not be null");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        return new LangChain4jBackend(null, model, timeout);
    }

    /** A streaming chat model, waited for up to ten minutes per completion. */
    public static LangChain4jBackend of(StreamingChatModel model) {
        return of(model, Duration.ofMinutes(10));
    }

    @Override
    public Completion complete(CompletionRequest request, CompletionListener listener) {
        List<Message> conversation = request.conversation().messages();
        if (!pendingCalls.isEmpty()) {
            if (conversation.size() == expectedSize && conversation.getLast().role() == Role.TOOL) {
                Message call = pendingCalls.poll();
                expectedSize += 2; // this call and its result
                replay(call, listener);
                return new Completion(List.of(call), Completion.Finish.CALL, 0, 0);
            }
            pendingCalls.clear(); // the conversation went elsewhere: those calls are no longer wanted
        }
        LangChain4jConversation lc = LangChain4jConversation.of(request.conversation());
        ChatRequest chatRequest = chatRequest(lc, request);
        StreamedMessages streamed = new StreamedMessages(listener);
        ChatResponse response = streamingModel != null ? stream(chatRequest, streamed, request) : call(chatRequest);
        if (response == null) { // cancelled while streaming
            streamed.end();
            return new Completion(List.of(), Completion.Finish.CANCELLED, 0, 0);
        }
        Completion completion = completion(response);
        streamed.end();
        for (Message m : completion.messages()) {
            if (!streamed.saw(m)) replay(m, listener);
        }
        if (completion.finish() == Completion.Finish.CALL) {
            List<ToolExecutionRequest> calls = response.aiMessage().toolExecutionRequests();
            for (int i = 1; i < calls.size(); i++) pendingCalls.add(callMessage(calls.get(i)));
            expectedSize = conversation.size() + completion.messages().size() + 1;
        }
        return completion;
    }

    private ChatRequest chatRequest(LangChain4jConversation lc, CompletionRequest request) {
        List<ChatMessage> messages = new ArrayList<>(lc.messages());
        SamplingParameters s = request.sampling();
        GptOssChatRequestParameters.Builder params = GptOssChatRequestParameters.builder()
                .maxOutputTokens(request.maxTokens())
                .temperature(s.temperature())
                .topP(s.topP())
                .topK(s.topK())
                .presencePenalty(s.presencePenalty())
                .frequencyPenalty(s.frequencyPenalty())
                .seed(s.seed())
                .reasoningEffort(lc.effort());
        if (!lc.tools().isEmpty()) params.toolSpecifications(lc.tools());
        if (lc.format() != null) {
            if (capabilities().contains(Capability.RESPONSE_FORMAT_JSON_SCHEMA)) {
                params.responseFormat(ResponseFormat.builder()
                        .type(ResponseFormatType.JSON)
                        .jsonSchema(JsonSchema.builder()
                                .name(lc.format().name())
                                .rootElement(JsonSchemas.toElement(lc.format().schema()))
                                .build())
                        .build());
            } else {
                // the model cannot take a schema: ask for it in words, as harmony's developer message does
                messages.addFirst(SystemMessage.from("Give the final answer as one JSON object matching this "
                        + "JSON Schema, and nothing else: " + lc.formatSchemaText()));
            }
        }
        return ChatRequest.builder()
                .messages(messages)
                .parameters(params.build())
                .build();
    }

    private Set<Capability> capabilities() {
        Set<Capability> c =
                streamingModel != null ? streamingModel.supportedCapabilities() : chatModel.supportedCapabilities();
        return c == null ? Set.of() : c;
    }

    private ChatResponse call(ChatRequest chatRequest) {
        try {
            return chatModel.chat(chatRequest);
        } catch (RuntimeException e) {
            throw new BackendException(describe() + " failed: " + e.getMessage(), e);
        }
    }

    /** Streams a completion; {@code null} when the request was cancelled first. */
    private ChatResponse stream(ChatRequest chatRequest, StreamedMessages streamed, CompletionRequest request) {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        streamed.cancelled = request.cancelled()::getAsBoolean;
        try {
            streamingModel.chat(chatRequest, new StreamingChatResponseHandler() {
                @Override
                public void onPartialThinking(PartialThinking thinking, PartialThinkingContext context) {
                    streamed.handle(context.streamingHandle());
                    streamed.delta(
                            new MessageHeader(Author.of(Role.ASSISTANT), null, Channel.ANALYSIS, null),
                            thinking.text());
                }

                @Override
                public void onPartialResponse(PartialResponse response, PartialResponseContext context) {
                    streamed.handle(context.streamingHandle());
                    streamed.delta(
                            new MessageHeader(Author.of(Role.ASSISTANT), null, Channel.FINAL, null), response.text());
                }

                @Override
                public void onPartialToolCall(PartialToolCall call, PartialToolCallContext context) {
                    streamed.handle(context.streamingHandle());
                    if (call.index() != 0) return; // only the first call is handed out now
                    streamed.delta(
                            new MessageHeader(
                                    Author.of(Role.ASSISTANT),
                                    HarmonyPrompt.recipient(call.name()),
                                    Channel.COMMENTARY,
                                    HarmonyPrompt.JSON_CONTENT_TYPE),
                            call.partialArguments());
                }

                @Override
                public void onCompleteResponse(ChatResponse response) {
                    done.complete(response);
                }

                @Override
                public void onError(Throwable error) {
                    done.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (request.cancelled().getAsBoolean()) {
                streamed.cancel();
                return null;
            }
            if (System.nanoTime() > deadline) {
                streamed.cancel();
                throw new BackendException(describe() + " did not finish a completion within " + timeout);
            }
            try {
                return done.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // poll the cancellation flag and the deadline again
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw new BackendException(describe() + " failed: " + cause.getMessage(), cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                streamed.cancel();
                return null;
            }
        }
    }

    /** The harmony messages of a LangChain4j answer. */
    static Completion completion(ChatResponse response) {
        AiMessage ai = response.aiMessage();
        if (ai == null) throw new BackendException("the chat model answered without an AI message");
        List<Message> messages = new ArrayList<>();
        if (ai.thinking() != null && !ai.thinking().isBlank()) {
            messages.add(Message.assistant(Channel.ANALYSIS, ai.thinking()));
        }
        TokenUsage usage = response.tokenUsage();
        int prompt = usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
        int generated = usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
        Completion.Finish finish;
        if (ai.hasToolExecutionRequests()) {
            if (ai.text() != null && !ai.text().isBlank()) {
                messages.add(Message.assistant(Channel.COMMENTARY, ai.text()));
            }
            messages.add(callMessage(ai.toolExecutionRequests().getFirst()));
            finish = Completion.Finish.CALL;
        } else if (response.finishReason() == FinishReason.LENGTH) {
            finish = Completion.Finish.LENGTH; // the answer was cut off: left out, as a token-level backend does
        } else {
            messages.add(Message.assistant(Channel.FINAL, ai.text() == null ? "" : ai.text()));
            finish = Completion.Finish.RETURN;
        }
        return new Completion(messages, finish, prompt, generated);
    }

    private static Message callMessage(ToolExecutionRequest call) {
        String arguments = call.arguments() == null || call.arguments().isBlank() ? "{}" : call.arguments();
        return Message.builder(Role.ASSISTANT)
                .channel(Channel.COMMENTARY)
                .recipient(HarmonyPrompt.recipient(call.name()))
                .contentType(HarmonyPrompt.JSON_CONTENT_TYPE)
                .text(arguments)
                .build();
    }

    /** A whole message told to the listener at once, for messages that did not stream. */
    private static void replay(Message m, CompletionListener listener) {
        MessageHeader header = new MessageHeader(m.author(), m.recipient(), m.channel(), m.contentType());
        listener.onMessageStart(header);
        if (!m.text().isEmpty()) listener.onContentDelta(header, m.text());
        listener.onMessageEnd(m);
    }

    @Override
    public String describe() {
        Object model = streamingModel != null ? streamingModel : chatModel;
        return "LangChain4j " + (streamingModel != null ? "streaming " : "") + "chat model "
                + model.getClass().getSimpleName();
    }

    /** The listener's view of a streaming answer: one message per run of deltas with the same header. */
    private static final class StreamedMessages {
        private final CompletionListener listener;
        private MessageHeader current;
        private final StringBuilder text = new StringBuilder();
        private final List<String> kinds = new ArrayList<>();
        private volatile StreamingHandle handle;
        java.util.function.BooleanSupplier cancelled = () -> false;

        StreamedMessages(CompletionListener listener) {
            this.listener = listener;
        }

        void handle(StreamingHandle h) {
            handle = h;
            if (cancelled.getAsBoolean()) cancel();
        }

        void cancel() {
            StreamingHandle h = handle;
            if (h != null && !h.isCancelled()) h.cancel();
        }

        synchronized void delta(MessageHeader header, String delta) {
            if (delta == null || delta.isEmpty()) return;
            if (!header.equals(current)) {
                end();
                current = header;
                kinds.add(kind(header.recipient(), header.channel()));
                listener.onMessageStart(header);
            }
            text.append(delta);
            listener.onContentDelta(header, delta);
        }

        synchronized void end() {
            if (current == null) return;
            listener.onMessageEnd(new Message(
                    current.author(),
                    current.recipient(),
                    current.channel(),
                    current.contentType(),
                    List.of(new dev.gptoss4j.engine.harmony.TextContent(text.toString()))));
            current = null;
            text.setLength(0);
        }

        /** Whether a message of this kind (analysis, answer, call) already streamed. */
        boolean saw(Message m) {
            String kind = kind(m.recipient(), m.channel());
            // a preamble before tool calls streams as answer text: LangChain4j cannot tell them apart while streaming
            if (kind.equals(Channel.COMMENTARY)) kind = Channel.FINAL;
            return kinds.contains(kind);
        }

        private static String kind(String recipient, String channel) {
            return recipient != null ? "call" : String.valueOf(channel);
        }
    }
}
