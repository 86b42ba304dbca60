package dev.gptoss4j.cli;

import dev.gptoss4j.agent.hub.DownloadListener;
import dev.gptoss4j.agent.hub.DownloadPlan;
import dev.gptoss4j.agent.hub.FileSelection;
import dev.gptoss4j.agent.hub.HubConfig;
import dev.gptoss4j.agent.hub.ModelResolver;
import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine;

/**
 * Which model a command runs and where its weights are, the same for every command that loads one ({@code chat},
 * {@code run}, {@code serve}, the bots with {@code --model}, {@code generate}, {@code logits}, {@code bench}).
 *
 * <p>The model is {@code --model}, else {@code $GPTOSS_MODEL}, else the config file's {@code model} (see {@link
 * UserConfig}), else {@value ModelResolver#DEFAULT_MODEL}. {@link ModelResolver} then looks on this machine first
 * (a path, a complete copy in the Hugging Face cache, Ollama's store) and only then downloads, which here needs a
 * yes: {@code --yes} or {@code GPTOSS_ASSUME_YES=1}, or the user's answer on a terminal; without a terminal the
 * command stops with the instruction. Memory and disk are checked before a download and before a load.
 */
final class Models {

    static final String MODEL_HELP =
            "A .gguf file, a checkpoint folder, a Hugging Face repo id (owner/name[@revision], "
                    + "downloaded into the Hugging Face cache once) or an Ollama name (gpt-oss:20b). Default: $GPTOSS_MODEL, "
                    + "else the config file's model, else " + ModelResolver.DEFAULT_MODEL + ".";

    static final String ASSUME_YES = "GPTOSS_ASSUME_YES";
    private static final Set<String> YES = Set.of("y", "yes");

    /** The model to run and where the choice came from ({@code --model}, {@code GPTOSS_MODEL}, ...). */
    record Choice(String spec, String origin, boolean given) {}

    private Models() {}

    /** What runs: {@code --model}, else {@code GPTOSS_MODEL}, else the config file, else the default model. */
    static Choice choose(String model, CliEnvironment env) {
        if (model != null && !model.isBlank()) return new Choice(model.strip(), "--model", true);
        String fromEnv = env.get("GPTOSS_MODEL");
        if (fromEnv != null) return new Choice(fromEnv, "GPTOSS_MODEL", false);
        UserConfig config = UserConfig.load(env);
        if (config.model() != null) return new Choice(config.model(), "model in " + config.file(), false);
        return new Choice(ModelResolver.DEFAULT_MODEL, "the default model", false);
    }

    /** The weights {@code option} names for {@code command}: found, or downloaded with the user's yes, and checked. */
    static Path resolve(ModelOption option, CommandLine.Model.CommandSpec command) {
        CliEnvironment env = CliEnvironment.of(command);
        PrintWriter err = command.commandLine().getErr();
        String name = command.qualifiedName();
        Choice choice = choose(option.model, env);
        ProgressBar bar = isTerminal() ? new ProgressBar(err) : null;
        HubConfig hub = env.hubConfig();
        ModelResolver resolver = ModelResolver.builder()
                .config(hub)
                .listener(bar != null ? bar : DownloadListener.NONE)
                .files(FileSelection.defaultsPlus(option.include))
                .approval(plan -> approve(plan, option.yes, env, err, name))
                .build();
        Path path;
        try {
            path = resolver.resolve(choice.spec());
        } finally {
            if (bar != null) bar.clear(); // an error starts on its own line
        }
        long weights = ResourceCheck.weightBytes(path);
        ResourceCheck.memory(choice.spec(), weights, env);
        KernelTuning.firstRun(env, err);
        // the one status line of a load: which model (and why that one, when the user did not name it), from where
        err.println(name + ": loading " + (choice.given() ? "" : choice.spec() + " (" + choice.origin() + ") from ")
                + path + " (" + ProgressBar.bytes(weights) + " of weights)");
        err.flush();
        return path;
    }

    /**
     * Whether to download {@code plan}: the machine must hold it, then {@code --yes}/{@code GPTOSS_ASSUME_YES}, else
     * the user's answer on a terminal; with no terminal to ask, the command stops with the way to allow it.
     */
    static boolean approve(DownloadPlan plan, boolean yes, CliEnvironment env, PrintWriter err, String command) {
        ResourceCheck.memory(plan.repo().toString(), ResourceCheck.weightBytes(plan), env);
        ResourceCheck.disk(plan, env);
        long free = env.machine().freeBytes(plan.cacheDir());
        String size = ProgressBar.bytes(plan.bytesToFetch());
        String what = plan.repo() + " (" + plan.files().size() + (plan.files().size() == 1 ? " file, " : " files, ")
                + size + ") into " + plan.cacheDir() + " ("
                + (free == Long.MAX_VALUE ? "free space unknown" : ProgressBar.bytes(free) + " free") + ")";
        if (yes || env.flag(ASSUME_YES)) {
            err.println(command + ": downloading " + what);
            err.flush();
            return true;
        }
        err.flush();
        String answer = env.asker()
                .ask(command + ": " + plan.repo() + " is not on this machine (looked in the "
                        + "Hugging Face cache and Ollama's store).\nDownload " + what + "? [y/N] ");
        if (answer == null) {
            throw new CommandRefused(plan.repo() + " is not on this machine and needs a " + size + " download, "
                    + "which is not started unasked: run again with --yes (or " + ASSUME_YES + "=1) to download it, "
                    + "or give --model PATH or --base-url URL");
        }
        return YES.contains(answer.strip().toLowerCase(Locale.ROOT));
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
