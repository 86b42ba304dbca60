package dev.gptoss4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gptoss4j.agent.tool.FunctionTool;
import dev.gptoss4j.agent.tool.ToolResult;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.Role;
import dev.gptoss4j.engine.harmony.SystemContent;
import dev.gptoss4j.serve.openai.ApiSettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponsesTest {

    private static final String PYTHON_CALL = "<|channel|>analysis<|message|>Compute it.<|end|>"
            + "<|start|>assistant<|channel|>analysis to=python code<|message|>print(6*7)<|call|>";
    private static final String PYTHON_ANSWER = "<|channel|>final<|message|>The answer is 42.<|return|>";

    private static OpenAiServer server(ScriptedBackend backend, ApiSettings settings) {
        return OpenAiServer.builder()
                .backend(backend)
                .port(0)
                .settings(settings)
                .build()
                .start();
    }

    @Test
    void textAnswerHasReasoningAndMessageItems() throws Exception {
        ScriptedBackend backend = new ScriptedBackend(Scripts::weather, 0);
        try (OpenAiServer s = server(backend, ApiSettings.defaults("m"))) {
            var r = Http.post(s.baseUrl() + "/responses", """
                    {"model": "m", "instructions": "Be brief.", "input": "Hi", "reasoning": {"effort": "high"}}""");
            assertEquals(200, r.statusCode(), r.body());
            JsonNode body = Http.json(r);
            assertEquals("response", body.get("object").asText());
            assertEquals("completed", body.get("status").asText());
            JsonNode output = body.get("output");
            assertEquals(2, output.size(), output.toString());
            assertEquals("reasoning", output.get(0).get("type").asText());
            assertEquals(
                    "The user greets.",
                    output.get(0).get("content").get(0).get("text").asText());
            assertEquals("message", output.get(1).get("type").asText());
            assertEquals(
                    "output_text",
                    output.get(1).get("content").get(0).get("type").asText());
            assertEquals(
                    "Hello there!",
                    output.get(1).get("content").get(0).get("text").asText());
            assertTrue(body.get("usage").get("input_tokens").asInt() > 0);
            assertEquals(
                    body.get("usage").get("input_tokens").asInt()
                            + body.get("usage").get("output_tokens").asInt(),
                    body.get("usage").get("total_tokens").asInt());
            assertEquals("Be brief.", body.get("instructions").asText());
            List<Message> seen = backend.requests.getFirst().conversation().messages();
            assertEquals(
                    "HIGH",
                    ((SystemContent) seen.getFirst().content().getFirst())
                            .reasoningEffort()
                            .name());
            assertEquals(Message.user("Hi"), seen.getLast());
        }
    }

    @Test
    void functionCallsGoBackToTheClient() throws Exception {
        ScriptedBackend backend = new ScriptedBackend(Scripts::weather, 0);
        String tools = "\"tools\": [{\"type\": \"function\", \"name\": \"get_weather\", \"parameters\": "
                + "{\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}}}]";
        try (OpenAiServer s = server(backend, ApiSettings.defaults("m"))) {
            var r = Http.post(s.baseUrl() + "/responses", "{" + tools + ", \"input\": \"Weather in Oslo?\"}");
            JsonNode output = Http.json(r).get("output");
            JsonNode call = output.get(output.size() - 1);
            assertEquals("function_call", call.get("type").asText(), output.toString());
            assertEquals("get_weather", call.get("name").asText());
            assertEquals("{\"city\":\"Oslo\"}", call.get("arguments").asText());
            String callId = call.get("call_id").asText();

            // the client answers: its input repeats the output items and adds the function's output
            String input = "[{\"role\": \"user\", \"content\": \"Weather in Oslo?\"}, " + output.get(0) + ", " + call
                    + ", {\"type\": \"function_call_output\", \"call_id\": \"" + callId + "\", \"output\": \"sunny\"}]";
            var r2 = Http.post(s.baseUrl() + "/responses", "{" + tools + ", \"input\": " + input + "}");
            assertEquals(200, r2.statusCode(), r2.body());
            JsonNode out2 = Http.json(r2).get("output");
            assertEquals(
                    "It is sunny in Oslo.",
                    out2.get(0).get("content").get(0).get("text").asText());
            List<Message> seen = backend.requests.get(1).conversation().messages();
            Message result = seen.getLast();
            assertEquals(Role.TOOL, result.role());
            assertEquals("functions.get_weather", result.author().name());
            assertEquals("sunny", result.text());
            assertEquals("functions.get_weather", seen.get(seen.size() - 2).recipient());
            assertEquals("Need the weather.", seen.get(seen.size() - 3).text(), "this turn's reasoning is kept");
        }
    }

    @Test
    void builtInPythonRunsOnTheServer() throws Exception {
        List<String> ran = new ArrayList<>();
        FunctionTool python = FunctionTool.builder()
                .namespace("python")
                .name("python")
                .description("python")
                .parameters(null)
                .handler(args -> {
                    ran.add(args.raw());
                    return ToolResult.of("42\n");
                })
                .build();
        ScriptedBackend backend = new ScriptedBackend(
                r -> r.conversation().messages().getLast().role() == Role.TOOL ? PYTHON_ANSWER : PYTHON_CALL, 0);
        ApiSettings settings = ApiSettings.defaults("m").withBuiltInTools(List.of(python));
        try (OpenAiServer s = server(backend, settings)) {
            var refused = Http.post(
                    s.baseUrl() + "/responses", "{\"input\": \"x\", \"tools\": [{\"type\": " + "\"browser_search\"}]}");
            assertEquals(400, refused.statusCode());
            assertEquals(
                    "tools[0].type",
                    Http.json(refused).get("error").get("param").asText());

            List<Http.Event> events = Http.stream(s.baseUrl() + "/responses", """
                    {"stream": true, "input": "What is 6*7?", "tools": [{"type": "code_interpreter"}]}""");
            assertEquals(List.of("print(6*7)"), ran);
            assertEquals("response.created", events.getFirst().name());
            Http.Event last = events.getLast();
            assertEquals("response.completed", last.name());
            for (int i = 0; i < events.size(); i++) {
                assertEquals(i, events.get(i).json().get("sequence_number").asInt());
                assertEquals(
                        events.get(i).name(), events.get(i).json().get("type").asText());
            }
            JsonNode output = last.json().get("response").get("output");
            List<String> types = new ArrayList<>();
            output.forEach(item -> types.add(item.get("type").asText()));
            assertEquals(List.of("reasoning", "code_interpreter_call", "message"), types);
            JsonNode ci = output.get(1);
            assertEquals("print(6*7)", ci.get("code").asText());
            assertEquals("42\n", ci.get("outputs").get(0).get("logs").asText());
            assertEquals("completed", ci.get("status").asText());
            StringBuilder text = new StringBuilder();
            for (Http.Event e : events) {
                if (e.name().equals("response.output_text.delta"))
                    text.append(e.json().get("delta").asText());
            }
            assertEquals("The answer is 42.", text.toString());
            assertEquals(2, backend.requests.size(), "the model was called again with the tool's result");
            Message toolMessage =
                    backend.requests.get(1).conversation().messages().getLast();
            assertEquals("python", toolMessage.author().name());
            assertEquals("42\n", toolMessage.text());
            assertTrue(
                    backend.requests
                                            .getFirst()
                                            .conversation()
                                            .messages()
                                            .getFirst()
                                            .content()
                                            .getFirst()
                                    instanceof SystemContent sc
                            && sc.tools().containsKey("python"),
                    "python announced");
        }
    }

    @Test
    void streamedTextEventsArriveInOrder() throws Exception {
        try (OpenAiServer s = server(new ScriptedBackend(Scripts::weather, 0), ApiSettings.defaults("m"))) {
            List<Http.Event> events = Http.stream(
                    s.baseUrl() + "/responses",
                    "{\"stream\": true, \"input\": [{\"role\": \"user\", \"content\": [{\"type\": \"input_text\", "
                            + "\"text\": \"Hi\"}]}]}");
            List<String> names =
                    events.stream().map(Http.Event::name).distinct().toList();
            assertEquals(
                    List.of(
                            "response.created",
                            "response.in_progress",
                            "response.output_item.added",
                            "response.content_part.added",
                            "response.reasoning_text.delta",
                            "response.reasoning_text.done",
                            "response.content_part.done",
                            "response.output_item.done",
                            "response.output_text.delta",
                            "response.output_text.done",
                            "response.completed"),
                    names);
            JsonNode done = events.stream()
                    .filter(e -> e.name().equals("response.output_text.done"))
                    .findFirst()
                    .orElseThrow()
                    .json();
            assertEquals("Hello there!", done.get("text").asText());
            assertEquals(1, done.get("output_index").asInt());
        }
    }

    @Test
    void tokenLimitMakesTheResponseIncomplete() throws Exception {
        try (OpenAiServer s = server(new ScriptedBackend(Scripts::weather, 0), ApiSettings.defaults("m"))) {
            JsonNode body =
                    Http.json(Http.post(s.baseUrl() + "/responses", "{\"input\": \"Hi\", \"max_output_tokens\": 4}"));
            assertEquals("incomplete", body.get("status").asText());
            assertEquals(
                    "max_output_tokens",
                    body.get("incomplete_details").get("reason").asText());
            assertEquals(4, body.get("usage").get("output_tokens").asInt());
            var bad = Http.post(
                    s.baseUrl() + "/responses",
                    "{\"input\": [{\"type\": \"function_call_output\", " + "\"call_id\": \"c1\", \"output\": \"x\"}]}");
            assertEquals(400, bad.statusCode());
            assertEquals(
                    "input[0].call_id", Http.json(bad).get("error").get("param").asText());
        }
    }
}
