package dev.gptoss4j.agent.backend;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.StopReason;
import dev.gptoss4j.agent.tool.FunctionTool;
import dev.gptoss4j.agent.tool.ToolResult;
import dev.gptoss4j.engine.GptOss;
import dev.gptoss4j.engine.SessionOptions;
import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.Role;
import dev.gptoss4j.engine.sampling.SamplerConfig;
import dev.gptoss4j.engine.synth.GgufType;
import dev.gptoss4j.engine.synth.SynthConfig;
import dev.gptoss4j.engine.synth.SynthGguf;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local engine's session size is the agent's context window; a full session stops a run, never fails it. */
class LocalContextTest {

    @TempDir
    static Path dir;

    private static GptOss model;

    @BeforeAll
    static void synthesize() {
        Path file = dir.resolve("tiny.gguf");
        SynthGguf.write(SynthConfig.tiny().withLayers(1), 7, GgufType.Q8_0, file, 2, done -> {});
        model = GptOss.load(file);
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
    }

    private static LocalEngineBackend backend(int window, DecodingConstraints constraints) {
        return LocalEngineBackend.of(
                model,
                SamplerConfig.builder().temperature(1f).seed(3).build(),
                SessionOptions.builder().maxContext(window).threads(2).build(),
                constraints);
    }

    @Test
    void theSessionSizeIsTheWindowAndAnOverlongPromptIsAnOverflow() {
        try (LocalEngineBackend backend = backend(512, DecodingConstraints.defaults())) {
            assertEquals(OptionalInt.of(512), backend.contextWindow());
            Conversation huge = Conversation.of(Message.user("word ".repeat(2000)));
            ContextOverflowException e = assertThrows(
                    ContextOverflowException.class,
                    () -> backend.complete(new CompletionRequest(huge, 16, null), new CompletionListener() {}));
            assertEquals(512, e.contextWindow());
            assertTrue(e.promptTokens() > 512, e.getMessage());
        }
    }

    @Test
    void aToolResultThatFillsTheSessionStopsTheRunWithContextFull() throws Exception {
        DecodingConstraints callFirst = DecodingConstraints.defaults().withRequireToolCall(true);
        try (LocalEngineBackend backend = backend(768, callFirst)) {
            FunctionTool page = FunctionTool.builder()
                    .name("open_page")
                    .description("Opens the page.")
                    .parameters(new ObjectMapper().readTree("{\"type\":\"object\",\"properties\":{}}"))
                    .handler(args -> ToolResult.of("A very long page. ".repeat(400)))
                    .build();
            Agent agent = Agent.builder()
                    .backend(backend)
                    .tools(page)
                    .conversationStartDate("2025-08-05")
                    .maxSteps(3)
                    .maxTokensPerCall(8_192)
                    .build();
            AgentResult r = agent.run("Open the page."); // a BackendException here was the bug
            assertEquals(StopReason.CONTEXT_FULL, r.stopReason());
            assertEquals(1, r.toolCalls().size());
            assertEquals(Role.TOOL, r.conversation().messages().getLast().role(), "the conversation is intact");
            assertTrue(r.usage().completionTokens() <= 768, "the call was limited to the session's room");
        }
    }
}
