package dev.gptoss4j.agent.remote;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiClientTest {

    private static final String KEY = "sk-secret-1234567890abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    private MockWebServer server;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private OpenAiClient client(HttpSettings settings) {
        return new OpenAiClient(server.url("/v1").toString(), KEY, settings);
    }

    private static HttpSettings fast() {
        return HttpSettings.defaults().withInitialBackoff(Duration.ofMillis(10)).withReadTimeout(Duration.ofSeconds(5));
    }

    private static JsonNode body() {
        return JSON.createObjectNode().put("model", "m");
    }

    private static MockResponse ok(String json) {
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(json);
    }

    @Test
    void sendsBearerKeyAndJsonBody() throws Exception {
        server.enqueue(ok("{\"answer\":42}"));
        JsonNode answer = client(fast()).post("/chat/completions", body());
        assertEquals(42, answer.get("answer").asInt());
        RecordedRequest r = server.takeRequest();
        assertEquals("/v1/chat/completions", r.getPath());
        assertEquals("Bearer " + KEY, r.getHeader("Authorization"));
        assertEquals("{\"model\":\"m\"}", r.getBody().readUtf8());
    }

    @Test
    void retries429HonouringRetryAfter() {
        server.enqueue(new MockResponse()
                .setResponseCode(429)
                .setHeader("Retry-After", "1")
                .setBody("{\"error\":{\"message\":\"Rate limit reached\"}}"));
        server.enqueue(ok("{\"ok\":true}"));
        long t0 = System.nanoTime();
        JsonNode answer = client(fast()).post("/x", body());
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(answer.get("ok").asBoolean());
        assertEquals(2, server.getRequestCount());
        assertTrue(waited >= 950, "waited " + waited + " ms for Retry-After: 1");
    }

    @Test
    void retryAfterMillisecondsHeaderIsPreferred() {
        server.enqueue(new MockResponse()
                .setResponseCode(429)
                .setHeader("retry-after-ms", "50")
                .setHeader("Retry-After", "30"));
        server.enqueue(ok("{}"));
        long t0 = System.nanoTime();
        client(fast()).post("/x", body());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "did not wait the 30 s of Retry-After");
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void retryAfterLongerThanAcceptedFailsAtOnceSayingSo() {
        server.enqueue(new MockResponse()
                .setResponseCode(429)
                .setHeader("Retry-After", "3600")
                .setBody("{\"error\":{\"message\":\"quota\"}}"));
        HttpCallException e =
                assertThrows(HttpCallException.class, () -> client(fast()).post("/x", body()));
        assertEquals(429, e.status());
        assertTrue(e.getMessage().contains("3600 s"), e.getMessage());
        assertTrue(e.getMessage().contains("quota"), e.getMessage());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void serverErrorsAreRetriedThenReported() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse()
                    .setResponseCode(500)
                    .setBody("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}"));
        }
        HttpCallException e = assertThrows(
                HttpCallException.class, () -> client(fast().withMaxRetries(2)).post("/x", body()));
        assertEquals(500, e.status());
        assertEquals(3, server.getRequestCount());
        assertTrue(e.getMessage().contains("HTTP 500"), e.getMessage());
        assertTrue(e.getMessage().contains("after 3 attempts"), e.getMessage());
        assertTrue(e.getMessage().contains("overloaded (server_error)"), e.getMessage());
    }

    @Test
    void serverErrorThenSuccess() {
        server.enqueue(new MockResponse().setResponseCode(503));
        server.enqueue(ok("{\"fine\":1}"));
        assertEquals(1, client(fast()).post("/x", body()).get("fine").asInt());
    }

    @Test
    void clientErrorsAreNotRetried() {
        server.enqueue(
                new MockResponse().setResponseCode(400).setBody("{\"error\":{\"message\":\"unknown model m\"}}"));
        HttpCallException e =
                assertThrows(HttpCallException.class, () -> client(fast()).post("/x", body()));
        assertEquals(400, e.status());
        assertEquals(1, server.getRequestCount());
        assertTrue(e.getMessage().contains("unknown model m"));
    }

    @Test
    void keyNeverAppearsInErrorsEvenWhenTheServerEchoesIt() {
        server.enqueue(new MockResponse()
                .setResponseCode(401)
                .setBody("{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}"));
        HttpCallException e =
                assertThrows(HttpCallException.class, () -> client(fast()).post("/x", body()));
        assertFalse(e.getMessage().contains(KEY), e.getMessage());
        assertTrue(e.getMessage().contains("[redacted]"), e.getMessage());
        assertFalse(client(fast()).toString().contains(KEY));

        server.enqueue(new MockResponse()
                .setResponseCode(502)
                .setBody("<html>proxy saw Authorization: Bearer " + KEY + "</html>"));
        HttpCallException e2 = assertThrows(
                HttpCallException.class, () -> client(fast().withMaxRetries(0)).post("/x", body()));
        assertFalse(e2.getMessage().contains(KEY), e2.getMessage());
    }

    @Test
    void slowResponseTimesOutWithAClearMessage() {
        server.enqueue(ok("{}").setHeadersDelay(1, TimeUnit.SECONDS));
        HttpSettings s = fast().withReadTimeout(Duration.ofMillis(200)).withMaxRetries(0);
        long t0 = System.nanoTime();
        HttpCallException e =
                assertThrows(HttpCallException.class, () -> client(s).post("/x", body()));
        assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(900));
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        assertEquals(0, e.status());
    }

    @Test
    void aStreamThatStallsMidwayTimesOutInsteadOfHanging() {
        // one event, then 15 bytes every 5 s: the JDK's HttpClient alone would wait for ever on the body
        server.enqueue(new MockResponse()
                .setHeader("Content-Type", "text/event-stream")
                .setBody("data: {\"n\":1}\n\n" + "data: {\"n\":2}\n\n".repeat(20))
                .throttleBody(15, 5, TimeUnit.SECONDS));
        HttpSettings s = fast().withReadTimeout(Duration.ofMillis(300)).withMaxRetries(0);
        List<Integer> seen = new ArrayList<>();
        long t0 = System.nanoTime();
        HttpCallException e = assertThrows(
                HttpCallException.class,
                () -> client(s).stream(
                        "/s", body(), () -> false, ev -> seen.add(ev.get("n").asInt())));
        long took = System.nanoTime() - t0;
        assertTrue(took < TimeUnit.SECONDS.toNanos(4), "took " + took / 1_000_000 + " ms");
        assertTrue(
                e.getMessage().contains("broke off after 1 event")
                        && e.getMessage().contains("timed out"),
                e.getMessage());
        assertEquals(List.of(1), seen);
    }

    @Test
    void overallTimeoutBoundsRetries() {
        for (int i = 0; i < 4; i++) server.enqueue(ok("{}").setHeadersDelay(1, TimeUnit.SECONDS));
        HttpSettings s = fast().withOverallTimeout(Duration.ofMillis(400)).withMaxRetries(3);
        long t0 = System.nanoTime();
        HttpCallException e =
                assertThrows(HttpCallException.class, () -> client(s).post("/x", body()));
        assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(900), "stopped at the overall timeout");
        assertTrue(e.getMessage().contains("overall timeout"), e.getMessage());
    }

    @Test
    void malformedJsonIsNamed() {
        server.enqueue(ok("{\"choices\": [oops"));
        server.enqueue(ok("{\"choices\": [oops"));
        HttpCallException e = assertThrows(
                HttpCallException.class, () -> client(fast().withMaxRetries(0)).post("/chat/completions", body()));
        assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
        assertTrue(e.getMessage().contains("/v1/chat/completions"), e.getMessage());
    }

    @Test
    void refusedConnectionIsReported() throws IOException {
        String url = server.url("/v1").toString();
        server.shutdown();
        OpenAiClient c = new OpenAiClient(url, KEY, fast().withMaxRetries(1));
        HttpCallException e = assertThrows(HttpCallException.class, () -> c.post("/x", body()));
        assertTrue(e.getMessage().contains("failed"), e.getMessage());
        assertFalse(e.getMessage().contains(KEY));
    }

    @Test
    void streamsEventsUntilDone() {
        server.enqueue(
                new MockResponse()
                        .setHeader("Content-Type", "text/event-stream")
                        .setBody(
                                ": keep-alive\n\ndata: {\"n\":1}\n\nevent: x\ndata: {\"n\":2}\n\ndata: [DONE]\n\ndata: {\"n\":3}\n\n"));
        List<Integer> seen = new ArrayList<>();
        OpenAiClient.StreamEnd end = client(fast()).stream(
                "/s", body(), () -> false, e -> seen.add(e.get("n").asInt()));
        assertEquals(OpenAiClient.StreamEnd.DONE, end);
        assertEquals(List.of(1, 2), seen);
    }

    @Test
    void errorEventInAStreamIsReported() {
        server.enqueue(new MockResponse()
                .setHeader("Content-Type", "text/event-stream")
                .setBody("data: {\"n\":1}\n\ndata: {\"error\":{\"message\":\"engine died\"}}\n\n"));
        HttpCallException e =
                assertThrows(HttpCallException.class, () -> client(fast()).stream("/s", body(), () -> false, ev -> {}));
        assertTrue(e.getMessage().contains("engine died"), e.getMessage());
    }

    @Test
    void malformedEventIsNamedWithItsIndex() {
        server.enqueue(new MockResponse()
                .setHeader("Content-Type", "text/event-stream")
                .setBody("data: {\"n\":1}\n\ndata: {broken\n\n"));
        HttpCallException e =
                assertThrows(HttpCallException.class, () -> client(fast()).stream("/s", body(), () -> false, ev -> {}));
        assertTrue(e.getMessage().contains("event 2"), e.getMessage());
    }

    @Test
    void baseUrlIsNormalized() {
        assertEquals("http://localhost:8000/v1", OpenAiClient.normalize("http://localhost:8000"));
        assertEquals("http://localhost:8000/v1", OpenAiClient.normalize("http://localhost:8000/v1/"));
        assertEquals("https://openrouter.ai/api/v1", OpenAiClient.normalize("https://openrouter.ai/api/v1"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> OpenAiClient.normalize("localhost:8000"));
        assertTrue(e.getMessage().contains("http://"), e.getMessage());
    }
}
