package dev.gptoss4j.cli;

import static dev.gptoss4j.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.cli.CliRun.Outcome;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.imageio.ImageIO;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteRunCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static MockResponse sse(String... events) {
        StringBuilder sb = new StringBuilder();
        for (String e : events) sb.append("data: ").append(e).append("\n\n");
        return new MockResponse()
                .setHeader("Content-Type", "text/event-stream")
                .setBody(sb.append("data: [DONE]\n\n").toString());
    }

    @Test
    void runDrivesARemoteChatServerThroughAToolCall() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(sse(
                    "{\"choices\":[{\"delta\":{\"reasoning_content\":\"Use the calculator.\"}}]}",
                    "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"type\":\"function\","
                            + "\"function\":{\"name\":\"calculate\",\"arguments\":\"{\\\"expression\\\":\\\"6*7\\\"}\"}}]}}]}",
                    "{\"choices\":[{\"delta\":{},\"finish_reason\":\"tool_calls\"}]}"));
            server.enqueue(sse("{\"choices\":[{\"delta\":{\"content\":\"It is 42.\"},\"finish_reason\":\"stop\"}]}"));
            server.start();
            Outcome o = run(
                    "run",
                    "--json",
                    "--base-url",
                    server.url("/v1").toString(),
                    "--api-key",
                    "sk-cli",
                    "--model",
                    "gpt-oss-20b",
                    "--tools",
                    "calculator",
                    "What is 6*7?");
            assertEquals(0, o.code(), o.err());
            JsonNode report = JSON.readTree(o.out());
            assertEquals("It is 42.", report.get("final").asText());
            assertEquals("42", report.at("/tool_calls/0/result").asText(), "computed by the real calculator");

            RecordedRequest first = server.takeRequest();
            assertEquals("/v1/chat/completions", first.getPath());
            assertEquals("Bearer sk-cli", first.getHeader("Authorization"));
            JsonNode body = JSON.readTree(first.getBody().readUtf8());
            assertEquals("gpt-oss-20b", body.get("model").asText());
            assertEquals("calculate", body.at("/tools/0/function/name").asText());
            JsonNode second = JSON.readTree(server.takeRequest().getBody().readUtf8());
            JsonNode messages = second.get("messages");
            JsonNode result = messages.get(messages.size() - 1);
            assertEquals("tool", result.get("role").asText());
            assertEquals("42", result.get("content").asText());
            assertEquals(
                    messages.get(messages.size() - 2).at("/tool_calls/0/id").asText(),
                    result.get("tool_call_id").asText());
            assertEquals(
                    "Use the calculator.",
                    messages.get(messages.size() - 2).get("reasoning_content").asText());
        }
    }

    @Test
    void runDrivesARemoteCompletionsServerWithTokenIds() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            // <|channel|>final<|message|>Hi<|return|> as token ids, the stop token reported as stop_reason
            server.enqueue(sse(
                    "{\"choices\":[{\"text\":\"\",\"logprobs\":{\"tokens\":[\"token_id:200005\",\"token_id:17196\","
                            + "\"token_id:200008\",\"token_id:12194\"]}}]}",
                    "{\"choices\":[{\"text\":\"\",\"finish_reason\":\"stop\",\"stop_reason\":200002}]}"));
            server.start();
            Outcome o = run(
                    "run",
                    "--base-url",
                    server.url("/v1").toString(),
                    "--api",
                    "completions",
                    "--model",
                    "gpt-oss-20b",
                    "--tools",
                    "none",
                    "Say hi");
            assertEquals(0, o.code(), o.err());
            assertEquals("Hi", o.out().strip());
            JsonNode body = JSON.readTree(server.takeRequest().getBody().readUtf8());
            assertTrue(body.get("prompt").isArray(), "the prompt goes as harmony token ids");
            assertEquals(200006, body.get("prompt").get(0).asInt(), "starts with <|start|>");
        }
    }

    @Test
    void imageGoesToTheVisionServerWhenTheModelAsks(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("receipt.png");
        ImageIO.write(new BufferedImage(12, 8, BufferedImage.TYPE_INT_RGB), "png", png.toFile());
        Path replay = dir.resolve("replay.txt");
        Files.writeString(replay, """
                <|channel|>commentary to=functions.analyze_image <|constrain|>json<|message|>{"image_id":"image_1","question":"What is the total?"}<|call|>
                ---
                <|channel|>final<|message|>You paid 9.99.<|return|>
                """);
        try (MockWebServer vision = new MockWebServer()) {
            vision.enqueue(new MockResponse()
                    .setHeader("Content-Type", "application/json")
                    .setBody("{\"choices\":[{\"message\":{\"content\":\"Total 9.99\"}}]}"));
            vision.start();
            Outcome o = run(
                    "run",
                    "--json",
                    "--backend",
                    "replay:" + replay,
                    "--tools",
                    "none",
                    "--image",
                    png.toString(),
                    "--vision-base-url",
                    vision.url("/v1").toString(),
                    "--vision-model",
                    "llava",
                    "--vision-api-key",
                    "sk-vis",
                    "How much?");
            assertEquals(0, o.code(), o.err());
            JsonNode report = JSON.readTree(o.out());
            assertEquals("You paid 9.99.", report.get("final").asText());
            assertEquals("Total 9.99", report.at("/tool_calls/0/result").asText());

            RecordedRequest r = vision.takeRequest();
            assertEquals("Bearer sk-vis", r.getHeader("Authorization"));
            JsonNode body = JSON.readTree(r.getBody().readUtf8());
            assertEquals("llava", body.get("model").asText());
            assertEquals(
                    "What is the total?", body.at("/messages/0/content/0/text").asText());
            assertEquals(
                    "data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(png)),
                    body.at("/messages/0/content/1/image_url/url").asText());
        }
    }

    @Test
    void remoteMistakesAreOneLineErrors() {
        Outcome o = run("run", "--base-url", "http://127.0.0.1:1/v1", "Hi");
        assertEquals(1, o.code());
        assertTrue(o.err().contains("--model NAME"), o.err());
        o = run("run", "--base-url", "http://127.0.0.1:1/v1", "--model", "m", "--api", "grpc", "Hi");
        assertTrue(o.err().contains("expected chat or completions"), o.err());
        o = run("run", "--backend", "replay:x", "--image", "/no/such/file.png", "--vision-api-key", "k", "Hi");
        assertEquals(1, o.code());
    }

    @Test
    void aServerThatFindsThePromptTooLongStopsTheRunWithContextFull() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(
                    new MockResponse()
                            .setResponseCode(400)
                            .setBody(
                                    "{\"error\":{\"message\":\"This "
                                            + "model's maximum context length is 4096 tokens. However, you requested 5000 tokens.\"}}"));
            server.start();
            Outcome o = run(
                    "run",
                    "--json",
                    "--base-url",
                    server.url("/v1").toString(),
                    "--model",
                    "gpt-oss-20b",
                    "--tools",
                    "none",
                    "Summarize this.");
            assertEquals(3, o.code(), o.err());
            JsonNode report = JSON.readTree(o.out());
            assertEquals("context_full", report.get("stop_reason").asText());
            assertTrue(report.get("stop_detail").asText().contains("maximum context length"), o.out());
        }
    }

    @Test
    void aKnownContextWindowTrimsOrStopsBeforeTheServerIsAsked() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            Outcome o = run(
                    "run",
                    "--json",
                    "--base-url",
                    server.url("/v1").toString(),
                    "--model",
                    "gpt-oss-20b",
                    "--context-window",
                    "256",
                    "--tools",
                    "none",
                    "word ".repeat(400));
            assertEquals(3, o.code(), o.err());
            assertEquals(
                    "context_full", JSON.readTree(o.out()).get("stop_reason").asText());
            assertEquals(0, server.getRequestCount(), "a prompt that cannot fit is never sent");
            assertEquals(
                    2,
                    run("run", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--context-window", "many", "x")
                            .code());
        }
    }
}
