package dev.gptoss4j.examples.fanout;

import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.backend.LocalEngineBackend;
import dev.gptoss4j.engine.GptOss;
import dev.gptoss4j.engine.Scheduler;
import dev.gptoss4j.engine.SessionOptions;
import dev.gptoss4j.engine.sampling.SamplerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Fan-out: one task split into sub-tasks, each answered by its own agent run, all at once on one local model. The
 * runs share a {@link LocalEngineBackend#shared shared backend} over a {@link Scheduler}, so every forward pass
 * decodes a token for each running sub-task (the weights are read once for all of them) and the sub-tasks'
 * common system prompt and instructions are computed once.
 *
 * <pre>{@code java -cp examples/target/gptoss.jar dev.gptoss4j.examples.fanout.FanOutExample MODEL.gguf}</pre>
 */
public final class FanOutExample {

    static final String INSTRUCTIONS = "Answer the question in one or two sentences.";

    private FanOutExample() {}

    /** Runs each sub-task as its own agent run on {@code agent}, all at once; results in the sub-tasks' order. */
    public static List<AgentResult> fanOut(Agent agent, List<String> subTasks) {
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<AgentResult>> runs = new ArrayList<>();
            for (String task : subTasks) runs.add(pool.submit(() -> agent.run(task)));
            List<AgentResult> results = new ArrayList<>();
            for (Future<AgentResult> run : runs) results.add(run.get());
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the sub-tasks ran", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a sub-task failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: FanOutExample MODEL (a .gguf file or checkpoint directory)");
            System.exit(2);
        }
        List<String> subTasks = List.of(
                "What is the boiling point of water at sea level, in Celsius?",
                "Name the largest planet of the solar system.",
                "What does the acronym HTTP stand for?");
        try (GptOss model = GptOss.load(Path.of(args[0]));
                Scheduler scheduler = model.newScheduler(0);
                LocalEngineBackend backend = LocalEngineBackend.shared(
                        scheduler,
                        model,
                        SamplerConfig.builder().temperature(1f).build(),
                        SessionOptions.defaults(),
                        subTasks.size())) {
            Agent agent =
                    Agent.builder().backend(backend).instructions(INSTRUCTIONS).build();
            List<AgentResult> results = fanOut(agent, subTasks);
            for (int i = 0; i < subTasks.size(); i++) {
                System.out.println(subTasks.get(i) + "\n  -> " + results.get(i).finalText());
            }
            System.out.printf(
                    "%d forward passes for %d tokens (largest batch %d)%n",
                    scheduler.steps(), scheduler.batchedTokens(), scheduler.largestBatch());
        }
    }
}
