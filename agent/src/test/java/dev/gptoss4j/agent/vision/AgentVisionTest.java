package dev.gptoss4j.agent.vision;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.RecordingBackend;
import dev.gptoss4j.agent.backend.ReplayBackend;
import dev.gptoss4j.agent.remote.HttpSettings;
import dev.gptoss4j.agent.tool.ToolOutcome;
import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.HarmonyRenderer;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.RenderOptions;
import dev.gptoss4j.engine.harmony.Role;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

class AgentVisionTest {

    static final String ASK_IMAGE = "<|channel|>analysis<|message|>I must look at the image.<|end|>"
            + "<|start|>assistant<|channel|>commentary to=functions.analyze_image <|constrain|>json"
            + "<|message|>{\"image_id\":\"image_1\",\"question\":\"What is the total on the receipt?\"}<|call|>";
    static final String ANSWER = "<|channel|>final<|message|>The total is 42.50.<|return|>";

    /** A vision model that answers from a script and records the questions. */
    static final class FakeVision implements VisionModel {
        final List<String> asked = new ArrayList<>();

        @Override
        public String analyze(Image image, String question) {
            asked.add(image.source() + ": " + question);
            return "A receipt totalling 42.50.";
        }
    }

    private static String prompt(Conversation c) {
        return HarmonyRenderer.create()
                .renderText(c, RenderOptions.conversation().keepAnalysis());
    }

