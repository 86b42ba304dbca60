package dev.gptoss4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The local model a command runs, the same options everywhere: {@code --model} (else {@code $GPTOSS_MODEL}, else
 * the config file's {@code model}, else {@code openai/gpt-oss-20b}), {@code --include} for the files of a Hugging
 * Face repository, {@code --yes} to download without asking. {@link Models} resolves it.
 */
final class ModelOption {

    @Option(names = "--model", paramLabel = "MODEL", description = Models.MODEL_HELP)
    String model;

    @Option(
            names = "--include",
            paramLabel = "GLOB",
            split = ",",
            description = "With a Hugging Face repo id: also fetch the files matching GLOB, such as the one .gguf "
                    + "file to take from a repository that holds several.")
    List<String> include = new ArrayList<>();

    @Option(
            names = "--yes",
            description = "Download the model without asking when it is not on this machine (also: "
                    + "GPTOSS_ASSUME_YES=1); without it, a download is asked for on a terminal and refused otherwise.")
    boolean yes;

    /** Whether {@code --model} was given. */
    boolean given() {
        return model != null;
    }

    /** The weights to load: found locally, or downloaded when the user agrees, after the resource check. */
    Path resolve(CommandLine.Model.CommandSpec command) {
        return Models.resolve(this, command);
    }
}
