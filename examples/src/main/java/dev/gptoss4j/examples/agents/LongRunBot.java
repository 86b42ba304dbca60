package dev.gptoss4j.examples.agents;

import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentEvent;
import dev.gptoss4j.agent.AgentListener;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.examples.BotConsole;
import dev.gptoss4j.examples.BundledReplay;
import java.io.PrintWriter;

/**
 * Context management: the model reads three long station reports, more than its 2,048-token window holds. Before
 * each call the agent drops older analysis and cuts old reports to their head (the newest stays whole), and the run
 * completes; {@code [context]} lines show what was trimmed.
 *
 * <pre>{@code ./gptoss bots long-run [--model MODEL | --base-url URL | --backend replay:FILE] [--task TEXT]}</pre>
 */
public final class LongRunBot {

    public static final String TASK = "Which of the stations Bergen, Tromsø and Oslo had the most rain yesterday?";

    /** The window of the bundled replay: small, so that three reports cannot all fit. */
    public static final int WINDOW = 2_048;

    static final String INSTRUCTIONS = "Read the report of every station you are asked about before you answer.";

    private LongRunBot() {}

    public static AgentResult run(Backend backend, ReasoningEffort effort, String task, PrintWriter out) {
        AgentListener trims = event -> {
            if (event instanceof AgentEvent.ContextTrimmed t) {
                out.println("  [context] " + t.what() + " to fit a window of " + t.window() + " tokens");
                out.flush();
            }
        };
        Agent agent = Agent.builder()
                .backend(backend)
                .instructions(INSTRUCTIONS)
                .tools(new StationReports())
                .reasoningEffort(effort)
                .conversationStartDate("2025-08-05")
                .listener(BotConsole.listener(out))
                .listener(trims)
                .build();
        BotConsole.task(out, task);
        AgentResult result = agent.run(task);
        out.println();
        out.flush();
        return result;
    }

    /** What gpt-oss did with {@link #TASK}, recorded, behind a model with a {@link #WINDOW}-token context. */
    public static Backend replay() {
        return BundledReplay.load(LongRunBot.class, "long-run.replay").withContextWindow(WINDOW);
    }
}
