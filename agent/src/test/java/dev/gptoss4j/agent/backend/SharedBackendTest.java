package dev.gptoss4j.agent.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.tool.FunctionTool;
import dev.gptoss4j.agent.tool.ToolResult;
import dev.gptoss4j.engine.GptOss;
import dev.gptoss4j.engine.Scheduler;
import dev.gptoss4j.engine.SessionOptions;
import dev.gptoss4j.engine.sampling.SamplerConfig;
import dev.gptoss4j.engine.synth.GgufType;
import dev.gptoss4j.engine.synth.SynthConfig;
import dev.gptoss4j.engine.synth.SynthGguf;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One backend shared by agents running at once on their own threads, through one scheduler: each run gets exactly
 * the conversation it gets alone on a backend of its own (same tool calls, same answer), with constrained
 * decoding and speculation in the engine's one generation path.
 */
class SharedBackendTest {

    @TempDir
    static Path dir;

    private static GptOss model;

    @BeforeAll
    static void synthesize() {
        Path file = dir.resolve("tiny.gguf");
        SynthGguf.write(SynthConfig.tiny().withLayers(2), 7, GgufType.Q8_0, file, 2, done -> {});
        model = GptOss.load(file);
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
    }

    static final String[] CITIES = {"Paris", "Lima", "Oslo", "Cairo"};

    static Agent agent(Backend backend) {
        FunctionTool weather = FunctionTool.builder()
                .name("get_weather")
                .description("Weather for a city.")
                .parameters(dev.gptoss4j.agent.tool.Schemas.parse("{\"type\":\"object\",\"properties\":"
                        + "{\"city\":{\"type\":\"string\",\"maxLength\":8}},\"required\":[\"city\"],"
                        + "\"additionalProperties\":false}"))
                .handler(args -> ToolResult.of("sunny, 21 degrees"))
                .build();
        return Agent.builder()
                .backend(backend)
                .instructions("Be brief.")
                .tools(weather)
                .conversationStartDate("2025-08-05")
                .maxSteps(3)
                .maxRetries(0)
                .maxTokensPerCall(60)
                .build();
    }

    static String transcript(AgentResult r) {
        return r.stopReason() + " | " + r.toolCalls().size() + " calls | "
                + r.conversation().messages();
    }

    private static final SamplerConfig SAMPLER =
            SamplerConfig.builder().temperature(1f).seed(3).build();
    private static final DecodingConstraints CONSTRAINTS =
            DecodingConstraints.defaults().withRequireToolCall(true).withAnswerAfterTools(true);

    /** Each city's run on a backend of its own: what a batched run must reproduce. */
    private static List<String> runsAlone() {
        List<String> alone = new ArrayList<>();
        for (String city : CITIES) {
            try (LocalEngineBackend backend = LocalEngineBackend.of(
                    model,
                    SAMPLER,
                    SessionOptions.builder()
                            .maxContext(2048)
                            .threads(1)
                            .usePrefixCache(false)
                            .build(),
                    CONSTRAINTS)) {
                alone.add(transcript(agent(backend).run("What is the weather in " + city + "?")));
            }
        }
        return alone;
    }

    @Test
    void agentRunAllOnASharedBackendBatchesTheRunsAndMatchesThemAlone() {
        List<String> alone = runsAlone();
        SessionOptions options = SessionOptions.builder().maxContext(2048).build();
        try (Scheduler scheduler = model.newScheduler(2);
                LocalEngineBackend shared =
                        LocalEngineBackend.shared(scheduler, model, SAMPLER, options, 4, CONSTRAINTS)) {
            List<String> tasks = new ArrayList<>();
            for (String city : CITIES) tasks.add("What is the weather in " + city + "?");
            List<AgentResult> results = agent(shared).runAll(tasks);
            for (int i = 0; i < CITIES.length; i++) assertEquals(alone.get(i), transcript(results.get(i)), CITIES[i]);
            assertTrue(
                    scheduler.mostSequences() > 1,
                    "runAll's model calls were batched: at most " + scheduler.mostSequences()
                            + " sequences in one step");
        }
    }

    @Test
    void concurrentRunsOnASharedBackendMatchRunsAlone() throws Exception {
        SamplerConfig sampler = SAMPLER;
        SessionOptions options = SessionOptions.builder().maxContext(2048).build();
        DecodingConstraints constraints = CONSTRAINTS;
        List<String> alone = runsAlone();
        try (Scheduler scheduler = model.newScheduler(2);
                LocalEngineBackend shared =
                        LocalEngineBackend.shared(scheduler, model, sampler, options, 4, constraints)) {
            ExecutorService pool = Executors.newFixedThreadPool(CITIES.length);
            try {
                List<Future<String>> runs = new ArrayList<>();
                for (String city : CITIES) {
                    runs.add(pool.submit(() -> transcript(agent(shared).run("What is the weather in " + city + "?"))));
                }
                for (int i = 0; i < CITIES.length; i++)
                    assertEquals(alone.get(i), runs.get(i).get(), CITIES[i]);
            } finally {
                pool.shutdownNow();
            }
            assertTrue(shared.concurrentCalls(), "a shared backend takes concurrent calls");
            assertTrue(
                    scheduler.mostSequences() > 1,
                    "runs were batched: at most " + scheduler.mostSequences() + " sequences in one step");
        }
    }
}
