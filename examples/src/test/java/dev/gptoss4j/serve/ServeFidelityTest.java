package dev.gptoss4j.serve;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gptoss4j.agent.backend.DecodingConstraints;
import dev.gptoss4j.agent.backend.LocalEngineBackend;
import dev.gptoss4j.engine.GptOss;
import dev.gptoss4j.engine.SessionOptions;
import dev.gptoss4j.engine.constrain.JsonSchemaGrammar;
import dev.gptoss4j.engine.sampling.SamplerConfig;
import dev.gptoss4j.engine.synth.GgufType;
import dev.gptoss4j.engine.synth.SynthConfig;
import dev.gptoss4j.engine.synth.SynthGguf;
import dev.gptoss4j.engine.tokenizer.Tokenizer;
import dev.gptoss4j.serve.openai.ApiSettings;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the OpenAI APIs promise about log-probabilities, tool choice and usage, served by the local engine on a
 * random-weight model written here (the full o200k_harmony vocabulary): the model knows nothing, so a forced tool
 * call is the constraints' doing, and the log-probabilities are the engine's own numbers.
 */
class ServeFidelityTest {

    @TempDir
    static Path dir;

    private static GptOss model;
    private static LocalEngineBackend backend;
    private static OpenAiServer server;

    @BeforeAll
    static void start() {
        Path file = dir.resolve("tiny.gguf");
        SynthGguf.write(SynthConfig.tiny().withLayers(2), 5, GgufType.Q8_0, file, 2, done -> {});
        model = GptOss.load(file);
        // after a tool's result the reply is the final answer: the random model then writes answer text, whose
        // tokens are what logprobs report
        backend = LocalEngineBackend.of(
                model,
                SamplerConfig.builder().temperature(1f).seed(1).build(),
                SessionOptions.builder().maxContext(2048).threads(2).build(),
                DecodingConstraints.defaults().withAnswerAfterTools(true));
        server = OpenAiServer.builder()
                .backend(backend)
                .port(0)
                .settings(ApiSettings.defaults("tiny").withContextWindow(2048).withConversationDate("2025-08-05"))
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (backend != null) backend.close();
        if (model != null) model.close();
    }

    private static final String TOOLS = """
            "tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object",
              "properties": {"city": {"type": "string", "maxLength": 12}}, "required": ["city"],
              "additionalProperties": false}}},
             {"type": "function", "function": {"name": "get_time", "parameters": {"type": "object",
              "properties": {"zone": {"type": "string", "enum": ["UTC", "CET"]}}, "required": ["zone"],
              "additionalProperties": false}}}]""";

    @Test
    void logprobsAreTheEnginesForEveryAnswerToken() throws Exception {
        var r = Http.post(server.baseUrl() + "/chat/completions", """
                {"model": "tiny", "max_tokens": 40, "seed": 3, "logprobs": true, "top_logprobs": 3,
                 "messages": [{"role": "user", "content": "Weather?"}, {"role": "assistant", "tool_calls": [{"id": "c1",
                   "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}]},
                   {"role": "tool", "tool_call_id": "c1", "content": "sunny"}]}""");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode choice = Http.json(r).at("/choices/0");
        JsonNode logprobs = choice.get("logprobs");
        assertTrue(logprobs.isObject(), choice.toString());
        JsonNode content = logprobs.get("content");
        String text = choice.at("/message/content").asText();
        StringBuilder joined = new StringBuilder();
        List<Byte> bytes = new ArrayList<>();
        for (JsonNode t : content) {
            double lp = t.get("logprob").asDouble();
            assertTrue(lp <= 0 && lp > Double.NEGATIVE_INFINITY, t.toString());
            JsonNode top = t.get("top_logprobs");
            assertTrue(top.size() <= 3 && !top.isEmpty(), t.toString());
            for (int i = 1; i < top.size(); i++) {
                assertTrue(top.get(i - 1).get("logprob").asDouble()
                        >= top.get(i).get("logprob").asDouble());
            }
            assertTrue(lp <= top.get(0).get("logprob").asDouble() + 1e-6, "no token beats the most likely one");
            t.get("bytes").forEach(b -> bytes.add((byte) b.asInt()));
            joined.append(t.get("token").asText());
        }
        byte[] all = new byte[bytes.size()];
        for (int i = 0; i < all.length; i++) all[i] = bytes.get(i);
        assertEquals(text, new String(all, StandardCharsets.UTF_8), "the tokens' bytes spell the content exactly");
        assertFalse(content.isEmpty(), "the forced answer has tokens: " + choice);

        var plain = Http.post(server.baseUrl() + "/chat/completions", """
                {"model": "tiny", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 5}""");
        assertTrue(Http.json(plain).at("/choices/0/logprobs").isNull(), "no logprobs unless asked");
        var tooMany = Http.post(server.baseUrl() + "/chat/completions", """
                {"messages": [{"role": "user", "content": "Hi"}], "logprobs": true, "top_logprobs": 21}""");
        assertEquals(400, tooMany.statusCode());
        assertEquals("top_logprobs", Http.json(tooMany).at("/error/param").asText());
    }

