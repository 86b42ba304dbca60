package dev.gptoss4j.cli;

import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentListener;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.AgentRun;
import dev.gptoss4j.agent.ConversationJson;
import dev.gptoss4j.agent.PendingCall;
import dev.gptoss4j.agent.StopReason;
import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.store.ConversationStore;
import dev.gptoss4j.agent.store.ToolStateReset;
import dev.gptoss4j.agent.tool.Tool;
import dev.gptoss4j.agent.tool.ToolScope;
import dev.gptoss4j.agent.vision.UserInput;
import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.engine.harmony.Role;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The state of {@code gptoss chat} and what each line the user types does: a slash command, or a turn of the
 * conversation run by the agent. Knows nothing of terminals: lines come in, text goes to the printer and writers
 * it was given, and {@link #cancel()} may come from any thread (Ctrl-C). The tools' state (python variables and
 * files, browser history) lasts for the chat: one {@link ToolScope}, replaced on /reset and /load, closed with it.
 */
final class ChatSession implements AutoCloseable {

    /** The slash commands, for help and completion. */
    static final List<String> COMMANDS =
            List.of("/effort", "/tools", "/reasoning", "/save", "/load", "/reset", "/exit", "/help");

    static final String HELP = """
            /effort low|medium|high   how hard the model thinks (no argument: the current effort)
            /tools                    list the tools; /tools enable NAME..., /tools disable NAME...
            /reasoning [on|off]       show or hide the model's reasoning (no argument: toggle)
            /save FILE                save the conversation (harmony JSON, as run --save writes it)
            /load FILE                go on with a saved conversation
            /reset                    start a new conversation
            /exit                     leave (Ctrl-D too; Ctrl-C stops the answer being written)
            /help                     this list""";

    /**
     * What stays the same for the whole session.
     *
     * @param tracing   gets every run's events (a {@code --trace} file), or {@link AgentListener#NONE}
     * @param store     where the conversation is stored after each turn ({@code --session}), or null
     * @param sessionId its name in the store, or null
     */
    record Settings(
            String instructions,
            String date,
            int maxSteps,
            Duration toolTimeout,
            AgentListener tracing,
            ConversationStore store,
            String sessionId) {

        Settings(String instructions, String date, int maxSteps, Duration toolTimeout) {
            this(instructions, date, maxSteps, toolTimeout, AgentListener.NONE, null, null);
        }
    }

    private final Backend backend;
    private final Toolbox toolbox;
    private final Settings settings;
    private final TurnPrinter printer;
    private final PrintWriter out;
    private final PrintWriter err;
    private final List<String> enabled;
    private ReasoningEffort effort;
    private Conversation conversation = Conversation.of();
    private volatile AgentRun current;
    private int failures;
    /** The tool state (python notebook, browser history) of the conversation: one per chat, new on /reset. */
    private ToolScope scope = ToolScope.create();

    /**
     * @param printer shows turns as they stream
     * @param out     where the results of commands go (/help, the /tools list)
     * @param err     where status (effort set, conversation saved) and one-line errors ({@code gptoss chat: ...}) go
     */
    ChatSession(
            Backend backend,
            Toolbox toolbox,
            List<String> tools,
            ReasoningEffort effort,
            Settings settings,
            TurnPrinter printer,
            PrintWriter out,
            PrintWriter err) {
        this.backend = backend;
        this.toolbox = toolbox;
        this.enabled = new ArrayList<>(tools);
        this.effort = effort;
        this.settings = settings;
        this.printer = printer;
        this.out = out;
        this.err = err;
    }

    /**
     * Handles one line the user typed.
     *
     * @return false when the user asked to leave
     */
    boolean accept(String line) {
        String text = line.strip();
        if (text.isEmpty()) return true;
        try {
            if (text.startsWith("/")) return command(text);
            turn(text);
        } catch (RuntimeException e) {
            error(e);
        }
        return true;
    }

    /** Stops the turn being run, if any, at its next token or tool poll; the session goes on. */
    void cancel() {
        AgentRun run = current;
        if (run != null) run.cancel();
    }

    /** Whether a turn is running. */
    boolean busy() {
        return current != null;
    }

    Conversation conversation() {
        return conversation;
    }

