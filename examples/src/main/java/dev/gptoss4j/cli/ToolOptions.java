package dev.gptoss4j.cli;

import dev.gptoss4j.tools.files.FilesTools;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** The tool options of {@code run} and {@code chat}: which tools the agent gets, where and how long they run. */
final class ToolOptions {

    @Option(
            names = "--tools",
            split = ",",
            paramLabel = "NAME",
            description = "Tools to offer: calculator, time, python, javascript, browser, files, or none "
                    + "(default: calculator,time). "
                    + "browser searches through GPTOSS_SEARCH_URL/GPTOSS_SEARCH_KEY/GPTOSS_SEARCH_API; "
                    + "files needs --workspace.")
    List<String> tools = List.of("calculator", "time");

    @Option(
            names = "--workspace",
            paramLabel = "DIR",
            description = "The directory the files tool may read and change (nothing outside it).")
    Path workspace;

    @Option(names = "--tool-timeout", paramLabel = "SECONDS", description = "Per tool call (default: 60).")
    double toolTimeout = 60;

    /** The checked tool names. */
    List<String> names() {
        return Toolbox.names(tools);
    }

    Duration timeout() {
        return timeout(toolTimeout);
    }

    /** A {@code --tool-timeout} value, checked. */
    static Duration timeout(double seconds) {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("--tool-timeout must be a positive number of seconds, got " + seconds);
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    /** A toolbox for these options; notices go to {@code err} as {@code gptoss COMMAND: ...} lines. */
    Toolbox toolbox(PrintWriter err, String command) {
        return new Toolbox(timeout(), workspace, notice -> {
            err.println("gptoss " + command + ": " + notice);
            err.flush();
        });
    }

    /** With the files tool on, the model is told the patch format, as gpt-oss's reference chat does. */
    static String instructions(String instructions, List<String> toolNames) {
        if (!toolNames.contains("files")) return instructions;
        return instructions == null ? FilesTools.INSTRUCTIONS : instructions + "\n\n" + FilesTools.INSTRUCTIONS;
    }
}
