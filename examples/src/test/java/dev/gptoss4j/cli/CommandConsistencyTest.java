package dev.gptoss4j.cli;

import static dev.gptoss4j.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.*;

import dev.gptoss4j.cli.CliRun.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Every command of the app, walked from Main: help works, and shared options mean and look the same everywhere. */
class CommandConsistencyTest {

    /** The path of every registered command below the root ({@code [langchain4j, bot]}), help excluded. */
    private static List<List<String>> commands() {
        List<List<String>> out = new ArrayList<>();
        walk(Main.commandLine(), List.of(), out);
        assertTrue(out.size() >= 12, "commands found: " + out);
        return out;
    }

    private static void walk(CommandLine cli, List<String> path, List<List<String>> out) {
        for (Map.Entry<String, CommandLine> e : cli.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) continue;
            List<String> p = new ArrayList<>(path);
            p.add(e.getKey());
            out.add(p);
            walk(e.getValue(), p, out);
        }
    }

    private static CommandSpec spec(List<String> path) {
        CommandLine cli = Main.commandLine();
        for (String name : path) cli = cli.getSubcommands().get(name);
        return cli.getCommandSpec();
    }

    @Test
    void everyCommandsHelpExitsZeroAndListsItsOptions() {
        for (List<String> path : commands()) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Outcome o = run(args.toArray(String[]::new));
            assertEquals(0, o.code(), path + ": " + o.err());
            assertTrue(o.out().startsWith("Usage: gptoss " + String.join(" ", path)), path + ": " + o.out());
            for (OptionSpec option : spec(path).options()) {
                if (option.hidden()) continue;
                assertTrue(o.out().contains(option.longestName()), path + " --help lacks " + option.longestName());
            }
            for (OptionSpec option : spec(path).options()) {
                assertTrue(
                        option.description().length > 0 && !option.description()[0].isBlank(),
                        path + " " + option.longestName() + " has no description");
            }
        }
    }

    @Test
    void sharedOptionsMeanTheSameEverywhere() {
        int models = 0;
        for (List<String> path : commands()) {
            CommandSpec spec = spec(path);
            OptionSpec model = spec.findOption("--model");
            if (model != null) {
                models++;
                assertEquals("MODEL", model.paramLabel(), path + " --model");
                assertTrue(
                        String.join(" ", model.description()).contains(Models.MODEL_HELP),
                        path + " --model resolves models as everywhere else");
            }
            OptionSpec threads = spec.findOption("--threads");
            if (threads != null) assertEquals("N", threads.paramLabel(), path + " --threads");
            OptionSpec json = spec.findOption("--json");
            if (json != null) assertTrue(json.typeInfo().isBoolean(), path + " --json is a flag");
            for (OptionSpec option : spec.options()) {
                if (option.arity().max() > 0 && !option.typeInfo().isBoolean()) {
                    assertFalse(
                            option.paramLabel().startsWith("<"),
                            path + " " + option.longestName() + " needs a paramLabel, not picocli's "
                                    + option.paramLabel());
                }
            }
            assertNotNull(spec.findOption("--verbose"), path + " inherits --verbose");
        }
        assertTrue(models >= 7, "run, chat, serve, generate, logits, langchain4j bot/agent take --model");
    }

    @Test
    void aUsageMistakeIsOneLineAHintAndExitTwo() {
        for (List<String> path : commands()) {
            List<String> args = new ArrayList<>(path);
            args.add("--no-such-option");
            Outcome o = run(args.toArray(String[]::new));
            assertEquals(2, o.code(), path + ": " + o.err());
            List<String> lines = o.err().lines().toList();
            String name = "gptoss " + String.join(" ", path);
            // a missing required option may be what picocli names first
            assertTrue(
                    lines.getFirst().startsWith(name + ": Unknown option: '--no-such-option'")
                            || lines.getFirst().startsWith(name + ": Missing required"),
                    path + ": " + o.err());
            assertEquals("(" + name + " --help lists the options)", lines.getLast(), path + ": " + o.err());
            assertTrue(lines.size() <= 3, "no wall of usage text: " + o.err());
        }
    }
}
