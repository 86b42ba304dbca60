package dev.gptoss4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gptoss chat} driven as a script drives it: lines on stdin, answers on stdout, on replayed completions. */
class ChatCommandTest {

    private static final String THREE_TURNS = "replay:src/test/resources/chat/three-turns.txt";
    private static final String CALCULATOR = "replay:replays/calculator.txt";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Runs {@code gptoss chat ARGS} with {@code input} on stdin (tests run one at a time: System.in is shared). */
    private static CliRun.Outcome chat(String input, String... args) {
        List<String> all = new ArrayList<>(List.of("chat"));
        all.addAll(List.of(args));
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return CliRun.run(all.toArray(String[]::new));
        } finally {
            System.setIn(stdin);
        }
    }

    private static JsonNode messages(Path saved) throws Exception {
        return JSON.readTree(Files.readString(saved)).get("messages");
    }

    /** role:channel:text of each message after the system and developer ones. */
    private static List<String> turns(JsonNode messages) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : messages) {
            String role = m.get("role").asText();
            if (role.equals("system") || role.equals("developer")) continue;
            String channel = m.has("channel") ? m.get("channel").asText() + ":" : "";
            out.add(role + ":" + channel + m.at("/content/0/text").asText());
        }
        return out;
    }

    @Test
    void eachLineIsATurnOfOneConversation(@TempDir Path dir) throws Exception {
        Path saved = dir.resolve("chat.json");
        CliRun.Outcome o = chat(
                "Hi!\n\nWhat is the capital of France?\nThanks.\n/save " + saved + "\n",
                "--backend",
                THREE_TURNS,
                "--tools",
                "none");
        assertEquals(0, o.code(), o.err());
        assertEquals(
                "Hello! How can I help?\nParis.\nYou're welcome.\n",
                o.out(),
                "answers only on stdout, one after the other; the blank line is no turn");
        assertTrue(o.err().contains("saved 9 messages to " + saved + "\n"), "status on stderr: " + o.err());
        assertEquals(
                List.of(
                        "user:Hi!",
                        "assistant:analysis:The user greets me. Greet back.",
                        "assistant:final:Hello! How can I help?",
                        "user:What is the capital of France?",
                        "assistant:analysis:They ask for the capital of France.",
                        "assistant:final:Paris.",
                        "user:Thanks.",
                        "assistant:final:You're welcome."),
                turns(messages(saved)),
                "every turn goes on with the conversation so far");
        // hidden reasoning leaves one marker line per thinking phase, on stderr
        assertEquals(
                2,
                o.err()
                        .lines()
                        .filter(l -> l.matches("\\[thought for \\d+\\.\\d s]"))
                        .count(),
                o.err());
    }

    @Test
    void toolCallsShowAsOneLineEachAndRunForReal() {
        CliRun.Outcome o = chat("What is 17 * 23 + 4?\n", "--backend", CALCULATOR);
        assertEquals(0, o.code(), o.err());
        assertEquals("17 × 23 + 4 = 395.\n", o.out());
        assertTrue(
                o.err()
                        .lines()
                        .anyMatch(
                                l -> l.equals("[functions.calculate {\"expression\":\"17 * 23 + 4\"} " + "-> ok] 395")),
                o.err());
    }

    @Test
    void showReasoningStreamsItAndTheToggleHidesIt() {
        CliRun.Outcome o = chat(
                "Hi!\n/reasoning\nWhat is the capital of France?\n",
                "--backend",
                THREE_TURNS,
                "--show-reasoning",
                "--tools",
                "none");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.err().contains("The user greets me. Greet back.\n"), o.err());
        assertFalse(o.err().contains("They ask for the capital"), "hidden after /reasoning: " + o.err());
        assertTrue(o.err().lines().anyMatch(l -> l.startsWith("[thought for ")), o.err());
        assertFalse(o.out().contains("Greet back"), "reasoning never goes to stdout: " + o.out());
        assertTrue(o.err().contains("reasoning: hidden\n"), "status goes to stderr: " + o.err());
        assertFalse(o.out().contains("reasoning:"), o.out());
    }

    @Test
    void effortAndToolsChangeWhatTheModelIsTold(@TempDir Path dir) throws Exception {
        Path saved = dir.resolve("chat.json");
        CliRun.Outcome o = chat(
                "Hi!\n/effort high\n/tools disable time\n/tools\nWhat is the capital of France?\n/save " + saved + "\n",
                "--backend",
                THREE_TURNS);
        assertEquals(0, o.code(), o.err());
        assertTrue(o.err().contains("effort: high\ntools: calculator\n"), o.err());
        assertFalse(o.out().contains("effort:"), "status stays off stdout: " + o.out());
        assertTrue(o.out().lines().anyMatch(l -> l.matches("calculator +on +functions\\.calculate")), o.out());
        assertTrue(o.out().lines().anyMatch(l -> l.matches("time +off +functions\\.current_time")), o.out());
        assertTrue(o.out().lines().anyMatch(l -> l.matches("python +off")), o.out());
        JsonNode m = messages(saved);
        assertEquals("High", m.at("/0/content/0/reasoning_effort").asText(), "the system message follows /effort");
        String developer = m.get(1).toString();
        assertTrue(developer.contains("\"calculate\""), developer);
        assertFalse(developer.contains("current_time"), "a disabled tool is not announced: " + developer);
        assertEquals(6, turns(m).size(), "the first turn stays: " + turns(m));
    }

    @Test
    void saveAndLoadRoundTrip(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("first.json");
        Path second = dir.resolve("second.json");
        assertEquals(
                0,
                chat("Hi!\n/save " + first + "\n", "--backend", THREE_TURNS, "--tools", "none")
                        .code());
        String replayRest = Files.readString(Path.of("src/test/resources/chat/three-turns.txt"));
        Path rest = dir.resolve("rest.txt");
        Files.writeString(rest, replayRest.substring(replayRest.indexOf("---") + 3));

        CliRun.Outcome o = chat(
                "/load " + first + "\nWhat is the capital of France?\n/save " + second + "\n",
                "--backend",
                "replay:" + rest,
                "--tools",
                "none");
        assertEquals(0, o.code(), o.err());
        assertEquals("Paris.\n", o.out(), "only the answer on stdout");
        assertTrue(o.err().startsWith("loaded 4 messages (1 turn) from " + first + "\n"), o.err());
        assertTrue(o.err().contains("saved "), o.err());
        List<String> turns = turns(messages(second));
        assertEquals("user:Hi!", turns.get(0));
        assertEquals("assistant:final:Paris.", turns.getLast());
        assertEquals(messages(first).get(0), messages(second).get(0), "a loaded conversation keeps its preamble");

        CliRun.Outcome option = chat(
                "What is the capital of France?\n",
                "--load",
                first.toString(),
                "--backend",
                "replay:" + rest,
                "--tools",
                "none");
        assertEquals("Paris.\n", option.out(), option.err());
    }

    @Test
    void resetStartsANewConversation(@TempDir Path dir) throws Exception {
        Path saved = dir.resolve("chat.json");
        CliRun.Outcome o = chat(
                "Hi!\n/reset\nWhat is the capital of France?\n/save " + saved + "\n",
                "--backend",
                THREE_TURNS,
                "--tools",
                "none");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.err().contains("new conversation\n"), o.err());
        assertEquals(
                List.of(
                        "user:What is the capital of France?",
                        "assistant:analysis:They ask for the capital of France.",
                        "assistant:final:Paris."),
                turns(messages(saved)));
    }

    @Test
    void errorsAreOneLineEachAndTheChatGoesOn(@TempDir Path dir) {
        CliRun.Outcome o = chat(
                "/bogus\n/effort huge\n/load " + dir.resolve("missing.json") + "\n/save\n"
                        + "/save " + dir.resolve("x.json") + "\n/tools enable files\n/tools enable cobol\n"
                        + "Hi!\nWhat is the capital of France?\nThanks.\nOne more?\nAfter the error.\n",
                "--backend",
                THREE_TURNS,
                "--tools",
                "none");
        assertEquals(1, o.code(), "a failed line makes the exit code 1");
        List<String> errors =
                o.err().lines().filter(l -> l.startsWith("gptoss chat: ")).toList();
        assertEquals(
                List.of(
                        "gptoss chat: unknown command /bogus; /help lists them",
                        "gptoss chat: unknown reasoning effort 'huge' (expected low, medium or high)",
                        "gptoss chat: cannot read conversation " + dir.resolve("missing.json") + ": "
                                + dir.resolve("missing.json"),
                        "gptoss chat: /save needs a file: /save FILE",
                        "gptoss chat: /save: nothing to save yet",
                        "gptoss chat: --tools files needs --workspace DIR",
                        "gptoss chat: --tools: unknown tool 'cobol'; available: calculator, time, python, javascript, "
                                + "browser, files, none",
                        "gptoss chat: replay file src/test/resources/chat/three-turns.txt ran out: it holds 3 completions "
                                + "but the agent asked for completion 4",
                        "gptoss chat: replay file src/test/resources/chat/three-turns.txt ran out: it holds 3 completions "
                                + "but the agent asked for completion 4"),
                errors,
                o.err());
        assertEquals("Hello! How can I help?\nParis.\nYou're welcome.\n", o.out());
        assertFalse(o.err().contains("\tat "), "no stack traces: " + o.err());
    }

    @Test
    void exitStopsReadingAndHelpListsTheCommands() {
        CliRun.Outcome o = chat("/help\n/exit\nHi!\n", "--backend", THREE_TURNS);
        assertEquals(0, o.code(), o.err());
        for (String c : ChatSession.COMMANDS) assertTrue(o.out().contains(c + " "), c + " in " + o.out());
        assertFalse(o.out().contains("Hello!"), "nothing after /exit runs: " + o.out());
    }

    @Test
    void badStartIsOneUsageLine(@TempDir Path dir) {
        CliRun.Outcome none = CliRun.run(CliRun.offline(dir), "chat");
        assertEquals(1, none.code());
        assertTrue(none.err().startsWith("gptoss chat: no local copy of openai/gpt-oss-20b"), none.err());
        assertTrue(none.err().contains("--base-url URL"), none.err());
        CliRun.Outcome both = chat("Hi!\n", "--backend", THREE_TURNS, "--model", "x.gguf");
        assertTrue(both.err().startsWith("gptoss chat: give --model or --backend, not both"), both.err());
        CliRun.Outcome load = chat("Hi!\n", "--backend", THREE_TURNS, "--load", "nowhere.json");
        assertEquals(1, load.code());
        assertTrue(load.err().startsWith("gptoss chat: cannot read conversation nowhere.json"), load.err());
        CliRun.Outcome option = chat("", "--bogus");
        assertEquals(2, option.code(), "a usage error exits 2");
    }
}
