package dev.gptoss4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every command in README.md's {@code bash} blocks, as a user pastes it from a fresh clone: those not marked
 * "(needs ...)" (a model, a server, the network, disk) run and exit 0, piped stages included; every {@code ./gptoss}
 * command, marked or not, parses (no option the app does not have). Runs in-process, offline (an empty model cache,
 * {@code HF_HUB_OFFLINE=1}), with paths relative to the repository root and {@code /tmp/} moved into a temporary
 * folder.
 */
class ReadmeCommandsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    // Not run here, each for a reason: serve blocks until Ctrl-C (ServeCommandTest serves the same replay),
    // the test command and Maven are the whole build (ReadmeConsumerIT installs the artifacts), and JMH benchmarks
    // run for minutes; git clone is the fresh clone these commands start from. Any other command must be a gptoss
    // one, or marked.
    private static final List<String> NOT_RUN = List.of(
            "./gptoss serve ", "./gptoss test", "./gptoss jmh", "./gptoss mvn", "./mvnw ", "mvn ", "git clone ");

    /** Commands the {@code gptoss} script handles itself, before the app starts. */
    private static final List<String> SCRIPT_COMMANDS = List.of("test", "jmh", "mvn");

    @TempDir
    Path tmp;

    record Command(int line, String text) {
        boolean marked() {
            return text.contains("(needs ");
        }

        /** The command without its trailing comment. */
        String code() {
            return stripComment(text);
        }
    }

    @Test
    void everyUnmarkedCommandRunsAndExitsZero() throws Exception {
        int ran = 0;
        List<String> failures = new ArrayList<>();
        for (Command c : commands()) {
            if (c.marked() || NOT_RUN.stream().anyMatch(c.code()::startsWith)) continue;
            if (!c.code().startsWith("./gptoss")
                    && !c.code().startsWith("echo ")
                    && !c.code().startsWith("printf ")) {
                failures.add(
                        "README.md:" + c.line() + " is neither a gptoss command nor marked (needs ...): " + c.text());
                continue;
            }
            String problem = runPipeline(c);
            if (problem != null) failures.add("README.md:" + c.line() + ": " + c.code() + "\n    " + problem);
            ran++;
        }
        assertTrue(ran >= 25, "README commands run: " + ran);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void everyGptossCommandParsesMarkedOrNot() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Command c : commands()) {
            for (String stage : c.code().split(" \\| ")) {
                List<String> words = new ArrayList<>(words(stage.strip()));
                while (!words.isEmpty() && words.get(0).matches("[A-Z_]+=.*")) words.remove(0); // VAR=value prefix
                if (words.isEmpty() || !words.get(0).equals("./gptoss")) continue;
                if (words.size() > 1 && SCRIPT_COMMANDS.contains(words.get(1))) continue; // the script's, not the app's
                words.remove(0);
                words.removeIf(w -> w.startsWith(">") || w.startsWith("2>"));
                try {
                    CliRun.offline(tmp).parseArgs(words.toArray(String[]::new));
                } catch (CommandLine.ParameterException e) {
                    failures.add("README.md:" + c.line() + ": " + stage + "\n    " + e.getMessage());
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** Runs the stages of {@code c}, each one's stdout the next one's stdin; null when all exit 0. */
    private String runPipeline(Command c) {
        byte[] input = new byte[0];
        for (String stage : c.code().split(" \\| ")) {
            List<String> words = words(stage.strip());
            String first = words.get(0);
            if (first.equals("echo")) {
                boolean n = words.size() > 1 && words.get(1).equals("-n");
                String text = String.join(" ", words.subList(n ? 2 : 1, words.size()));
                input = (n ? text : text + "\n").getBytes(StandardCharsets.UTF_8);
                continue;
            }
            if (first.equals("printf")) {
                input = words.get(1).replace("\\n", "\n").getBytes(StandardCharsets.UTF_8);
                continue;
            }
            List<String> args = new ArrayList<>();
            for (String w : words.subList(1, words.size())) {
                if (w.startsWith(">") || w.startsWith("2>")) continue; // output redirections: the output is kept here
                args.add(localPath(w));
            }
            CliRun.Outcome o = gptoss(input, args);
            if (o.code() != 0) return "exit " + o.code() + ": " + o.err().strip();
            input = o.out().getBytes(StandardCharsets.UTF_8);
        }
        return null;
    }

    private CliRun.Outcome gptoss(byte[] stdin, List<String> args) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(stdin));
        try {
            CommandLine cli = CliRun.offline(tmp);
            CommandLine detokenize = cli.getSubcommands().get("detokenize");
            ((DetokenizeCommand) detokenize.getCommand()).stdin = new ByteArrayInputStream(stdin);
            return CliRun.run(cli, args.toArray(String[]::new));
        } finally {
            System.setIn(saved);
        }
    }

    /** A word naming a file: repository-relative paths resolved from the root, /tmp/ moved into the test's folder. */
    private String localPath(String word) {
        String prefix = word.startsWith("replay:") ? "replay:" : "";
        String path = word.substring(prefix.length());
        if (path.startsWith("/tmp/")) return prefix + tmp.resolve(path.substring(5));
        if (!path.isEmpty()
                && !path.startsWith("-")
                && !path.startsWith("/")
                && path.contains("/")
                && Files.exists(ROOT.resolve(path))) {
            return prefix + ROOT.resolve(path);
        }
        return word;
    }

    /** The lines of README.md's bash blocks, continuation lines joined, comments and blank lines left out. */
    static List<Command> commands() throws Exception {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
        List<Command> out = new ArrayList<>();
        boolean inBash = false;
        StringBuilder pending = null;
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                inBash = !inBash && line.equals("```bash");
                continue;
            }
            if (!inBash) continue;
            if (pending == null) {
                if (line.isBlank() || line.stripLeading().startsWith("#")) continue;
                pending = new StringBuilder();
                start = i + 1;
            }
            String code = stripComment(line);
            if (code.endsWith("\\")) {
                pending.append(code, 0, code.length() - 1).append(' ');
                continue;
            }
            pending.append(line.strip());
            if (openQuote(pending)) { // a quoted argument spans lines (curl -d '...')
                pending.append(' ');
                continue;
            }
            out.add(new Command(start, pending.toString().replaceAll(" {2,}", " ")));
            pending = null;
        }
        return out;
    }

    private static boolean openQuote(CharSequence text) {
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quote != 0) {
                if (ch == quote) quote = 0;
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
            } else if (ch == '#' && i > 0 && Character.isWhitespace(text.charAt(i - 1))) {
                return false; // a comment: quotes in it do not count
            }
        }
        return quote != 0;
    }

    /** {@code line} without a trailing {@code # comment} (a '#' outside quotes, after white space). */
    static String stripComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quote != 0) {
                if (ch == quote) quote = 0;
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
            } else if (ch == '#' && i > 0 && Character.isWhitespace(line.charAt(i - 1))) {
                return line.substring(0, i).strip();
            }
        }
        return line.strip();
    }

    /** Shell words: white space separates, quotes group (single quotes literally, double quotes with \" escapes). */
    static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder w = null;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (quote == 0 && Character.isWhitespace(ch)) {
                if (w != null) out.add(w.toString());
                w = null;
                continue;
            }
            if (w == null) w = new StringBuilder();
            if (quote == 0 && (ch == '\'' || ch == '"')) {
                quote = ch;
            } else if (ch == quote) {
                quote = 0;
            } else if (ch == '\\'
                    && quote != '\''
                    && i + 1 < s.length()
                    && (quote == 0 || "\"\\$`".indexOf(s.charAt(i + 1)) >= 0)) {
                w.append(s.charAt(++i));
            } else {
                w.append(ch);
            }
        }
        if (w != null) out.add(w.toString());
        return out;
    }

    @Test
    void shellWordsAndCommentsAreReadAsBashReadsThem() {
        assertEquals(List.of("run", "What is 17 * 23 + 4?", "--x"), words("run \"What is 17 * 23 + 4?\" --x"));
        assertEquals(List.of("printf", "a\\nb"), words("printf 'a\\nb'"));
        assertEquals("./gptoss x '#not' y", stripComment("./gptoss x '#not' y   # comment"));
        assertEquals(Map.of(), Map.of());
    }
}
