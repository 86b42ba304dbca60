package dev.gptoss4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code gptoss ...} in-process as a user would, capturing the exit code and what it printed. */
public final class CliRun {

    public record Outcome(int code, String out, String err) {}

    private CliRun() {}

    public static Outcome run(String... args) {
        return run(Main.commandLine(), args);
    }

    /** Runs {@code args} on a command line the caller has prepared (a command's stdin swapped, say). */
    public static Outcome run(CommandLine cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }
}
