package dev.gptoss4j.agent.remote;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.backend.Completion;
import dev.gptoss4j.agent.backend.CompletionListener;
import dev.gptoss4j.agent.backend.CompletionRequest;
import dev.gptoss4j.agent.tool.FunctionTool;
import dev.gptoss4j.agent.tool.ToolResult;
import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import java.time.Duration;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChatCompletionsBackendTest {

    private final OpenAiEmulator emulator = new OpenAiEmulator();

    @AfterEach
    void stop() {
        emulator.close();
    }

    private ChatCompletionsBackend backend() {
        return ChatCompletionsBackend.builder()
                .baseUrl(emulator.baseUrl())
                .apiKey("sk-k")
                .model("gpt-oss-120b")
                .parameter("temperature", 0.5)
                .settings(HttpSettings.defaults().withMaxRetries(0))
                .build();
    }

    @Test
    void conversationBecomesChatMessagesWithToolCallIdsAndReasoning() {
        emulator.complete(RemoteAgentTest.WEATHER_CALL, RemoteAgentTest.FINAL);
        var weather = FunctionTool.builder()
                .name("getWeather")
                .description("Weather of a city.")
                .parameters(
                        dev.gptoss4j.agent.tool.Schemas.parse(
                                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"))
                .handler(a -> ToolResult.of("sunny"))
                .build();
        AgentResult r = Agent.builder()
                .backend(backend())
                .instructions("Be brief.")
                .tools(weather)
                .reasoningEffort(ReasoningEffort.HIGH)
                .build()
                .run("Weather in Oslo?");
        assertEquals("Sunny in Oslo.", r.finalText());

        OpenAiEmulator.Seen first = emulator.requests.get(0);
        assertEquals("/v1/chat/completions", first.path());
        assertEquals("Bearer sk-k", first.authorization());
        JsonNode b = first.body();
        assertEquals("gpt-oss-120b", b.get("model").asText());
        assertTrue(b.get("stream").asBoolean());
        assertEquals("high", b.get("reasoning_effort").asText());
        assertEquals(0.5, b.get("temperature").asDouble());
        assertFalse(b.get("parallel_tool_calls").asBoolean());
        assertEquals("getWeather", b.at("/tools/0/function/name").asText());
        assertEquals(
                "string",
                b.at("/tools/0/function/parameters/properties/city/type").asText());
        assertEquals("system", b.at("/messages/0/role").asText());
        assertEquals("Be brief.", b.at("/messages/0/content").asText());
        assertEquals("user", b.at("/messages/1/role").asText());
        assertEquals(2, b.get("messages").size(), "the harmony system message is the server's to render");

        JsonNode second = emulator.requests.get(1).body().get("messages");
        JsonNode call = second.get(2);
        assertEquals("assistant", call.get("role").asText());
        assertEquals("Need weather.", call.get("reasoning_content").asText(), "this turn's reasoning goes back");
        String id = call.at("/tool_calls/0/id").asText();
        assertFalse(id.isEmpty());
        assertEquals("getWeather", call.at("/tool_calls/0/function/name").asText());
        assertEquals(
                "{\"city\":\"Oslo\"}",
                call.at("/tool_calls/0/function/arguments").asText());
        JsonNode result = second.get(3);
        assertEquals("tool", result.get("role").asText());
        assertEquals(id, result.get("tool_call_id").asText());
        assertEquals("sunny", result.get("content").asText());
    }

    private Completion complete(String sse) {
        emulator.respond(new MockResponse()
                .setHeader("Content-Type", "text/event-stream")
                .setBody(sse));
        Conversation c = Conversation.of(Message.user("Hi"));
        return backend().complete(new CompletionRequest(c, 100, () -> false), CompletionListener.NONE);
    }

    @Test
    void theToolChoiceIsPassedOnAsTheChatCompletionsApiSpellsIt() {
        var weather = FunctionTool.builder()
                .name("getWeather")
                .description("Weather of a city.")
                .parameters(dev.gptoss4j.agent.tool.Schemas.parse("{\"type\":\"object\",\"properties\":{}}"))
                .handler(a -> ToolResult.of("sunny"))
                .build();
        Conversation conversation = Conversation.of(Agent.builder()
                        .backend(backend())
                        .tools(weather)
                        .build()
                        .preamble())
                .append(Message.user("Weather?"));
        emulator.complete(RemoteAgentTest.WEATHER_CALL);
        backend()
                .complete(
                        new CompletionRequest(
                                conversation,
                                100,
                                () -> false,
                                null,
                                dev.gptoss4j.agent.backend.ToolChoice.function("getWeather"),
                                -1),
                        CompletionListener.NONE);
        assertEquals(
                "{\"type\":\"function\",\"function\":{\"name\":\"getWeather\"}}",
                emulator.requests.getLast().body().get("tool_choice").toString());
        emulator.complete(RemoteAgentTest.WEATHER_CALL);
        backend()
                .complete(
                        new CompletionRequest(
                                conversation,
                                100,
                                () -> false,
                                null,
                                dev.gptoss4j.agent.backend.ToolChoice.REQUIRED,
                                -1),
                        CompletionListener.NONE);
        assertEquals(
                "required",
                emulator.requests.getLast().body().get("tool_choice").asText());
        emulator.complete(RemoteAgentTest.WEATHER_CALL);
        backend().complete(new CompletionRequest(conversation, 100, () -> false), CompletionListener.NONE);
        assertFalse(emulator.requests.getLast().body().has("tool_choice"), "auto is the API's default: not sent");
    }

    @Test
    void ollamaStyleWholeToolCallAndStopFinishIsACall() {
        Completion c = complete("""
                data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"Think."}}]}

                data: {"choices":[{"index":0,"delta":{"content":"","tool_calls":[{"id":"call_x","index":0,"type":"function","function":{"name":"getWeather","arguments":"{\\"city\\":\\"Rome\\"}"}}]},"finish_reason":"stop"}]}

                data: [DONE]

                """);
        assertEquals(Completion.Finish.CALL, c.finish());
        assertEquals(2, c.messages().size());
        assertEquals("Think.", c.messages().get(0).text());
        assertEquals("functions.getWeather", c.messages().get(1).recipient());
        assertEquals("{\"city\":\"Rome\"}", c.messages().get(1).text());
    }

    @Test
    void contentBeforeAToolCallIsAPreambleAndExtraCallsAreDropped() {
        Completion c = complete("""
                data: {"choices":[{"delta":{"content":"Let me check."}}]}

                data: {"choices":[{"delta":{"tool_calls":[{"index":0,"id":"a","function":{"name":"f","arguments":"{}"}}]}}]}

                data: {"choices":[{"delta":{"tool_calls":[{"index":1,"id":"b","function":{"name":"g","arguments":"{}"}}]}}]}

                data: {"choices":[{"delta":{},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":77,"completion_tokens":9}}

                data: [DONE]

                """);
        assertEquals(Completion.Finish.CALL, c.finish());
        assertEquals(2, c.messages().size());
        assertEquals("commentary", c.messages().get(0).channel());
        assertEquals("Let me check.", c.messages().get(0).text());
        assertEquals("functions.f", c.messages().getLast().recipient());
        assertEquals(77, c.promptTokens());
        assertEquals(9, c.completionTokens());
    }

    @Test
    void nonStreamedAnswerIsReadToo() {
        emulator.respond(new MockResponse()
                .setHeader("Content-Type", "application/json")
                .setBody(
                        "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"Hello.\",\"reasoning_content\":\"Greet.\"},"
                                + "\"finish_reason\":\"stop\"}]}"));
        Completion c = backend()
                .complete(
                        new CompletionRequest(Conversation.of(Message.user("Hi")), 100, () -> false),
                        CompletionListener.NONE);
        assertEquals(Completion.Finish.RETURN, c.finish());
        assertEquals("Greet.", c.messages().get(0).text());
        assertEquals("final", c.messages().get(1).channel());
        assertEquals("Hello.", c.messages().get(1).text());
        assertTrue(c.completionTokens() > 0, "estimated when the server reports no usage");
    }

    @Test
    void lengthFinishLeavesTheCutMessageOut() {
        Completion c = complete("""
                data: {"choices":[{"delta":{"reasoning_content":"Long thought"}}]}

                data: {"choices":[{"delta":{"content":"Half an ans"},"finish_reason":"length"}]}

                data: [DONE]

                """);
        assertEquals(Completion.Finish.LENGTH, c.finish());
        assertEquals(1, c.messages().size());
        assertEquals("analysis", c.messages().getFirst().channel());
    }

    @Test
    void httpErrorNamesTheServerNotTheKey() {
        emulator.respond(new MockResponse()
                .setResponseCode(404)
                .setBody("{\"error\":{\"message\":\"The model `gpt-oss-120b` does not exist.\"}}"));
        var e = assertThrows(
                HttpCallException.class,
                () -> backend()
                        .complete(
                                new CompletionRequest(Conversation.of(Message.user("Hi")), 10, () -> false),
                                CompletionListener.NONE));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertTrue(e.getMessage().contains(emulator.baseUrl()), e.getMessage());
        assertFalse(e.getMessage().contains("sk-k"));
    }

    @Test
    void retriesA429BeforeTheStreamStarts() {
        emulator.respond(new MockResponse().setResponseCode(429).setHeader("retry-after-ms", "20"));
        emulator.complete("<|channel|>final<|message|>After waiting.<|return|>");
        var b = ChatCompletionsBackend.builder()
                .baseUrl(emulator.baseUrl())
                .model("m")
                .settings(HttpSettings.defaults().withInitialBackoff(Duration.ofMillis(10)))
                .build();
        Completion c = b.complete(
                new CompletionRequest(Conversation.of(Message.user("Hi")), 100, () -> false), CompletionListener.NONE);
        assertEquals("After waiting.", c.messages().getLast().text());
        assertEquals(2, emulator.requests.size());
    }
}
