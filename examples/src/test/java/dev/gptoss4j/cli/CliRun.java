package dev.gptoss4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code gptoss ...} in-process as a user would, capturing the exit code and what it printed. */
public final class CliRun {

    public record Outcome(int code, String out, String err) {}

    private CliRun() {}

    public static Outcome run(String... args) {
        return run(Main.commandLine(), args);
    }

    /**
     * The app as it runs offline with nothing on disk: an empty Hugging Face cache and Ollama store under {@code dir},
     * {@code HF_HUB_OFFLINE=1}, no terminal. Commands that would look for the default model fail at once rather
     * than reach huggingface.co from a test.
     */
    public static CommandLine offline(Path dir) {
        Map<String, String> env = Map.of(
                "HF_HUB_CACHE",
                dir.resolve("hub").toString(),
                "OLLAMA_MODELS",
                dir.resolve("ollama").toString(),
                "HF_HUB_OFFLINE",
                "1",
                "XDG_CONFIG_HOME",
                dir.resolve("config").toString());
        return Main.commandLine(new CliEnvironment(
                env, dir.resolve("home"), "Linux", question -> null, CliEnvironment.Machine.system()));
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
