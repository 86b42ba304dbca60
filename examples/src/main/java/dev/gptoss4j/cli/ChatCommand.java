package dev.gptoss4j.cli;

import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gptoss chat}: a conversation with the agent. On a terminal: line editing and input history (JLine), the
 * answer streaming, reasoning dim or summed up, Ctrl-C stopping the answer rather than the program. Otherwise
 * (piped input) each line is a turn or a slash command and the answers go to stdout, one after the other.
 */
@Command(
        name = "chat",
        description = {
            "Chat with the agent: answers stream, tools run, the conversation goes on; "
                    + "/help lists the slash commands (/effort, /tools, /reasoning, /save, /load, /reset, /exit).",
            "Input that is not a terminal is read a line at a time, each line a turn."
        },
        mixinStandardHelpOptions = true)
public final class ChatCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    BackendOptions backendOptions = new BackendOptions();

    @CommandLine.Mixin
    RemoteOptions remote = new RemoteOptions();

    @CommandLine.Mixin
    ToolOptions toolOptions = new ToolOptions();

    @CommandLine.Mixin
    SessionFlags sessionFlags = new SessionFlags();

    @Option(
            names = "--effort",
            paramLabel = "LEVEL",
            description = "Reasoning effort: low, medium or high " + "(default: medium; /effort changes it).")
    String effort = "medium";

    @Option(names = "--max-steps", paramLabel = "N", description = "Most model calls per turn (default: 20).")
    int maxSteps = 20;

    @Option(names = "--instructions", paramLabel = "TEXT", description = "Developer instructions.")
    String instructions;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "Conversation date (default: today).")
    String date;

    @Option(
            names = "--load",
            paramLabel = "FILE",
            description = "Go on with a conversation saved with /save (or run --save).")
    Path load;

    @Option(
            names = "--show-reasoning",
            description = "Show the model's reasoning as it streams (dim); otherwise one 'thought for N s' line. "
                    + "/reasoning toggles it.")
    boolean showReasoning;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReasoningEffort level = ReasoningEffort.parse(effort);
        if (maxSteps < 1) throw new IllegalArgumentException("--max-steps must be at least 1, got " + maxSteps);
        List<String> tools = toolOptions.names();
        if (load != null && sessionFlags.session() != null) {
            throw new IllegalArgumentException(
                    "--load and --session both say where the conversation comes from: " + "give one");
        }
        try (Toolbox toolbox = toolOptions.toolbox(err, "chat");
                Backend backend = backendOptions.open(spec, remote);
                SessionFlags flags = sessionFlags) {
            ChatSession.Settings settings = new ChatSession.Settings(
                    instructions,
                    date,
                    maxSteps,
                    toolOptions.timeout(),
                    flags.tracing(),
                    flags.session() == null ? null : flags.store(),
                    flags.session());
            for (String t : tools) toolbox.group(t); // a bad tool setting fails now, not at the first question
            if (Models.isTerminal()) return interactive(backend, toolbox, tools, level, settings);
            TurnPrinter printer = new TurnPrinter(out, err, false, showReasoning, true, 200);
            try (ChatSession session = new ChatSession(backend, toolbox, tools, level, settings, printer, out, err)) {
                if (load != null) err.println("gptoss chat: " + session.load(load));
                if (flags.session() != null) err.println("gptoss chat: " + session.resumeStored());
                return piped(session);
            }
        }
    }

    /** Piped input: every line a turn or a command, to the end of the input or /exit. */
    private static int piped(ChatSession session) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (!session.accept(line)) break;
        }
        return session.failures() == 0 ? 0 : 1;
    }

    private int interactive(
            Backend backend, Toolbox toolbox, List<String> tools, ReasoningEffort level, ChatSession.Settings settings)
            throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            PrintWriter screen = terminal.writer();
            int width = terminal.getWidth() > 20 ? terminal.getWidth() - 1 : 120;
            TurnPrinter printer = new TurnPrinter(screen, screen, true, showReasoning, true, width);
            try (ChatSession session =
                    new ChatSession(backend, toolbox, tools, level, settings, printer, screen, screen)) {
                // a message the user types is text, not shell syntax: no quotes, escapes or !history expansion
                DefaultParser parser = new DefaultParser();
                parser.setEscapeChars(new char[0]);
                parser.setQuoteChars(new char[0]);
                LineReader reader = LineReaderBuilder.builder()
                        .terminal(terminal)
                        .appName("gptoss")
                        .parser(parser)
                        .completer(new StringsCompleter(ChatSession.COMMANDS))
                        .variable(LineReader.HISTORY_FILE, historyFile())
                        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                        .option(LineReader.Option.HISTORY_IGNORE_SPACE, true)
                        .build();
                // Between prompts Ctrl-C stops the turn; while a line is read, JLine turns it into
                // UserInterruptException.
                terminal.handle(Terminal.Signal.INT, signal -> session.cancel());
                screen.println(TurnPrinter.DIM + "gptoss chat on " + backend.describe() + " · /help lists the "
                        + "commands, Ctrl-C stops an answer, Ctrl-D exits" + TurnPrinter.RESET);
                screen.flush();
                if (load != null) screen.println(session.load(load));
                if (settings.sessionId() != null) screen.println(session.resumeStored());
                boolean interruptedAtEmptyPrompt = false;
                while (true) {
                    String line;
                    try {
                        line = reader.readLine("> ");
                    } catch (UserInterruptException e) {
                        if (!e.getPartialLine().isEmpty()) {
                            interruptedAtEmptyPrompt = false;
                            continue;
                        }
                        if (interruptedAtEmptyPrompt) break;
                        interruptedAtEmptyPrompt = true;
                        screen.println(TurnPrinter.DIM + "(Ctrl-C again or Ctrl-D to exit)" + TurnPrinter.RESET);
                        screen.flush();
                        continue;
                    } catch (EndOfFileException e) {
                        break;
                    }
                    interruptedAtEmptyPrompt = false;
                    if (!session.accept(line)) break;
                }
                reader.getHistory().save();
                return 0;
            }
        }
    }

    /** Input history across sessions: {@code $GPTOSS_HOME/chat_history}, else {@code ~/.gptoss/chat_history}. */
    static Path historyFile() throws IOException {
        return home().resolve("chat_history");
    }

    /** {@code $GPTOSS_HOME}, else {@code ~/.gptoss}; created when missing. */
    static Path home() throws IOException {
        String home = System.getenv("GPTOSS_HOME");
        Path dir =
                home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".gptoss");
        Files.createDirectories(dir);
        return dir;
    }
}