    /** How many turns and commands failed. */
    int failures() {
        return failures;
    }

    private void turn(String text) {
        Agent agent = agent();
        AgentRun run = agent.newRun(conversation.messages().isEmpty() ? null : conversation, UserInput.text(text))
                .inScope(scope);
        current = run;
        try {
            AgentResult result = run.execute();
            conversation = result.conversation();
            store();
            printer.finish();
            if (result.stopReason() == StopReason.CANCELLED) {
                printer.note("[cancelled: the unfinished answer is not kept]");
            } else if (!result.completed()) {
                failures++;
                printError("stopped without an answer: "
                        + result.stopReason().name().toLowerCase(Locale.ROOT));
            }
        } catch (RuntimeException e) {
            // the run keeps only complete messages: going on from there is safe
            conversation = run.conversation();
            store();
            printer.finish();
            throw e;
        } finally {
            current = null;
        }
    }

    /** The agent as the session is set now (effort, tools). */
    private Agent agent() {
        List<String> names = List.copyOf(enabled);
        return Agent.builder()
                .backend(backend)
                .tools(toolbox.tools(names))
                .reasoningEffort(effort)
                .maxSteps(settings.maxSteps())
                .toolTimeout(settings.toolTimeout())
                .instructions(ToolOptions.instructions(settings.instructions(), names))
                .conversationStartDate(settings.date())
                .listener(printer)
                .listener(settings.tracing())
                .build();
    }

    /** With {@code --session}: the conversation as it stands now goes to the store. */
    private void store() {
        if (settings.store() != null && !conversation.messages().isEmpty()) {
            settings.store().save(settings.sessionId(), conversation);
        }
    }

    /**
     * With {@code --session}: goes on with the stored conversation, if there is one. Its tools' state (python
     * variables, browser pages) stayed with the process that stored it; when such tools answered in it, the model
     * is told so.
     */
    String resumeStored() {
        Conversation stored = settings.store().load(settings.sessionId()).orElse(null);
        if (stored == null) return "new session " + settings.sessionId() + " (stored after each turn)";
        PendingCall waiting = PendingCall.of(stored).orElse(null);
        if (waiting != null) {
            throw new IllegalArgumentException("session " + settings.sessionId() + " waits for a decision on its call "
                    + "to " + waiting.recipient() + ": gptoss run --session " + settings.sessionId()
                    + " --approve (or --deny REASON) first");
        }
        boolean stateful = ToolStateReset.needed(stored);
        conversation = stateful ? ToolStateReset.note(stored) : stored;
        long turns =
                stored.messages().stream().filter(m -> m.role() == Role.USER).count();
        return "session " + settings.sessionId() + ": " + stored.size() + " messages (" + turns + " turn"
                + (turns == 1 ? "" : "s") + ")" + (stateful ? "; the tools start afresh" : "");
    }

    /** After /effort or /tools: the conversation's system and developer messages say what holds now. */
    private void settingsChanged() {
        if (!conversation.messages().isEmpty()) conversation = withPreamble(conversation, agent().preamble());
    }

    /** {@code conversation} with its leading system and developer messages replaced by {@code preamble}. */
    static Conversation withPreamble(Conversation conversation, List<Message> preamble) {
        List<Message> messages = conversation.messages();
        int body = 0;
        while (body < messages.size()
                && (messages.get(body).role() == Role.SYSTEM
                        || messages.get(body).role() == Role.DEVELOPER)) {
            body++;
        }
        List<Message> out = new ArrayList<>(preamble);
        out.addAll(messages.subList(body, messages.size()));
        return Conversation.of(out);
    }

    private boolean command(String text) {
        String[] parts = text.split("\\s+", 2);
        String name = parts[0].toLowerCase(Locale.ROOT);
        String arg = parts.length > 1 ? parts[1].strip() : "";
        switch (name) {
            case "/exit", "/quit" -> {
                return false;
            }
            case "/help" -> say(HELP);
            case "/effort" -> effort(arg);
            case "/tools" -> tools(arg);
            case "/reasoning" -> reasoning(arg);
            case "/save" -> save(arg);
            case "/load" -> status(load(path("/load", arg)));
            case "/reset" -> {
                conversation = Conversation.of();
                newScope();
                status("new conversation");
            }
            default -> throw new IllegalArgumentException("unknown command " + parts[0] + "; /help lists them");
        }
        return true;
    }

