package dev.gptoss4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gptoss4j.serve.openai.ApiSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Errors, authentication, back-pressure, client disconnects and many clients at once. */
class ServerBehaviourTest {

    private static final String HI = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}";

    private static OpenAiServer server(ScriptedBackend backend, String apiKey) {
        return OpenAiServer.builder()
                .backend(backend)
                .port(0)
                .apiKey(apiKey)
                .maxQueued(0)
                .settings(ApiSettings.defaults("gpt-oss-test"))
                .build()
                .start();
    }

    private static JsonNode error(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode e = Http.json(r).get("error");
        assertTrue(e != null && e.has("message") && e.has("type") && e.has("code"), r.body());
        return e;
    }

    @Test
    void badRequestsNameTheField() throws Exception {
        try (OpenAiServer s = server(ScriptedBackend.fixed(Scripts.ANSWER), null)) {
            String chat = s.baseUrl() + "/chat/completions";
            JsonNode e = error(Http.post(chat, "{\"messages\": [}"), 400);
            assertTrue(e.get("message").asText().startsWith("the request body is not valid JSON"), e.toString());
            assertEquals("invalid_request_error", e.get("type").asText());

            e = error(Http.post(chat, "{}"), 400);
            assertEquals("messages", e.get("param").asText());
            assertEquals(
                    "'messages' is required (an array of messages)",
                    e.get("message").asText());

            e = error(Http.post(chat, "{\"messages\": [{\"role\": \"user\", \"content\": 42}]}"), 400);
            assertEquals("messages[0].content", e.get("param").asText());
            assertTrue(e.get("message").asText().contains("must be a string or an array of text parts, got a number"));

            e = error(Http.post(chat, "{\"messages\": [{\"role\": \"robot\", \"content\": \"x\"}]}"), 400);
            assertEquals("messages[0].role", e.get("param").asText());

            e = error(
                    Http.post(
                            chat,
                            "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image_url\", "
                                    + "\"image_url\": {\"url\": \"x\"}}]}]}"),
                    400);
            assertEquals("messages[0].content[0].type", e.get("param").asText());

            e = error(
                    Http.post(
                            chat,
                            "{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}, {\"role\": \"tool\", "
                                    + "\"tool_call_id\": \"call_nope\", \"content\": \"1\"}]}"),
                    400);
            assertEquals("messages[1].tool_call_id", e.get("param").asText());
            assertTrue(e.get("message").asText().contains("call_nope"));

            e = error(Http.post(chat, "{\"max_tokens\": 0, " + HI.substring(1)), 400);
            assertEquals(
                    "'max_tokens' must be at least 1, got 0", e.get("message").asText());

            e = error(Http.post(chat, "{\"reasoning_effort\": \"huge\", " + HI.substring(1)), 400);
            assertEquals("reasoning_effort", e.get("param").asText());

            e = error(Http.post(chat, "{\"model\": \"gpt-5\", " + HI.substring(1)), 404);
            assertEquals("model_not_found", e.get("code").asText());

            e = error(Http.post(s.baseUrl() + "/embeddings", HI), 404);
            assertEquals("Invalid URL (POST /v1/embeddings)", e.get("message").asText());

            e = error(Http.get(chat), 405);
            assertEquals("method_not_allowed", e.get("code").asText());

            e = error(Http.get(s.baseUrl() + "/models/other"), 404);
            assertEquals("model_not_found", e.get("code").asText());
            var models = Http.get(s.baseUrl() + "/models");
            assertEquals(200, models.statusCode());
            assertEquals(
                    "gpt-oss-test",
                    Http.json(models).get("data").get(0).get("id").asText());
            assertEquals(
                    "model",
                    Http.json(Http.get(s.baseUrl() + "/models/gpt-oss-test"))
                            .get("object")
                            .asText());
        }
    }

    @Test
    void apiKeyIsRequiredWhenSet() throws Exception {
        try (OpenAiServer s = server(ScriptedBackend.fixed(Scripts.ANSWER), "sekret-key")) {
            JsonNode e = error(Http.get(s.baseUrl() + "/models"), 401);
            assertEquals("invalid_api_key", e.get("code").asText());
            error(Http.post(s.baseUrl() + "/chat/completions", HI, "Authorization", "Bearer wrong"), 401);
            var ok = Http.post(s.baseUrl() + "/chat/completions", HI, "Authorization", "Bearer sekret-key");
            assertEquals(200, ok.statusCode(), ok.body());
        }
    }

    @Test
    void busyServerAnswers429() throws Exception {
        ScriptedBackend backend = ScriptedBackend.fixed(Scripts.ANSWER);
        backend.gate = new CountDownLatch(1);
        try (OpenAiServer s = server(backend, null);
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<HttpResponse<String>> first = pool.submit(() -> Http.post(s.baseUrl() + "/chat/completions", HI));
            while (backend.active.get() == 0) Thread.sleep(5);
            var refused = Http.post(s.baseUrl() + "/chat/completions", HI);
            JsonNode e = error(refused, 429);
            assertEquals("rate_limit_error", e.get("type").asText());
            assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null));
            backend.gate.countDown();
            assertEquals(200, first.get().statusCode());
            assertEquals(200, Http.post(s.baseUrl() + "/chat/completions", HI).statusCode(), "free again");
        }
    }

    @Test
    void clientDisconnectCancelsGeneration() throws Exception {
        // a long answer, 2 ms a token: about 4 s if nobody stops it
        String longAnswer = "<|channel|>final<|message|>" + "word ".repeat(2000) + "<|return|>";
        ScriptedBackend backend = new ScriptedBackend(r -> longAnswer, 2000);
        try (OpenAiServer s = server(backend, null)) {
            String body = "{\"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \"Talk\"}]}";
            try (Socket socket = new Socket("127.0.0.1", s.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                int dataLines = 0;
                String line;
                while (dataLines < 5 && (line = in.readLine()) != null) {
                    if (line.startsWith("data: ")) dataLines++;
                }
                assertEquals(5, dataLines, "the stream started");
            } // the client hangs up mid-answer
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (backend.cancelled.get() == 0 && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(1, backend.cancelled.get(), "the generation was cancelled");
            assertEquals(0, backend.finished.get(), "and did not run to its end");
            while (backend.active.get() > 0) Thread.sleep(5);
            assertEquals(
                    200,
                    Http.post(s.baseUrl() + "/chat/completions", "{\"max_tokens\": 5, " + HI.substring(1))
                            .statusCode(),
                    "the slot is free again");
        }
    }

    @Test
    void thirtyTwoConcurrentStreamsCompleteWithNothingLost() throws Exception {
        AtomicInteger active = new AtomicInteger();
        AtomicInteger maxActive = new AtomicInteger();
        // each client gets its own answer, so a mixed-up or dropped token shows
        List<ScriptedBackend> backends = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            backends.add(new ScriptedBackend(
                    r -> {
                        String task = r.conversation().messages().getLast().text();
                        return "<|channel|>analysis<|message|>Thinking about " + task + ".<|end|><|start|>assistant"
                                + "<|channel|>final<|message|>Answer for " + task + ": "
                                + "tok ".repeat(40).strip()
                                + " end of " + task + ".<|return|>";
                    },
                    200,
                    active,
                    maxActive));
        }
        try (OpenAiServer s = OpenAiServer.builder()
                        .backends(backends)
                        .maxQueued(28)
                        .port(0)
                        .build()
                        .start();
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String task = "client-" + i;
                results.add(pool.submit(() -> {
                    List<Http.Event> events = Http.stream(
                            s.baseUrl() + "/chat/completions",
                            "{\"stream\": true, " + "\"messages\": [{\"role\": \"user\", \"content\": \"" + task
                                    + "\"}]}");
                    assertEquals("[DONE]", events.getLast().data(), task);
                    StringBuilder content = new StringBuilder();
                    for (Http.Event e : events.subList(0, events.size() - 1)) {
                        JsonNode choice = e.json().get("choices").get(0);
                        content.append(choice.get("delta").path("content").asText(""));
                    }
                    return content.toString();
                }));
            }
            for (int i = 0; i < 32; i++) {
                assertEquals(
                        "Answer for client-" + i + ": " + "tok ".repeat(40).strip() + " end of client-" + i + ".",
                        results.get(i).get());
            }
            int calls = backends.stream().mapToInt(b -> b.requests.size()).sum();
            assertEquals(32, calls);
            assertTrue(maxActive.get() <= 4, "never more generations than backends: " + maxActive.get());
            assertTrue(maxActive.get() >= 2, "generations ran in parallel: " + maxActive.get());
        }
    }
}