    @Test
    void aNamedToolChoiceForcesThatCallWithSchemaValidArguments() throws Exception {
        for (String name : List.of("get_weather", "get_time")) {
            var r = Http.post(
                    server.baseUrl() + "/chat/completions",
                    "{\"model\": \"tiny\", \"max_tokens\": 60, "
                            + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], " + TOOLS
                            + ", \"tool_choice\": "
                            + "{\"type\": \"function\", \"function\": {\"name\": \"" + name + "\"}}}");
            assertEquals(200, r.statusCode(), r.body());
            JsonNode choice = Http.json(r).at("/choices/0");
            assertEquals("tool_calls", choice.get("finish_reason").asText(), choice.toString());
            JsonNode call = choice.at("/message/tool_calls/0/function");
            assertEquals(name, call.get("name").asText());
            JsonNode args = Http.JSON.readTree(call.get("arguments").asText());
            assertTrue(args.has(name.equals("get_weather") ? "city" : "zone"), args.toString());
        }
        var unknown = Http.post(
                server.baseUrl() + "/chat/completions",
                "{\"messages\": [{\"role\": \"user\", "
                        + "\"content\": \"Hi\"}], " + TOOLS
                        + ", \"tool_choice\": {\"type\": \"function\", \"function\": "
                        + "{\"name\": \"launch\"}}}");
        assertEquals(400, unknown.statusCode());
        assertEquals(
                "tool_choice.function.name",
                Http.json(unknown).at("/error/param").asText());
    }

    @Test
    void requiredToolChoiceThroughLangChain4jGivesACall() {
        OpenAiChatModel client = OpenAiChatModel.builder()
                .baseUrl(server.baseUrl())
                .apiKey("none")
                .modelName("tiny")
                .maxTokens(60)
                .build();
        ToolSpecification weather = ToolSpecification.builder()
                .name("get_weather")
                .description("Weather.")
                .parameters(JsonObjectSchema.builder()
                        .addStringProperty("city")
                        .required("city")
                        .build())
                .build();
        AiMessage reply = client.chat(ChatRequest.builder()
                        .messages(UserMessage.from("Weather in Oslo?"))
                        .toolSpecifications(weather)
                        .toolChoice(ToolChoice.REQUIRED)
                        .build())
                .aiMessage();
        assertTrue(reply.hasToolExecutionRequests(), "the random model called the tool: " + reply);
        assertEquals("get_weather", reply.toolExecutionRequests().getFirst().name());
    }

    @Test
    void usageCountsReasoningTokensAndResponsesReturnLogprobs() throws Exception {
        var chat = Http.post(server.baseUrl() + "/chat/completions", """
                {"model": "tiny", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 30}""");
        JsonNode body = Http.json(chat);
        String reasoning = body.at("/choices/0/message/reasoning_content").asText("");
        int counted =
                body.at("/usage/completion_tokens_details/reasoning_tokens").asInt(-1);
        assertEquals(
                Math.min(30, reasoning.isEmpty() ? 0 : Tokenizer.o200kHarmony().encode(reasoning).length),
                counted,
                body.toString());
        assertTrue(counted <= body.at("/usage/completion_tokens").asInt());

        var responses = Http.post(server.baseUrl() + "/responses", """
                {"model": "tiny", "max_output_tokens": 30, "top_logprobs": 2, "include": ["message.output_text.logprobs"],
                 "input": [{"role": "user", "content": "Weather?"},
                   {"type": "function_call", "call_id": "c1", "name": "get_weather", "arguments": "{}"},
                   {"type": "function_call_output", "call_id": "c1", "output": "sunny"}]}""");
        assertEquals(200, responses.statusCode(), responses.body());
        JsonNode r = Http.json(responses);
        int reasoningTokens =
                r.at("/usage/output_tokens_details/reasoning_tokens").asInt(-1);
        assertTrue(
                reasoningTokens >= 0
                        && reasoningTokens <= r.at("/usage/output_tokens").asInt(),
                r.toString());
        int messages = 0;
        for (JsonNode item : r.get("output")) {
            if (!item.get("type").asText().equals("message")) continue;
            messages++;
            JsonNode part = item.at("/content/0");
            StringBuilder text = new StringBuilder();
            for (JsonNode t : part.get("logprobs")) {
                text.append(t.get("token").asText());
                assertTrue(t.get("top_logprobs").size() <= 2);
            }
            assertEquals(part.get("text").asText(), text.toString(), "the tokens spell the text: " + part);
            assertFalse(part.get("logprobs").isEmpty(), part.toString());
        }
        assertEquals(1, messages, "the forced answer is one message: " + r.get("output"));
    }

    @Test
    void jsonObjectAndJsonSchemaAnswersAreEnforcedOnARandomModel() throws Exception {
        String afterTool = """
                "messages": [{"role": "user", "content": "Weather?"}, {"role": "assistant", "tool_calls": [{"id": "c1",
                   "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}]},
                   {"role": "tool", "tool_call_id": "c1", "content": "sunny"}]""";
        // a random model may write one key forever, so the answer is checked as far as it got: every byte of it
        // must keep it a JSON object that can still be finished, and a finished one must parse as an object
        JsonSchemaGrammar anyObject = JsonSchemaGrammar.compile("{\"type\":\"object\",\"additionalProperties\":true}");
        for (long seed = 1; seed <= 3; seed++) {
            var r = Http.post(
                    server.baseUrl() + "/chat/completions",
                    "{\"model\": \"tiny\", \"max_tokens\": 60, " + "\"seed\": " + seed
                            + ", \"response_format\": {\"type\": \"json_object\"}, " + afterTool + "}");
            assertEquals(200, r.statusCode(), r.body());
            JsonNode choice = Http.json(r).at("/choices/0");
            String content = choice.at("/message/content").asText();
            assertTrue(content.startsWith("{"), "seed " + seed + ": " + content);
            assertNotNull(
                    anyObject.start().step(content.getBytes(StandardCharsets.UTF_8)),
                    "seed " + seed + ": not the start of a JSON object: " + content);
            if (choice.get("finish_reason").asText().equals("stop")) {
                assertTrue(Http.JSON.readTree(content).isObject(), content);
            }
        }
        // the control: without the format, the same model's answers are not JSON objects
        List<String> free = new ArrayList<>();
        for (long seed = 1; seed <= 3; seed++) {
            var unconstrained = Http.post(
                    server.baseUrl() + "/chat/completions",
                    "{\"model\": \"tiny\", " + "\"max_tokens\": 60, \"seed\": " + seed + ", " + afterTool + "}");
            String text =
                    Http.json(unconstrained).at("/choices/0/message/content").asText();
            if (!text.isEmpty() && anyObject.start().step(text.getBytes(StandardCharsets.UTF_8)) == null) {
                free.add(text);
            }
        }
        assertFalse(free.isEmpty(), "some unconstrained answer is not a JSON object");
        var schema = Http.post(
                server.baseUrl() + "/chat/completions",
                "{\"model\": \"tiny\", \"max_tokens\": 300, "
                        + "\"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"w\", \"schema\": "
                        + "{\"type\": \"object\", \"properties\": {\"sky\": {\"enum\": [\"clear\", \"grey\"]}}, "
                        + "\"required\": [\"sky\"], \"additionalProperties\": false}}}, " + afterTool + "}");
        JsonNode answer = Http.JSON.readTree(
                Http.json(schema).at("/choices/0/message/content").asText());
        assertTrue(answer.get("sky").asText().matches("clear|grey"), answer.toString());
        assertEquals(1, answer.size(), answer.toString());
    }

    @Test
    void streamedChunksCarryTheLogprobsOfTheirOwnText() throws Exception {
        List<Http.Event> events = Http.stream(server.baseUrl() + "/chat/completions", """
                {"model": "tiny", "max_tokens": 30, "seed": 2, "stream": true, "logprobs": true,
                 "messages": [{"role": "user", "content": "Weather?"}, {"role": "assistant", "tool_calls": [{"id": "c1",
                   "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}]},
                   {"role": "tool", "tool_call_id": "c1", "content": "sunny"}]}""");
        StringBuilder text = new StringBuilder();
        List<Byte> bytes = new ArrayList<>();
        for (Http.Event e : events) {
            if (e.data().equals("[DONE]")) continue;
            JsonNode choice = e.json().at("/choices/0");
            text.append(choice.at("/delta/content").asText(""));
            JsonNode logprobs = choice.get("logprobs");
            if (logprobs != null && !logprobs.isNull()) {
                for (JsonNode t : logprobs.get("content")) t.get("bytes").forEach(b -> bytes.add((byte) b.asInt()));
            }
        }
        byte[] all = new byte[bytes.size()];
        for (int i = 0; i < all.length; i++) all[i] = bytes.get(i);
        assertFalse(text.isEmpty());
        assertEquals(text.toString(), new String(all, StandardCharsets.UTF_8), "the chunks' tokens spell the text");
    }
}
