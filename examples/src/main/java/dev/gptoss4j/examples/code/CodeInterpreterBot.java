package dev.gptoss4j.examples.code;

import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.tool.ToolScope;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.examples.BotConsole;
import dev.gptoss4j.examples.BundledReplay;
import dev.gptoss4j.tools.code.PythonTool;
import dev.gptoss4j.tools.sandbox.PythonSandbox;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The built-in {@code python} tool: gpt-oss writes code, it runs in the GraalPy sandbox, the printed output goes
 * back to the model, and the files the code wrote to {@code /mnt/data} are read back by the host afterwards.
 *
 * <pre>{@code ./gptoss bots code [--model MODEL | --base-url URL | --backend replay:FILE] [--out DIR]}</pre>
 */
public final class CodeInterpreterBot {

    public static final String TASK = "I put 1000 euros into a savings account at 5% interest a year. After how "
            + "many whole years has the money doubled? Save the balance at the end of each year until then as "
            + "/mnt/data/balance.csv.";

    static final String INSTRUCTIONS = "Use the python tool for every calculation.";

    /** Files longer than this are not printed whole. */
    private static final int SHOWN_FILE_CHARS = 2_000;

    private CodeInterpreterBot() {}

    /** Runs {@code task}; prints tool calls, the answer, and the files the code wrote. */
    public static CodeRun run(
            Backend backend, ReasoningEffort effort, String task, Duration toolTimeout, PrintWriter out) {
        // the scope keeps the notebook open after the run, so the files it wrote can be read below
        try (PythonTool python = PythonTool.of(
                        PythonSandbox.builder().timeout(toolTimeout).build());
                ToolScope scope = ToolScope.create()) {
            Agent agent = Agent.builder()
                    .backend(backend)
                    .instructions(INSTRUCTIONS)
                    .tools(python)
                    .reasoningEffort(effort)
                    .toolTimeout(toolTimeout.plusSeconds(5)) // the sandbox stops the code itself, with a clear note
                    .listener(BotConsole.listener(out))
                    .build();
            BotConsole.task(out, task);
            AgentResult result = agent.run(task, scope);
            out.println();
            // the session exists only if the model ran code; asking for it otherwise would start a sandbox
            Map<String, byte[]> files =
                    result.toolCalls().stream().anyMatch(c -> c.recipient().equals("python"))
                            ? new TreeMap<>(python.session(scope).files())
                            : Map.of();
            files.forEach((path, bytes) -> {
                out.println("--- " + path + " (" + bytes.length + " bytes, read from the sandbox)");
                String text = new String(bytes, StandardCharsets.UTF_8);
                out.println(
                        text.length() > SHOWN_FILE_CHARS
                                ? text.substring(0, SHOWN_FILE_CHARS) + "…"
                                : text.stripTrailing());
            });
            out.flush();
            return new CodeRun(result, files);
        }
    }

    /** What gpt-oss did with {@link #TASK}, recorded. */
    public static Backend replay() {
        return BundledReplay.load(CodeInterpreterBot.class, "code.replay");
    }
}