    private void effort(String arg) {
        if (!arg.isEmpty()) {
            effort = ReasoningEffort.parse(arg);
            settingsChanged();
        }
        status("effort: " + effort.name().toLowerCase(Locale.ROOT));
    }

    private void tools(String arg) {
        if (arg.isEmpty()) {
            for (String n : Toolbox.NAMES) {
                List<Tool> made = toolbox.made().get(n);
                String recipients =
                        made == null ? "" : made.stream().map(Tool::recipient).collect(Collectors.joining(", "));
                say(String.format(Locale.ROOT, "%-11s %-4s %s", n, enabled.contains(n) ? "on" : "off", recipients)
                        .stripTrailing());
            }
            return;
        }
        String[] words = arg.split("[\\s,]+");
        String verb = words[0].toLowerCase(Locale.ROOT);
        if (!verb.equals("enable") && !verb.equals("disable") || words.length < 2) {
            throw new IllegalArgumentException(
                    "/tools: expected /tools, /tools enable NAME... or " + "/tools disable NAME...");
        }
        List<String> names = Toolbox.names(List.of(words).subList(1, words.length));
        if (verb.equals("enable")) {
            // made now, before anything changes, so a bad setting (files without --workspace) shows here
            for (String n : names) toolbox.group(n);
            for (String n : names) if (!enabled.contains(n)) enabled.add(n);
        } else {
            enabled.removeAll(names);
        }
        settingsChanged();
        status("tools: " + (enabled.isEmpty() ? "none" : String.join(", ", enabled)));
    }

    private void reasoning(String arg) {
        boolean show = switch (arg.toLowerCase(Locale.ROOT)) {
            case "" -> !printer.showsReasoning();
            case "on", "show" -> true;
            case "off", "hide" -> false;
            default ->
                throw new IllegalArgumentException(
                        "/reasoning: expected on, off or nothing (toggle), got '" + arg + "'");
        };
        printer.showReasoning(show);
        status("reasoning: " + (show ? "shown" : "hidden"));
    }

    private void save(String arg) {
        Path file = path("/save", arg);
        if (conversation.messages().isEmpty()) throw new IllegalArgumentException("/save: nothing to save yet");
        ConversationJson.save(conversation, file);
        status("saved " + conversation.size() + " messages to " + file);
    }

    /** Goes on with the conversation saved in {@code file}; returns what was loaded, in words. */
    String load(Path file) {
        Conversation loaded = ConversationJson.load(file);
        conversation = loaded;
        newScope(); // the loaded conversation's variables and files were not saved with it
        long turns =
                loaded.messages().stream().filter(m -> m.role() == Role.USER).count();
        return "loaded " + loaded.size() + " messages (" + turns + " turn" + (turns == 1 ? "" : "s") + ") from " + file;
    }

    /** A new conversation's tools start from nothing: the old notebook and browser history are freed. */
    private void newScope() {
        scope.close();
        scope = ToolScope.create();
    }

    /** Frees the conversation's tool state (sandboxes). */
    @Override
    public void close() {
        scope.close();
    }

    private static Path path(String command, String arg) {
        if (arg.isEmpty()) throw new IllegalArgumentException(command + " needs a file: " + command + " FILE");
        String p = arg;
        if ((p.startsWith("\"") && p.endsWith("\"") || p.startsWith("'") && p.endsWith("'")) && p.length() > 1) {
            p = p.substring(1, p.length() - 1);
        }
        if (p.equals("~") || p.startsWith("~/")) p = System.getProperty("user.home") + p.substring(1);
        return Path.of(p);
    }

    /** What the user asked to see (/help, the /tools list): the command's result, on {@code out}. */
    private void say(String text) {
        out.println(text);
        out.flush();
    }

    /** What changed (effort, tools, saved, loaded): status, on {@code err}, so piped answers stay clean. */
    private void status(String text) {
        err.println(text);
        err.flush();
    }

    private void error(RuntimeException e) {
        failures++;
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        printError(message);
    }

    private void printError(String message) {
        err.println("gptoss chat: " + TurnPrinter.oneLine(message, 2000));
        err.flush();
    }
}