    @Test
    void modelAsksTheCloudVisionModelThroughTheTool() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse()
                    .setHeader("Content-Type", "application/json")
                    .setBody(
                            "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"Total: 42.50 EUR\"}}]}"));
            server.start();
            VisionModel vision = OpenAiVisionModel.builder()
                    .baseUrl(server.url("/v1").toString())
                    .apiKey("sk-v")
                    .model("gpt-4o-mini")
                    .settings(HttpSettings.defaults().withMaxRetries(0))
                    .build();
            RecordingBackend backend = new RecordingBackend(ReplayBackend.of(ASK_IMAGE, ANSWER));
            byte[] png = TestImages.png(20, 10);
            AgentResult r = Agent.builder()
                    .backend(backend)
                    .vision(vision)
                    .conversationStartDate("2025-08-05")
                    .build()
                    .run(UserInput.text("How much did I pay?").withImage(Image.ofBytes(png)));

            assertEquals("The total is 42.50.", r.finalText());
            assertEquals("functions.analyze_image", r.toolCalls().getFirst().recipient());
            assertEquals(ToolOutcome.Status.OK, r.toolCalls().getFirst().status());
            assertEquals("Total: 42.50 EUR", r.toolCalls().getFirst().result());

            RecordedRequest sent = server.takeRequest();
            assertEquals("Bearer sk-v", sent.getHeader("Authorization"));
            JsonNode body = new ObjectMapper().readTree(sent.getBody().readUtf8());
            assertEquals(
                    "What is the total on the receipt?",
                    body.at("/messages/0/content/0/text").asText());
            assertEquals(
                    "data:image/png;base64," + Base64.getEncoder().encodeToString(png),
                    body.at("/messages/0/content/1/image_url/url").asText());

            // gpt-oss saw a placeholder and the tool, never the image
            String shown = prompt(backend.seen.getFirst());
            assertTrue(shown.contains("[image_1: attached image"), shown);
            assertTrue(shown.contains("type analyze_image = (_: {"), shown);
            assertTrue(shown.contains("\"image_1\""), "the ids are listed in the schema: " + shown);
            assertFalse(shown.contains(Base64.getEncoder().encodeToString(png).substring(0, 20)));
        }
    }

    @Test
    void imagesAreNumberedInOrderAndUnknownIdsAreReported() {
        FakeVision vision = new FakeVision();
        String badId = "<|channel|>commentary to=functions.analyze_image <|constrain|>json"
                + "<|message|>{\"image_id\":\"image_9\",\"question\":\"?\"}<|call|>";
        String second = "<|channel|>commentary to=functions.analyze_image <|constrain|>json"
                + "<|message|>{\"image_id\":\"image_2\",\"question\":\"Colour?\"}<|call|>";
        AgentResult r = Agent.builder()
                .backend(ReplayBackend.of(badId, second, ANSWER))
                .vision(vision)
                .build()
                .run(UserInput.text("Compare.")
                        .withImage(Image.ofUrl("https://a.example/1.png"))
                        .withImage(Image.ofUrl("https://a.example/2.png")));
        assertEquals(
                ToolOutcome.Status.INVALID_ARGUMENTS,
                r.toolCalls().get(0).status(),
                "image_9 is not among the schema's ids");
        assertTrue(
                r.toolCalls().get(0).result().contains("image_1"),
                r.toolCalls().get(0).result());
        assertEquals(List.of("image URL https://a.example/2.png: Colour?"), vision.asked);
        Message user = r.conversation().messages().stream()
                .filter(m -> m.role() == Role.USER)
                .findFirst()
                .orElseThrow();
        assertTrue(user.text().indexOf("[image_1:") < user.text().indexOf("[image_2:"), user.text());
    }

    @Test
    void upFrontModeDescribesEachImageOnce() {
        FakeVision vision = new FakeVision();
        RecordingBackend backend = new RecordingBackend(ReplayBackend.of(ANSWER));
        AgentResult r = Agent.builder()
                .backend(backend)
                .vision(vision)
                .describeImages(true)
                .build()
                .run(UserInput.text("Total?").withImage(Image.ofUrl("https://a.example/r.png")));
        assertEquals("The total is 42.50.", r.finalText());
        assertEquals(1, vision.asked.size());
        assertTrue(vision.asked.getFirst().contains(ImagePrompt.DESCRIBE));
        String shown = prompt(backend.seen.getFirst());
        assertTrue(shown.contains("image_1 described by a vision model: A receipt totalling 42.50."), shown);
    }

    @Test
    void imagesWithoutAVisionModelAreAClearError() {
        var agent = Agent.builder().backend(ReplayBackend.of(ANSWER)).build();
        var e = assertThrows(
                IllegalStateException.class,
                () -> agent.run(UserInput.text("Look").withImage(Image.ofUrl("https://a.example/x.png"))));
        assertTrue(e.getMessage().contains("vision"), e.getMessage());
    }

    @Test
    void noImagesNoTool() {
        RecordingBackend backend = new RecordingBackend(ReplayBackend.of(ANSWER));
        Agent.builder().backend(backend).vision(new FakeVision()).build().run(UserInput.text("Hi"));
        assertFalse(prompt(backend.seen.getFirst()).contains("analyze_image"));
    }

    @Test
    void resumedConversationContinuesNumberingAndAnnouncesTheTool() {
        FakeVision vision = new FakeVision();
        String askSecond = "<|channel|>commentary to=functions.analyze_image <|constrain|>json"
                + "<|message|>{\"image_id\":\"image_2\",\"question\":\"And this one?\"}<|call|>";
        RecordingBackend backend = new RecordingBackend(ReplayBackend.of(ASK_IMAGE, ANSWER, askSecond, ANSWER));
        Agent agent = Agent.builder()
                .backend(backend)
                .vision(vision)
                .instructions("Be exact.")
                .build();
        AgentResult first = agent.run(UserInput.text("Receipt 1").withImage(Image.ofUrl("https://a.example/1.png")));
        AgentResult second = agent.run(
                first.conversation(), UserInput.text("Receipt 2").withImage(Image.ofUrl("https://a.example/2.png")));
        assertEquals(ToolOutcome.Status.OK, second.toolCalls().getFirst().status());
        assertEquals("image URL https://a.example/2.png: And this one?", vision.asked.get(1));
        String shown = prompt(backend.seen.get(2));
        assertTrue(shown.contains("[image_2: attached image"), shown);
        assertTrue(shown.contains("type analyze_image"), shown);
        assertTrue(shown.contains("Be exact."), "the developer message keeps its instructions: " + shown);
        assertEquals(
                1,
                second.conversation().messages().stream()
                        .filter(m -> m.role() == Role.SYSTEM)
                        .count());
    }
}
