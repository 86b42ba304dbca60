package dev.gptoss4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gptoss4j.agent.backend.CompletionRequest;
import dev.gptoss4j.engine.harmony.DeveloperContent;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.engine.harmony.Role;
import dev.gptoss4j.engine.harmony.SystemContent;
import dev.gptoss4j.serve.openai.ApiSettings;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChatCompletionsTest {

    private ScriptedBackend backend;
    private OpenAiServer server;
    private String url;

    @BeforeEach
    void start() {
        backend = new ScriptedBackend(Scripts::weather, 0);
        server = OpenAiServer.builder()
                .backend(backend)
                .port(0)
                .settings(ApiSettings.defaults("gpt-oss-test").withConversationDate("2025-08-05"))
                .build()
                .start();
        url = server.baseUrl();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void answersWithContentReasoningAndUsage() throws Exception {
        var r = Http.post(url + "/chat/completions", """
                {"model": "gpt-oss-test", "reasoning_effort": "low",
                 "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]}""");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = Http.json(r);
        assertEquals("chat.completion", body.get("object").asText());
        assertTrue(body.get("id").asText().startsWith("chatcmpl-"));
        assertEquals("gpt-oss-test", body.get("model").asText());
        JsonNode choice = body.get("choices").get(0);
        assertEquals("stop", choice.get("finish_reason").asText());
        assertEquals("assistant", choice.get("message").get("role").asText());
        assertEquals("Hello there!", choice.get("message").get("content").asText());
        assertEquals(
                "The user greets.",
                choice.get("message").get("reasoning_content").asText());
        assertFalse(choice.get("message").has("tool_calls"));
        JsonNode usage = body.get("usage");
        CompletionRequest seen = backend.requests.getFirst();
        assertTrue(usage.get("prompt_tokens").asInt() > 20, usage.toString());
        assertTrue(usage.get("completion_tokens").asInt() > 5, usage.toString());
        assertEquals(
                usage.get("prompt_tokens").asInt()
                        + usage.get("completion_tokens").asInt(),
                usage.get("total_tokens").asInt());

        // the harmony conversation: server system message with the effort, the system prompt as instructions
        List<Message> messages = seen.conversation().messages();
        assertEquals(3, messages.size());
        SystemContent system = (SystemContent) messages.get(0).content().getFirst();
        assertEquals(ReasoningEffort.LOW, system.reasoningEffort());
        assertEquals("2025-08-05", system.conversationStartDate());
        DeveloperContent dev = (DeveloperContent) messages.get(1).content().getFirst();
        assertEquals("Be brief.", dev.instructions());
        assertEquals(Message.user("Hi"), messages.get(2));
        assertEquals(4096, seen.maxTokens());
    }

    @Test
    void toolCallsRoundTrip() throws Exception {
        String tools = """
                "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather now",
                  "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                                 "required": ["city"]}}}]""";
        var r = Http.post(
                url + "/chat/completions",
                "{" + tools + ", \"messages\": [{\"role\": \"user\", " + "\"content\": \"Weather in Oslo?\"}]}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode choice = Http.json(r).get("choices").get(0);
        assertEquals("tool_calls", choice.get("finish_reason").asText());
        JsonNode message = choice.get("message");
        assertTrue(message.get("content").isNull());
        JsonNode call = message.get("tool_calls").get(0);
        String id = call.get("id").asText();
        assertTrue(id.startsWith("call_"));
        assertEquals("function", call.get("type").asText());
        assertEquals("get_weather", call.get("function").get("name").asText());
        assertEquals(
                "{\"city\":\"Oslo\"}", call.get("function").get("arguments").asText());
        DeveloperContent dev = (DeveloperContent) backend.requests
                .getFirst()
                .conversation()
                .messages()
                .get(1)
                .content()
                .getFirst();
        assertEquals("get_weather", dev.functionTools().getFirst().name());
        assertEquals("Weather now", dev.functionTools().getFirst().description());

        // the client runs the tool and sends the whole conversation back
        var r2 = Http.post(
                url + "/chat/completions",
                "{" + tools + ", \"messages\": ["
                        + "{\"role\": \"user\", \"content\": \"Weather in Oslo?\"},"
                        + "{\"role\": \"assistant\", \"content\": null, \"reasoning_content\": \"Need the weather.\","
                        + " \"tool_calls\": [{\"id\": \"" + id + "\", \"type\": \"function\", \"function\": "
                        + "{\"name\": \"get_weather\", \"arguments\": \"{\\\"city\\\":\\\"Oslo\\\"}\"}}]},"
                        + "{\"role\": \"tool\", \"tool_call_id\": \"" + id + "\", \"content\": \"sunny, 21 C\"}]}");
        assertEquals(200, r2.statusCode(), r2.body());
        JsonNode choice2 = Http.json(r2).get("choices").get(0);
        assertEquals(
                "It is sunny in Oslo.", choice2.get("message").get("content").asText());
        assertEquals("stop", choice2.get("finish_reason").asText());
        List<Message> seen = backend.requests.get(1).conversation().messages();
        Message analysis = seen.get(3);
        assertEquals("analysis", analysis.channel());
        assertEquals("Need the weather.", analysis.text());
        Message callMessage = seen.get(4);
        assertEquals(Role.ASSISTANT, callMessage.role());
        assertEquals("functions.get_weather", callMessage.recipient());
        assertEquals("commentary", callMessage.channel());
        assertEquals("{\"city\":\"Oslo\"}", callMessage.text());
        Message result = seen.get(5);
        assertEquals(Role.TOOL, result.role());
        assertEquals("functions.get_weather", result.author().name());
        assertEquals("sunny, 21 C", result.text());
    }

    @Test
    void earlierTurnsReasoningIsDropped() throws Exception {
        var r = Http.post(url + "/chat/completions", """
                {"messages": [{"role": "user", "content": "Hi"},
                  {"role": "assistant", "content": "Hello!", "reasoning_content": "old thoughts"},
                  {"role": "user", "content": [{"type": "text", "text": "Again"}]}]}""");
        assertEquals(200, r.statusCode(), r.body());
        List<Message> seen = backend.requests.getFirst().conversation().messages();
        assertTrue(seen.stream().noneMatch(m -> "analysis".equals(m.channel())), seen.toString());
        assertEquals(Message.assistant("final", "Hello!"), seen.get(2));
        assertEquals(Message.user("Again"), seen.get(3));
        assertEquals(Message.user("Hi"), seen.get(1), "no developer message when there is nothing to say");
    }

    @Test
    void streamsDeltasFinishReasonUsageAndDone() throws Exception {
        List<Http.Event> events = Http.stream(url + "/chat/completions", """
                {"stream": true, "stream_options": {"include_usage": true},
                 "messages": [{"role": "user", "content": "Hi"}]}""");
        assertEquals("[DONE]", events.getLast().data());
        StringBuilder content = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        String finish = null;
        JsonNode usage = null;
        String id = null;
        for (Http.Event e : events.subList(0, events.size() - 1)) {
            JsonNode chunk = e.json();
            assertEquals("chat.completion.chunk", chunk.get("object").asText());
            if (id == null) id = chunk.get("id").asText();
            assertEquals(id, chunk.get("id").asText(), "one id for every chunk");
            if (chunk.get("choices").isEmpty()) {
                usage = chunk.get("usage");
                continue;
            }
            assertTrue(chunk.get("usage").isNull(), "usage comes only in the last chunk");
            JsonNode choice = chunk.get("choices").get(0);
            JsonNode delta = choice.get("delta");
            if (delta.has("content")) content.append(delta.get("content").asText());
            if (delta.has("reasoning_content"))
                reasoning.append(delta.get("reasoning_content").asText());
            if (!choice.get("finish_reason").isNull())
                finish = choice.get("finish_reason").asText();
        }
        assertEquals(
                "assistant",
                events.getFirst()
                        .json()
                        .get("choices")
                        .get(0)
                        .get("delta")
                        .get("role")
                        .asText());
        assertEquals("Hello there!", content.toString());
        assertEquals("The user greets.", reasoning.toString());
        assertTrue(events.size() > 8, "one chunk per token, not one for everything: " + events.size());
        assertEquals("stop", finish);
        assertTrue(usage != null && usage.get("completion_tokens").asInt() > 5);
    }

    @Test
    void streamsToolCallsInPieces() throws Exception {
        List<Http.Event> events = Http.stream(url + "/chat/completions", """
                {"stream": true, "messages": [{"role": "user", "content": "Weather?"}],
                 "tools": [{"type": "function", "function": {"name": "get_weather",
                   "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}]}""");
        String name = null;
        String id = null;
        StringBuilder args = new StringBuilder();
        int argumentChunks = 0;
        String finish = null;
        for (Http.Event e : events.subList(0, events.size() - 1)) {
            JsonNode choice = e.json().get("choices").get(0);
            if (!choice.get("finish_reason").isNull())
                finish = choice.get("finish_reason").asText();
            JsonNode calls = choice.get("delta").get("tool_calls");
            if (calls == null) continue;
            JsonNode call = calls.get(0);
            assertEquals(0, call.get("index").asInt());
            if (call.has("id")) {
                id = call.get("id").asText();
                name = call.get("function").get("name").asText();
            }
            String piece = call.get("function").path("arguments").asText("");
            if (!piece.isEmpty()) argumentChunks++;
            args.append(piece);
        }
        assertEquals("get_weather", name);
        assertTrue(id != null && id.startsWith("call_"));
        assertEquals("{\"city\":\"Oslo\"}", args.toString());
        assertTrue(argumentChunks > 1, "arguments stream in pieces");
        assertEquals("tool_calls", finish);
    }

    @Test
    void tokenLimitGivesFinishReasonLength() throws Exception {
        var r = Http.post(url + "/chat/completions", """
                {"max_tokens": 3, "messages": [{"role": "user", "content": "Hi"}]}""");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = Http.json(r);
        assertEquals("length", body.get("choices").get(0).get("finish_reason").asText());
        assertEquals(3, body.get("usage").get("completion_tokens").asInt());
        assertEquals(3, backend.requests.getFirst().maxTokens());
    }

    @Test
    void malformedOutputIsRetriedThenA500() throws Exception {
        server.close();
        ScriptedBackend broken = ScriptedBackend.fixed("<|channel|>final<|message|>no end");
        server = OpenAiServer.builder().backend(broken).port(0).build().start();
        var r = Http.post(server.baseUrl() + "/chat/completions", """
                {"messages": [{"role": "user", "content": "Hi"}]}""");
        assertEquals(500, r.statusCode());
        JsonNode error = Http.json(r).get("error");
        assertEquals("server_error", error.get("type").asText());
        assertEquals("malformed_completion", error.get("code").asText());
        assertTrue(error.get("message").asText().contains("without <|return|>"), error.toString());
        assertEquals(3, broken.requests.size(), "the first try and two retries");
    }
}
