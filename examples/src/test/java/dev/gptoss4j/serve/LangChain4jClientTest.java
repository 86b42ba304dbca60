package dev.gptoss4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gptoss4j.serve.openai.ApiSettings;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server as LangChain4j's OpenAI module sees it: a real client, its own HTTP stack and JSON parsing. */
class LangChain4jClientTest {

    private static final ToolSpecification WEATHER = ToolSpecification.builder()
            .name("get_weather")
            .description("The weather in a city now")
            .parameters(JsonObjectSchema.builder()
                    .addStringProperty("city")
                    .required("city")
                    .build())
            .build();

    private ScriptedBackend backend;
    private OpenAiServer server;

    @BeforeEach
    void start() {
        backend = new ScriptedBackend(Scripts::weather, 0);
        server = OpenAiServer.builder()
                .backend(backend)
                .port(0)
                .apiKey("test-key")
                .settings(ApiSettings.defaults("gpt-oss-test"))
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private OpenAiChatModel model() {
        return OpenAiChatModel.builder()
                .baseUrl(server.baseUrl())
                .apiKey("test-key")
                .modelName("gpt-oss-test")
                .maxRetries(0)
                .returnThinking(true)
                .build();
    }

    @Test
    void chatModelAnswers() {
        ChatResponse r = model().chat(ChatRequest.builder()
                .messages(SystemMessage.from("Be brief."), UserMessage.from("Hi"))
                .build());
        assertEquals("Hello there!", r.aiMessage().text());
        assertEquals("The user greets.", r.aiMessage().thinking());
        assertEquals(FinishReason.STOP, r.finishReason());
        assertTrue(r.tokenUsage().outputTokenCount() > 5);
        assertEquals(
                r.tokenUsage().inputTokenCount() + r.tokenUsage().outputTokenCount(),
                r.tokenUsage().totalTokenCount());
    }

    @Test
    void chatModelCallsToolsAndReadsTheirResults() {
        OpenAiChatModel model = model();
        UserMessage question = UserMessage.from("Weather in Oslo?");
        ChatResponse first = model.chat(ChatRequest.builder()
                .messages(question)
                .toolSpecifications(WEATHER)
                .build());
        assertEquals(FinishReason.TOOL_EXECUTION, first.finishReason());
        ToolExecutionRequest call = first.aiMessage().toolExecutionRequests().getFirst();
        assertEquals("get_weather", call.name());
        assertEquals("{\"city\":\"Oslo\"}", call.arguments());

        ChatResponse second = model.chat(ChatRequest.builder()
                .messages(question, first.aiMessage(), ToolExecutionResultMessage.from(call, "sunny"))
                .toolSpecifications(WEATHER)
                .build());
        assertEquals("It is sunny in Oslo.", second.aiMessage().text());
        assertEquals(
                "sunny",
                backend.requests.get(1).conversation().messages().getLast().text());
    }

    @Test
    void streamingChatModelStreams() throws Exception {
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder()
                .baseUrl(server.baseUrl())
                .apiKey("test-key")
                .modelName("gpt-oss-test")
                .returnThinking(true)
                .build();
        List<String> partials = new CopyOnWriteArrayList<>();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(List.of(UserMessage.from("Hi")), new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                partials.add(partial);
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
        ChatResponse r = done.get(30, TimeUnit.SECONDS);
        assertEquals("Hello there!", String.join("", partials));
        assertTrue(partials.size() > 1, "streamed in pieces: " + partials);
        AiMessage message = r.aiMessage();
        assertEquals("Hello there!", message.text());
        assertEquals("The user greets.", message.thinking());
        assertEquals(FinishReason.STOP, r.finishReason());
    }

    @Test
    void streamingChatModelStreamsToolCalls() throws Exception {
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder()
                .baseUrl(server.baseUrl())
                .apiKey("test-key")
                .modelName("gpt-oss-test")
                .build();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(
                ChatRequest.builder()
                        .messages(UserMessage.from("Weather?"))
                        .toolSpecifications(WEATHER)
                        .build(),
                new StreamingChatResponseHandler() {
                    @Override
                    public void onPartialResponse(String partial) {}

                    @Override
                    public void onCompleteResponse(ChatResponse response) {
                        done.complete(response);
                    }

                    @Override
                    public void onError(Throwable error) {
                        done.completeExceptionally(error);
                    }
                });
        ChatResponse r = done.get(30, TimeUnit.SECONDS);
        ToolExecutionRequest call = r.aiMessage().toolExecutionRequests().getFirst();
        assertEquals("get_weather", call.name());
        assertEquals("{\"city\":\"Oslo\"}", call.arguments());
        assertEquals(FinishReason.TOOL_EXECUTION, r.finishReason());
    }
}
