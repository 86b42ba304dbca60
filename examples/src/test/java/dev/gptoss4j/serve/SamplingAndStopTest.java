package dev.gptoss4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gptoss4j.agent.backend.SamplingParameters;
import dev.gptoss4j.serve.openai.ApiSettings;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A request's sampling parameters reach the backend; its stop sequences end the answer. */
class SamplingAndStopTest {

    private static final String COUNTING = "<|channel|>analysis<|message|>Count.<|end|><|start|>assistant"
            + "<|channel|>final<|message|>one, two, three, STOP here, four, five, six, seven, eight<|return|>";

    private ScriptedBackend backend;
    private OpenAiServer server;
    private String url;

    @BeforeEach
    void start() {
        backend = new ScriptedBackend(r -> COUNTING, 0);
        server = OpenAiServer.builder()
                .backend(backend)
                .port(0)
                .settings(ApiSettings.defaults("m"))
                .build()
                .start();
        url = server.baseUrl();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void chatCompletionsPassSamplingParametersToTheBackend() throws Exception {
        var r = Http.post(url + "/chat/completions", """
                {"messages": [{"role": "user", "content": "Count"}], "temperature": 0.25, "top_p": 0.9,
                 "seed": 12345678901, "presence_penalty": 0.5, "frequency_penalty": -0.5, "top_k": 40}""");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(
                new SamplingParameters(0.25, 0.9, 40, 0.5, -0.5, 12345678901L),
                backend.requests.getLast().sampling());

        Http.post(url + "/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"Count\"}]}");
        assertTrue(backend.requests.getLast().sampling().isDefault(), "absent parameters keep the server's");
    }

    @Test
    void responsesPassSamplingParametersAndEchoThem() throws Exception {
        var r = Http.post(url + "/responses", """
                {"input": "Count", "temperature": 0, "top_p": 0.5}""");
        assertEquals(200, r.statusCode(), r.body());
        SamplingParameters seen = backend.requests.getLast().sampling();
        assertEquals(0.0, seen.temperature());
        assertEquals(0.5, seen.topP());
        JsonNode body = Http.json(r);
        assertEquals(0.0, body.get("temperature").asDouble());
        assertEquals(0.5, body.get("top_p").asDouble());
    }

    @Test
    void badSamplingParametersAreA400NamingTheField() throws Exception {
        for (var c : List.of(
                List.of("\"temperature\": -1", "temperature"),
                List.of("\"top_p\": 0", "top_p"),
                List.of("\"seed\": \"x\"", "seed"),
                List.of("\"stop\": 5", "stop"),
                List.of("\"stop\": [\"a\", \"b\", \"c\", \"d\", \"e\"]", "stop"))) {
            var r = Http.post(
                    url + "/chat/completions",
                    "{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}], " + c.get(0) + "}");
            assertEquals(400, r.statusCode(), r.body());
            assertEquals(c.get(1), Http.json(r).at("/error/param").asText(), r.body());
        }
        assertEquals(0, backend.requests.size(), "nothing reached the model");
    }

    @Test
    void stopSequenceEndsTheAnswerAndTheGeneration() throws Exception {
        var r = Http.post(url + "/chat/completions", """
                {"messages": [{"role": "user", "content": "Count"}], "stop": ["STOP", "never"]}""");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode choice = Http.json(r).get("choices").get(0);
        assertEquals("one, two, three, ", choice.at("/message/content").asText());
        assertEquals("stop", choice.get("finish_reason").asText());
        assertEquals(1, backend.cancelled.get(), "the model stopped at the stop sequence, not at its end");
        assertTrue(Http.json(r).at("/usage/completion_tokens").asInt() < 20, r.body());
    }

    @Test
    void streamedStopSequenceNeverShowsAPieceOfIt() throws Exception {
        List<Http.Event> events = Http.stream(url + "/chat/completions", """
                {"messages": [{"role": "user", "content": "Count"}], "stream": true, "stop": "STOP"}""");
        StringBuilder content = new StringBuilder();
        String finish = null;
        for (Http.Event e : events) {
            if (e.data().equals("[DONE]")) continue;
            JsonNode choice = e.json().at("/choices/0");
            if (choice.at("/delta/content").isTextual())
                content.append(choice.at("/delta/content").asText());
            if (choice.hasNonNull("finish_reason"))
                finish = choice.get("finish_reason").asText();
        }
        assertEquals("one, two, three, ", content.toString());
        assertEquals("stop", finish);
        assertEquals("[DONE]", events.getLast().data());

        // without a stop, the whole answer streams
        events = Http.stream(url + "/chat/completions", """
                {"messages": [{"role": "user", "content": "Count"}], "stream": true, "stop": "absent"}""");
        content.setLength(0);
        for (Http.Event e : events) {
            if (!e.data().equals("[DONE]")
                    && e.json().at("/choices/0/delta/content").isTextual()) {
                content.append(e.json().at("/choices/0/delta/content").asText());
            }
        }
        assertEquals("one, two, three, STOP here, four, five, six, seven, eight", content.toString());
    }
}
