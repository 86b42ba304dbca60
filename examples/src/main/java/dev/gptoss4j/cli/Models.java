package dev.gptoss4j.cli;

import dev.gptoss4j.agent.hub.DownloadListener;
import dev.gptoss4j.agent.hub.ModelResolver;
import dev.gptoss4j.agent.hub.ProgressBar;
import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** Turns a {@code --model} value (path, Hugging Face repo id, Ollama name) into the path the engine loads. */
final class Models {

    static final String MODEL_HELP = "A .gguf file, a checkpoint folder, a Hugging Face repo id (owner/name[@revision], "
            + "downloaded into the Hugging Face cache once) or an Ollama name (gpt-oss:20b).";

    private Models() {}

    /** Resolves {@code spec} (null: the default model), downloading with a progress bar on stderr if needed. */
    static Path resolve(String spec, CommandLine.Model.CommandSpec command) {
        return ModelResolver.builder().listener(progress(command.commandLine().getErr(), false)).build().resolve(spec);
    }

    /** A progress bar on {@code err} when it is a terminal (or when forced), else silence. */
    static DownloadListener progress(PrintWriter err, boolean force) {
        return force || isTerminal() ? new ProgressBar(err) : DownloadListener.NONE;
    }

    static boolean isTerminal() {
        Console c = System.console();
        return c != null && c.isTerminal();
    }
}
