package dev.gptoss4j.examples.vision;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.vision.Image;
import dev.gptoss4j.agent.vision.OpenAiVisionModel;
import dev.gptoss4j.cli.CliRun;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.examples.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

class VisionBotTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SEEN = "A flag with three vertical stripes of equal width: blue, white and red.";

    @Test
    void theModelAsksTheCloudVisionModelAboutTheAttachedImage() throws Exception {
        try (MockWebServer vision = new MockWebServer()) {
            vision.enqueue(new MockResponse()
                    .setHeader("Content-Type", "application/json")
                    .setBody("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"" + SEEN + "\"}}]}"));
            vision.start();
            OpenAiVisionModel model = OpenAiVisionModel.builder()
                    .baseUrl(vision.url("/v1").toString())
                    .apiKey("test-key")
                    .model("gpt-4o-mini")
                    .build();
            Image flag = VisionBot.bundledImage();
            StringWriter out = new StringWriter();
            AgentResult r = VisionBot.run(
                    VisionBot.replay(), ReasoningEffort.LOW, model, flag, VisionBot.QUESTION, new PrintWriter(out));
            assertTrue(r.completed());

            // the image went to the vision endpoint as a data URL, with the question gpt-oss wrote
            RecordedRequest request = vision.takeRequest(1, TimeUnit.SECONDS);
            assertEquals("/v1/chat/completions", request.getPath());
            assertEquals("Bearer test-key", request.getHeader("Authorization"));
            JsonNode content = JSON.readTree(request.getBody().readUtf8()).at("/messages/0/content");
            assertEquals(
                    "Describe this flag: which colours does it have, and how are they arranged?",
                    content.at("/0/text").asText());
            assertEquals(
                    "data:image/png;base64," + Base64.getEncoder().encodeToString(flag.bytes()),
                    content.at("/1/image_url/url").asText());

            // gpt-oss saw a placeholder, never the bytes, and got the vision model's answer as the tool's result
            String user = r.conversation().messages().stream()
                    .filter(m -> m.role() == dev.gptoss4j.engine.harmony.Role.USER)
                    .findFirst()
                    .orElseThrow()
                    .text();
            assertTrue(user.contains("image_1"), user);
            assertFalse(user.contains("base64"), user);
            assertEquals(java.util.List.of(SEEN), Cli.toolMessages(r.conversation(), "functions.analyze_image"));
            assertTrue(
                    out.toString()
                            .strip()
                            .endsWith("It is the flag of France: three vertical stripes, blue, white "
                                    + "and red from left to right."),
                    out.toString());
        }
    }

    @Test
    void cliUsesTheVisionBaseUrlAndReportsAFailingEndpointToTheModel() throws Exception {
        try (MockWebServer vision = new MockWebServer()) {
            vision.enqueue(new MockResponse().setResponseCode(400).setBody("{\"error\":{\"message\":\"bad image\"}}"));
            vision.start();
            CliRun.Outcome o = CliRun.run(
                    "bots",
                    "vision",
                    "--vision-base-url",
                    vision.url("/v1").toString(),
                    "--vision-api-key",
                    "k",
                    "--vision-model",
                    "llava");
            assertEquals(0, o.code(), o.err());
            assertEquals(
                    "llava",
                    JSON.readTree(vision.takeRequest(1, TimeUnit.SECONDS)
                                    .getBody()
                                    .readUtf8())
                            .get("model")
                            .asText());
            assertTrue(
                    o.out().contains("[tool] functions.analyze_image ")
                            && o.out().contains("-> (failed) ")
                            && o.out().contains("bad image"),
                    o.out());
        }
    }

    @Test
    void theOfflineAnalyserReadsTheColoursFromThePixels() {
        CliRun.Outcome o = CliRun.run("bots", "vision");
        assertEquals(0, o.code(), o.err());
        String analysis = new ColourLayoutAnalyser().analyze(VisionBot.bundledImage(), "anything");
        assertTrue(
                analysis.contains("The image is 300×200 pixels. Colours by vertical third, left: blue 100%; "
                        + "middle: white 100%; right: red 100%. Colours by horizontal third, top: "),
                analysis);
        assertTrue(analysis.endsWith("bottom: blue 33%, white 33%, red 33%."), analysis);
        assertTrue(o.out().contains("-> Offline colour analysis"), o.out());
    }
}
