package dev.gptoss4j.serve;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gptoss4j.serve.openai.ApiSettings;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Requests built to hurt the server get a 4xx that says what is wrong, and the server goes on serving. */
class RequestLimitsTest {

    private static OpenAiServer server(ApiSettings settings) {
        return OpenAiServer.builder()
                .backend(new ScriptedBackend(Scripts::weather, 0))
                .port(0)
                .settings(settings)
                .maxBodyBytes(1 << 20)
                .build()
                .start();
    }

    private static JsonNode error(HttpResponse<String> r) throws Exception {
        return Http.json(r).get("error");
    }

    @Test
    void jsonNested100000DeepIsA400NotAStackOverflow() throws Exception {
        try (OpenAiServer s = server(ApiSettings.defaults("m"))) {
            String deep = "{\"messages\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}";
            for (String path : new String[] {"/chat/completions", "/responses"}) {
                HttpResponse<String> r = Http.post(s.baseUrl() + path, deep);
                assertEquals(400, r.statusCode(), r.body());
                String message = error(r).get("message").asText();
                assertTrue(message.contains("nesting depth") && message.contains("128"), message);
                assertFalse(message.contains("StreamReadConstraints"), "no library names: " + message);
            }
            String objects = "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000);
            assertEquals(
                    400, Http.post(s.baseUrl() + "/chat/completions", objects).statusCode());
            // what is just within the limit still parses (and then fails on its content, by name)
            String ok = "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\", \"x\": " + "[".repeat(100)
                    + "]".repeat(100) + "}]}";
            assertEquals(200, Http.post(s.baseUrl() + "/chat/completions", ok).statusCode());
        }
    }

    @Test
    void anOversizedBodyIsA413WithTheLimit() throws Exception {
        try (OpenAiServer s = server(ApiSettings.defaults("m"))) {
            String big = "{\"messages\": [{\"role\": \"user\", \"content\": \"" + "x".repeat(2 << 20) + "\"}]}";
            HttpResponse<String> r = Http.post(s.baseUrl() + "/chat/completions", big);
            assertEquals(413, r.statusCode(), r.body().length() > 300 ? r.body().substring(0, 300) : r.body());
            assertTrue(error(r).get("message").asText().contains("larger than 1048576 bytes"), r.body());
            assertEquals(200, Http.get(s.baseUrl() + "/models").statusCode(), "still serving");
        }
    }

    @Test
    void aPromptLongerThanTheContextWindowIsA400WithTheNumbers() throws Exception {
        try (OpenAiServer s = server(ApiSettings.defaults("m").withContextWindow(200))) {
            String longPrompt = "{\"messages\": [{\"role\": \"user\", \"content\": \"" + "word ".repeat(400) + "\"}]}";
            HttpResponse<String> r = Http.post(s.baseUrl() + "/chat/completions", longPrompt);
            assertEquals(400, r.statusCode(), r.body());
            JsonNode e = error(r);
            assertEquals("context_length_exceeded", e.get("code").asText());
            assertEquals("messages", e.get("param").asText());
            assertTrue(
                    e.get("message")
                            .asText()
                            .matches("the prompt is \\d+ tokens; the model's context window is " + "200 tokens.*"),
                    e.get("message").asText());

            HttpResponse<String> tooMuch =
                    Http.post(s.baseUrl() + "/responses", "{\"input\": \"Hi\", \"max_output_tokens\": 190}");
            assertEquals(400, tooMuch.statusCode(), tooMuch.body());
            assertEquals("max_output_tokens", error(tooMuch).get("param").asText());
            assertTrue(error(tooMuch).get("message").asText().contains("asks for 190 more"), tooMuch.body());

            HttpResponse<String> fits = Http.post(
                    s.baseUrl() + "/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
            assertEquals(200, fits.statusCode(), "a default limit is cut to the room left: " + fits.body());
        }
    }

    @Test
    void aBlankApiKeyIsRefusedWhenTheServerIsBuilt() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> OpenAiServer.builder()
                        .backend(ScriptedBackend.fixed("x"))
                        .port(0)
                        .apiKey("   ")
                        .build());
        assertTrue(e.getMessage().contains("blank"), e.getMessage());
    }
}
