package dev.gptoss4j.examples;

import dev.gptoss4j.agent.AgentEvent;
import dev.gptoss4j.agent.AgentListener;
import java.io.PrintWriter;

/**
 * How the example bots show a run: the task, each tool call with its arguments and (shortened) result as it
 * finishes, then the answer streaming in. The model's reasoning stays hidden.
 */
public final class BotConsole {

    /** Tool results longer than this are shortened on screen (the model still gets all of it). */
    static final int SHOWN_RESULT_CHARS = 240;

    private BotConsole() {}

    /** Prints {@code > task}. */
    public static void task(PrintWriter out, String task) {
        out.println("> " + task);
        out.flush();
    }

    /** Tool calls as {@code   [tool] recipient arguments -> result}, the answer as it streams. */
    public static AgentListener listener(PrintWriter out) {
        return listener(out, true);
    }

    /** As {@link #listener(PrintWriter)}; {@code streamAnswer false} leaves the answer to the caller to print. */
    public static AgentListener listener(PrintWriter out, boolean streamAnswer) {
        return event -> {
            switch (event) {
                case AgentEvent.ToolCallFinished f ->
                    out.println("  [tool] " + f.call().recipient() + " "
                            + oneLine(f.call().arguments()) + " -> " + (f.call().ok() ? "" : "(failed) ")
                            + oneLine(f.call().result()));
                case AgentEvent.FinalDelta d -> {
                    if (streamAnswer) out.print(d.text());
                }
                case AgentEvent.Error e -> out.println("  [retry " + e.attempt() + "] " + e.message());
                default -> {}
            }
            out.flush();
        };
    }

    /** On one line and at most {@link #SHOWN_RESULT_CHARS} characters. */
    public static String oneLine(String s) {
        String t = s.strip().replaceAll("\\s*\n\\s*", " ⏎ ");
        return t.length() > SHOWN_RESULT_CHARS ? t.substring(0, SHOWN_RESULT_CHARS) + "…" : t;
    }
}
