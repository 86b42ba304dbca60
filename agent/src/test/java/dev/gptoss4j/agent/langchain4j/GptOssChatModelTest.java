package dev.gptoss4j.agent.langchain4j;

import static org.junit.jupiter.api.Assertions.*;

import dev.gptoss4j.agent.backend.CompletionRequest;
import dev.gptoss4j.engine.harmony.DeveloperContent;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.engine.harmony.Role;
import dev.gptoss4j.engine.harmony.ToolDescription;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class GptOssChatModelTest {

    static final String ANSWER = "<|channel|>analysis<|message|>The user greets me.<|end|>"
            + "<|start|>assistant<|channel|>final<|message|>Hello there!<|return|>";
    static final String WEATHER_CALL = "<|channel|>analysis<|message|>Need the weather.<|end|>"
            + "<|start|>assistant<|channel|>commentary to=functions.get_weather <|constrain|>json"
            + "<|message|>{\"city\":\"Paris\"}<|call|>";

    static final ToolSpecification WEATHER = ToolSpecification.builder()
            .name("get_weather")
            .description("Current weather of a city.")
            .parameters(JsonObjectSchema.builder()
                    .addStringProperty("city", "the city")
                    .required("city")
                    .build())
            .build();

    private static GptOssChatModel model(RecordingBackend backend) {
        return GptOssChatModel.builder()
                .backend(backend)
                .conversationStartDate("2025-08-05")
                .build();
    }

    @Test
    void answerWithThinkingUsageAndStop() {
        RecordingBackend backend = new RecordingBackend(ANSWER);
        ChatResponse r = model(backend)
                .chat(ChatRequest.builder()
                        .messages(SystemMessage.from("Be kind."), UserMessage.from("Hi!"))
                        .build());

        assertEquals("Hello there!", r.aiMessage().text());
        assertEquals("The user greets me.", r.aiMessage().thinking());
        assertFalse(r.aiMessage().hasToolExecutionRequests());
        assertEquals(FinishReason.STOP, r.finishReason());
        assertEquals("gpt-oss", r.modelName());
        assertTrue(r.tokenUsage().inputTokenCount() > 20, "the harmony prompt's tokens: " + r.tokenUsage());
        assertTrue(r.tokenUsage().outputTokenCount() > 5, "the completion's tokens: " + r.tokenUsage());

        List<Message> prompt = backend.lastMessages();
        assertEquals(Role.SYSTEM, prompt.get(0).role());
        assertEquals("2025-08-05", backend.lastSystem().conversationStartDate());
        assertEquals(ReasoningEffort.MEDIUM, backend.lastSystem().reasoningEffort());
        assertEquals("Be kind.", backend.lastDeveloper().instructions());
        assertEquals(Message.user("Hi!"), prompt.getLast());
    }

    @Test
    void toolsAreAnnouncedAndCallsComeBackAsToolExecutionRequests() {
        RecordingBackend backend = new RecordingBackend(WEATHER_CALL);
        ChatResponse r = model(backend)
                .chat(ChatRequest.builder()
                        .messages(UserMessage.from("Weather in Paris?"))
                        .toolSpecifications(WEATHER)
                        .build());

        DeveloperContent dev = backend.lastDeveloper();
        assertEquals(1, dev.functionTools().size());
        ToolDescription announced = dev.functionTools().getFirst();
        assertEquals("get_weather", announced.name());
        assertEquals("Current weather of a city.", announced.description());
        assertEquals(
                "string", announced.parameters().at("/properties/city/type").asText());
        assertEquals("city", announced.parameters().at("/required/0").asText());

        assertEquals(FinishReason.TOOL_EXECUTION, r.finishReason());
        assertEquals("Need the weather.", r.aiMessage().thinking());
        ToolExecutionRequest call = r.aiMessage().toolExecutionRequests().getFirst();
        assertEquals("get_weather", call.name());
        assertEquals("{\"city\":\"Paris\"}", call.arguments());
        assertTrue(call.id().matches("call_[0-9a-f]{24}"), call.id());
        assertNull(r.aiMessage().text());
    }

    @Test
    void toolResultsBecomeHarmonyToolMessagesAndCurrentTurnThinkingIsKept() {
        RecordingBackend backend = new RecordingBackend("<|channel|>final<|message|>Sunny, 24 C.<|return|>");
        ToolExecutionRequest call = ToolExecutionRequest.builder()
                .id("call_1")
                .name("get_weather")
                .arguments("{\"city\":\"Paris\"}")
                .build();
        ChatResponse r = model(backend)
                .chat(ChatRequest.builder()
                        .messages(
                                UserMessage.from("Hi"),
                                AiMessage.builder()
                                        .thinking("Old thought.")
                                        .text("Hello!")
                                        .build(),
                                UserMessage.from("Weather in Paris?"),
                                AiMessage.builder()
                                        .thinking("Need the weather.")
                                        .toolExecutionRequests(List.of(call))
                                        .build(),
                                ToolExecutionResultMessage.from(call, "{\"sunny\":true,\"celsius\":24}"))
                        .toolSpecifications(WEATHER)
                        .build());
        assertEquals("Sunny, 24 C.", r.aiMessage().text());

        List<Message> prompt = backend.lastMessages();
        List<Message> afterPreamble = prompt.subList(2, prompt.size()); // system, developer
        assertEquals(
                List.of(
                        Message.user("Hi"),
                        // the earlier turn's thinking is dropped: it was answered (harmony's rule)
                        Message.assistant("final", "Hello!"),
                        Message.user("Weather in Paris?"),
                        Message.assistant("analysis", "Need the weather."),
                        Message.builder(Role.ASSISTANT)
                                .channel("commentary")
                                .recipient("functions.get_weather")
                                .contentType("<|constrain|>json")
                                .text("{\"city\":\"Paris\"}")
                                .build(),
                        Message.builder(dev.gptoss4j.engine.harmony.Author.tool("functions.get_weather"))
                                .recipient("assistant")
                                .channel("commentary")
                                .text("{\"sunny\":true,\"celsius\":24}")
                                .build()),
                afterPreamble);
    }

    @Test
    void samplingParametersReasoningEffortAndMaxTokensReachTheBackend() {
        RecordingBackend backend = new RecordingBackend(ANSWER, ANSWER);
        GptOssChatModel model = GptOssChatModel.builder()
                .backend(backend)
                .temperature(0.3)
                .reasoningEffort(ReasoningEffort.LOW)
                .seed(7L)
                .maxOutputTokens(300)
                .build();

        model.chat(ChatRequest.builder().messages(UserMessage.from("Hi")).build());
        CompletionRequest first = backend.last();
        assertEquals(0.3, first.sampling().temperature());
        assertEquals(7L, first.sampling().seed());
        assertNull(first.sampling().topP());
        assertEquals(300, first.maxTokens());
        assertEquals(ReasoningEffort.LOW, backend.lastSystem().reasoningEffort());

        // a request's own parameters win over the builder's, gpt-oss ones included
        model.chat(ChatRequest.builder()
                .messages(UserMessage.from("Hi"))
                .parameters(GptOssChatRequestParameters.builder()
                        .topP(0.9)
                        .topK(40)
                        .maxOutputTokens(50)
                        .seed(8L)
                        .reasoningEffort(ReasoningEffort.HIGH)
                        .build())
                .build());
        CompletionRequest second = backend.last();
        assertEquals(0.3, second.sampling().temperature());
        assertEquals(0.9, second.sampling().topP());
        assertEquals(40, second.sampling().topK());
        assertEquals(8L, second.sampling().seed());
        assertEquals(50, second.maxTokens());
        assertEquals(ReasoningEffort.HIGH, backend.lastSystem().reasoningEffort());
    }

    @Test
    void tokenLimitGivesLengthWithTheTextSoFar() {
        RecordingBackend backend = new RecordingBackend(
                "<|channel|>final<|message|>one two three four five six seven eight nine ten<|return|>");
        ChatResponse r = model(backend)
                .chat(ChatRequest.builder()
                        .messages(UserMessage.from("Count"))
                        .maxOutputTokens(8)
                        .build());
        assertEquals(FinishReason.LENGTH, r.finishReason());
        assertEquals(8, r.tokenUsage().outputTokenCount());
        assertTrue("one two three four five six seven eight nine ten"
                .startsWith(r.aiMessage().text()));
        assertFalse(r.aiMessage().text().isEmpty());
        assertTrue(r.aiMessage().text().length() < 30, r.aiMessage().text());
    }

    @Test
    void stopSequenceEndsTheAnswerAndNeverStreams() {
        RecordingBackend backend =
                new RecordingBackend("<|channel|>final<|message|>Alpha. Beta. END Gamma. Delta.<|return|>");
        List<String> partial = new ArrayList<>();
        AtomicReference<ChatResponse> done = new AtomicReference<>();
        model(backend)
                .chat(
                        ChatRequest.builder()
                                .messages(UserMessage.from("Go"))
                                .stopSequences(List.of("END", "never"))
                                .build(),
                        new StreamingChatResponseHandler() {
                            @Override
                            public void onPartialResponse(String text) {
                                partial.add(text);
                            }

                            @Override
                            public void onCompleteResponse(ChatResponse r) {
                                done.set(r);
                            }

                            @Override
                            public void onError(Throwable e) {
                                fail(e);
                            }
                        });
        ChatResponse r = done.get();
        assertEquals("Alpha. Beta. ", r.aiMessage().text());
        assertEquals(FinishReason.STOP, r.finishReason());
        assertEquals("Alpha. Beta. ", String.join("", partial));
        assertTrue(r.tokenUsage().outputTokenCount() < 16, "generation stopped early: " + r.tokenUsage());
    }

    @Test
    void streamingGivesThinkingAnswerAndToolCallPieces() {
        List<String> thinking = new ArrayList<>();
        List<String> text = new ArrayList<>();
        List<PartialToolCall> partialCalls = new ArrayList<>();
        List<CompleteToolCall> calls = new ArrayList<>();
        List<ChatResponse> done = new ArrayList<>();
        StreamingChatResponseHandler handler = new StreamingChatResponseHandler() {
            @Override
            public void onPartialThinking(PartialThinking t) {
                thinking.add(t.text());
            }

            @Override
            public void onPartialResponse(String t) {
                text.add(t);
            }

            @Override
            public void onPartialToolCall(PartialToolCall c) {
                partialCalls.add(c);
            }

            @Override
            public void onCompleteToolCall(CompleteToolCall c) {
                calls.add(c);
            }

            @Override
            public void onCompleteResponse(ChatResponse r) {
                done.add(r);
            }

            @Override
            public void onError(Throwable e) {
                fail(e);
            }
        };
        GptOssChatModel model = model(new RecordingBackend(ANSWER, WEATHER_CALL));

        model.chat(ChatRequest.builder().messages(UserMessage.from("Hi")).build(), handler);
        assertTrue(thinking.size() > 1, "thinking streams token by token: " + thinking);
        assertEquals("The user greets me.", String.join("", thinking));
        assertTrue(text.size() > 1, "text streams token by token: " + text);
        assertEquals("Hello there!", String.join("", text));
        assertEquals("Hello there!", done.getFirst().aiMessage().text());

        model.chat(
                ChatRequest.builder()
                        .messages(UserMessage.from("Weather?"))
                        .toolSpecifications(WEATHER)
                        .build(),
                handler);
        ChatResponse r = done.get(1);
        String id = r.aiMessage().toolExecutionRequests().getFirst().id();
        assertFalse(partialCalls.isEmpty());
        assertTrue(partialCalls.stream()
                .allMatch(c -> c.id().equals(id) && c.name().equals("get_weather")));
        assertEquals(
                "{\"city\":\"Paris\"}",
                String.join(
                        "",
                        partialCalls.stream()
                                .map(PartialToolCall::partialArguments)
                                .toList()));
        assertEquals(1, calls.size());
        assertEquals(id, calls.getFirst().toolExecutionRequest().id());
        assertEquals(FinishReason.TOOL_EXECUTION, r.finishReason());
    }

    @Test
    void streamingCanBeCancelledThroughTheHandle() {
        RecordingBackend backend = new RecordingBackend(
                "<|channel|>final<|message|>one two three four five six seven eight nine ten<|return|>");
        List<String> text = new ArrayList<>();
        AtomicReference<ChatResponse> done = new AtomicReference<>();
        model(backend)
                .chat(
                        ChatRequest.builder()
                                .messages(UserMessage.from("Count"))
                                .build(),
                        new StreamingChatResponseHandler() {
                            @Override
                            public void onPartialResponse(PartialResponse p, PartialResponseContext context) {
                                text.add(p.text());
                                if (text.size() == 2) context.streamingHandle().cancel();
                            }

                            @Override
                            public void onCompleteResponse(ChatResponse r) {
                                done.set(r);
                            }

                            @Override
                            public void onError(Throwable e) {
                                fail(e);
                            }
                        });
        assertEquals(2, text.size());
        assertEquals(FinishReason.OTHER, done.get().finishReason());
        assertEquals(String.join("", text), done.get().aiMessage().text());
    }

    @Test
    void jsonSchemaResponseFormatIsAnnouncedInTheDeveloperMessage() {
        RecordingBackend backend = new RecordingBackend("<|channel|>final<|message|>{\"name\":\"Ada\"}<|return|>");
        GptOssChatModel model = model(backend);
        assertTrue(model.supportedCapabilities().contains(Capability.RESPONSE_FORMAT_JSON_SCHEMA));
        ChatResponse r = model.chat(ChatRequest.builder()
                .messages(UserMessage.from("Who?"))
                .responseFormat(ResponseFormat.builder()
                        .type(ResponseFormatType.JSON)
                        .jsonSchema(JsonSchema.builder()
                                .name("Person")
                                .rootElement(JsonObjectSchema.builder()
                                        .addStringProperty("name")
                                        .required("name")
                                        .build())
                                .build())
                        .build())
                .build());
        assertEquals("{\"name\":\"Ada\"}", r.aiMessage().text());
        var format = backend.lastDeveloper().responseFormats().getFirst();
        assertEquals("Person", format.name());
        assertEquals("string", format.schema().at("/properties/name/type").asText());
    }

    @Test
    void badInputIsRefusedClearly() {
        GptOssChatModel model = model(new RecordingBackend(ANSWER));
        UnsupportedFeatureException image = assertThrows(
                UnsupportedFeatureException.class,
                () -> model.chat(ChatRequest.builder()
                        .messages(UserMessage.from(
                                TextContent.from("What is this?"),
                                ImageContent.from("https://example.invalid/cat.png")))
                        .build()));
        assertTrue(image.getMessage().contains("IMAGE"), image.getMessage());

        IllegalStateException none = assertThrows(
                IllegalStateException.class, () -> GptOssChatModel.builder().build());
        assertTrue(none.getMessage().contains("backend(..), model(..) or modelPath(..)"), none.getMessage());

        IllegalArgumentException orphan = assertThrows(
                IllegalArgumentException.class,
                () -> model.chat(ChatRequest.builder()
                        .messages(UserMessage.from("Hi"), new ToolExecutionResultMessage("call_x", null, "42"))
                        .build()));
        assertTrue(orphan.getMessage().contains("call_x"), orphan.getMessage());
    }

    @Test
    void gptOssParametersSurviveMergingWithPlainOnes() {
        GptOssChatRequestParameters base = GptOssChatRequestParameters.builder()
                .reasoningEffort(ReasoningEffort.LOW)
                .seed(1L)
                .temperature(0.5)
                .build();
        GptOssChatRequestParameters merged =
                base.overrideWith(ChatRequestParameters.builder().topP(0.8).build());
        assertEquals(ReasoningEffort.LOW, merged.reasoningEffort());
        assertEquals(1L, merged.seed());
        assertEquals(0.5, merged.temperature());
        assertEquals(0.8, merged.topP());
        GptOssChatRequestParameters again = merged.overrideWith(
                GptOssChatRequestParameters.builder().seed(2L).build());
        assertEquals(2L, again.seed());
        assertEquals(ReasoningEffort.LOW, again.reasoningEffort());
    }
}
