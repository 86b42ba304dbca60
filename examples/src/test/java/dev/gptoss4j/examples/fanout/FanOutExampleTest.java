package dev.gptoss4j.examples.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.backend.LocalEngineBackend;
import dev.gptoss4j.engine.GptOss;
import dev.gptoss4j.engine.Scheduler;
import dev.gptoss4j.engine.SessionOptions;
import dev.gptoss4j.engine.sampling.SamplerConfig;
import dev.gptoss4j.engine.synth.GgufType;
import dev.gptoss4j.engine.synth.SynthConfig;
import dev.gptoss4j.engine.synth.SynthGguf;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sub-tasks fanned out over one shared backend run concurrently, batched in the scheduler, each to its end. */
class FanOutExampleTest {

    @TempDir
    Path dir;

    @Test
    void subTasksRunAtOnceOnOneSharedBackend() {
        Path file = dir.resolve("tiny.gguf");
        SynthGguf.write(SynthConfig.tiny().withLayers(2), 4, GgufType.Q8_0, file, 2, done -> {});
        List<String> tasks = List.of("First question?", "Second question?", "Third question?");
        try (GptOss model = GptOss.load(file);
                Scheduler scheduler = model.newScheduler(2);
                LocalEngineBackend backend = LocalEngineBackend.shared(
                        scheduler,
                        model,
                        SamplerConfig.builder().temperature(1f).seed(1).build(),
                        SessionOptions.builder().maxContext(1024).build(),
                        tasks.size())) {
            Agent agent = Agent.builder()
                    .backend(backend)
                    .instructions(FanOutExample.INSTRUCTIONS)
                    .conversationStartDate("2025-08-05")
                    .maxSteps(1)
                    .maxRetries(0)
                    .maxTokensPerCall(24)
                    .build();
            List<AgentResult> results = FanOutExample.fanOut(agent, tasks);
            assertEquals(3, results.size());
            for (int i = 0; i < 3; i++) {
                assertNotNull(results.get(i).stopReason());
                assertTrue(
                        results.get(i).conversation().messages().toString().contains(tasks.get(i)),
                        "result " + i + " belongs to its sub-task");
            }
            assertTrue(scheduler.largestBatch() > 1, "sub-tasks were batched: " + scheduler.largestBatch());
        }
    }
}
