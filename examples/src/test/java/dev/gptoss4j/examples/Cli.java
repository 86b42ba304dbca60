package dev.gptoss4j.examples;

import dev.gptoss4j.cli.Main;
import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.Message;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code gptoss ...} in-process as a user would, and reads conversations, for the bots' tests. */
public final class Cli {

    public record Outcome(int code, String out, String err) {}

    private Cli() {}

    public static Outcome run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    /** The texts of the messages a tool sent back to the model ({@code functions.get_weather}, {@code python}). */
    public static List<String> toolMessages(Conversation c, String tool) {
        return c.messages().stream().filter(m -> tool.equals(m.author().name())).map(Message::text).toList();
    }

    /** A printer the bots can write to, read with {@code toString()}. */
    public static StringWriter buffer() {
        return new StringWriter();
    }
}
