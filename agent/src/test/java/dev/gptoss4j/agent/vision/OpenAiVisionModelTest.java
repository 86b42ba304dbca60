package dev.gptoss4j.agent.vision;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.agent.remote.HttpSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiVisionModelTest {

    private static final String KEY = "sk-vision-0123456789";
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

    private OpenAiVisionModel.Builder model() {
        return OpenAiVisionModel.builder()
                .baseUrl(server.url("/v1").toString())
                .apiKey(KEY)
                .model("gpt-4o-mini")
                .settings(HttpSettings.defaults()
                        .withInitialBackoff(Duration.ofMillis(10))
                        .withReadTimeout(Duration.ofSeconds(5)));
    }

    private static MockResponse chatAnswer(String text) {
        return new MockResponse()
                .setHeader("Content-Type", "application/json")
                .setBody("{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                        + JSON.valueToTree(text) + "},\"finish_reason\":\"stop\"}]}");
    }

    private JsonNode request() throws InterruptedException {
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("Bearer " + KEY, r.getHeader("Authorization"));
        try {
            return JSON.readTree(r.getBody().readUtf8());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void chatApiSendsQuestionAndImageAsDataUrl() throws Exception {
        server.enqueue(chatAnswer("A red and blue square."));
        byte[] png = TestImages.png(32, 32);
        String answer = model().detail("low").build().analyze(Image.ofBytes(png), "What colours?");
        assertEquals("A red and blue square.", answer);
        JsonNode body = request();
        assertEquals("gpt-4o-mini", body.get("model").asText());
        JsonNode content = body.at("/messages/0/content");
        assertEquals("user", body.at("/messages/0/role").asText());
        assertEquals("text", content.get(0).get("type").asText());
        assertEquals("What colours?", content.get(0).get("text").asText());
        assertEquals("image_url", content.get(1).get("type").asText());
        assertEquals(
                "data:image/png;base64," + Base64.getEncoder().encodeToString(png),
                content.get(1).at("/image_url/url").asText());
        assertEquals("low", content.get(1).at("/image_url/detail").asText());
    }

    @Test
    void responsesApiSendsInputImageAndReadsOutputText() throws Exception {
        server.enqueue(
                new MockResponse().setHeader("Content-Type", "application/json").setBody("""
                {"id":"resp_1","status":"completed","output":[
                  {"type":"reasoning","summary":[]},
                  {"type":"message","role":"assistant","content":[{"type":"output_text","text":"A cat "},
                                                                  {"type":"output_text","text":"on a mat."}]}]}
                """));
        String answer = model().api(OpenAiVisionModel.Api.RESPONSES)
                .build()
                .analyze(Image.ofUrl("https://example.com/cat.jpg"), "What animal?");
        assertEquals("A cat on a mat.", answer);
        RecordedRequest r = server.takeRequest();
        assertEquals("/v1/responses", r.getPath());
        JsonNode body = JSON.readTree(r.getBody().readUtf8());
        JsonNode content = body.at("/input/0/content");
        assertEquals("input_text", content.get(0).get("type").asText());
        assertEquals("What animal?", content.get(0).get("text").asText());
        assertEquals("input_image", content.get(1).get("type").asText());
        assertEquals(
                "https://example.com/cat.jpg", content.get(1).get("image_url").asText());
    }

    @Test
    void rateLimitThenSuccess() throws Exception {
        server.enqueue(new MockResponse()
                .setResponseCode(429)
                .setHeader("Retry-After", "0")
                .setBody("{\"error\":{\"message\":\"Rate limit\"}}"));
        server.enqueue(chatAnswer("ok"));
        assertEquals("ok", model().build().analyze(Image.ofBytes(TestImages.png(8, 8)), "?"));
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void persistentServerErrorIsAVisionExceptionWithoutTheKey() {
        for (int i = 0; i < 2; i++) {
            server.enqueue(new MockResponse()
                    .setResponseCode(500)
                    .setBody("{\"error\":{\"message\":\"boom for key " + KEY + "\"}}"));
        }
        var m = model().settings(HttpSettings.defaults().withMaxRetries(1).withInitialBackoff(Duration.ofMillis(5)))
                .build();
        VisionException e =
                assertThrows(VisionException.class, () -> m.analyze(Image.ofBytes(TestImages.png(8, 8)), "?"));
        assertTrue(e.getMessage().contains("HTTP 500"), e.getMessage());
        assertTrue(e.getMessage().contains("gpt-4o-mini"), e.getMessage());
        assertFalse(e.getMessage().contains(KEY), e.getMessage());
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void slowAnswerTimesOut() {
        server.enqueue(chatAnswer("late").setBodyDelay(1, TimeUnit.SECONDS));
        var m = model().settings(HttpSettings.defaults().withMaxRetries(0).withReadTimeout(Duration.ofMillis(200)))
                .build();
        VisionException e =
                assertThrows(VisionException.class, () -> m.analyze(Image.ofBytes(TestImages.png(8, 8)), "?"));
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
    }

    @Test
    void malformedJsonAndMissingContentAreNamed() {
        server.enqueue(
                new MockResponse().setHeader("Content-Type", "application/json").setBody("{\"choices\":["));
        var m = model().settings(HttpSettings.defaults().withMaxRetries(0)).build();
        VisionException e =
                assertThrows(VisionException.class, () -> m.analyze(Image.ofBytes(TestImages.png(8, 8)), "?"));
        assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());

        server.enqueue(
                new MockResponse().setHeader("Content-Type", "application/json").setBody("{\"choices\":[]}"));
        e = assertThrows(VisionException.class, () -> m.analyze(Image.ofBytes(TestImages.png(8, 8)), "?"));
        assertTrue(e.getMessage().contains("choices[0].message.content"), e.getMessage());
    }

    @Test
    void bigImageIsDownscaledBeforeSending() throws Exception {
        server.enqueue(chatAnswer("wide"));
        model().limits(new ImageLimits(8 * 1024 * 1024, 512))
                .build()
                .analyze(Image.ofBytes(TestImages.png(2000, 1000)), "Shape?");
        String url = request().at("/messages/0/content/1/image_url/url").asText();
        assertTrue(url.startsWith("data:image/jpeg;base64,"), url.substring(0, 40));
        var sent =
                ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1))));
        assertEquals(512, sent.getWidth());
        assertEquals(256, sent.getHeight());
    }

    @Test
    void imageThatCannotBeShrunkIsRefusedWithoutARequest() {
        var m = model().limits(new ImageLimits(2048, 2048)).build();
        VisionException e =
                assertThrows(VisionException.class, () -> m.analyze(Image.ofBytes(TestImages.fakeWebp(10_000)), "?"));
        assertTrue(e.getMessage().contains("over the limit of 2048"), e.getMessage());
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void configuredFromEnvironment() throws Exception {
        server.enqueue(chatAnswer("env ok"));
        var m = OpenAiVisionModel.fromEnvironment(Map.of(
                "OPENAI_API_KEY",
                KEY,
                "OPENAI_BASE_URL",
                server.url("/v1").toString(),
                "GPTOSS_VISION_MODEL",
                "llava"));
        assertEquals("env ok", m.analyze(Image.ofBytes(TestImages.png(8, 8)), "?"));
        assertEquals("llava", request().get("model").asText());
        assertFalse(m.toString().contains(KEY));

        var e = assertThrows(IllegalArgumentException.class, () -> OpenAiVisionModel.fromEnvironment(Map.of()));
        assertTrue(e.getMessage().contains("OPENAI_API_KEY"), e.getMessage());
    }
}
