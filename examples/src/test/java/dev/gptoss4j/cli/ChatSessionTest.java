package dev.gptoss4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.gptoss4j.agent.backend.ReplayBackend;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.engine.harmony.Role;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ctrl-C in a chat: the turn stops, the conversation stays whole, the next turn goes on from it. */
class ChatSessionTest {

    @Test
    void cancellingATurnMidAnswerKeepsTheConversationConsistent() throws Exception {
        StringWriter text = new StringWriter();
        PrintWriter screen = new PrintWriter(text, true);
        ReplayBackend replay = ReplayBackend.fromFile(Path.of("src/test/resources/chat/story.txt"));
        TurnPrinter printer = new TurnPrinter(screen, screen, false, false, true, 120);
        ChatSession session = new ChatSession(
                new SlowBackend(replay, 20),
                new Toolbox(Duration.ofSeconds(5), null, n -> {}),
                List.of(),
                ReasoningEffort.LOW,
                new ChatSession.Settings(null, "2025-08-05", 5, Duration.ofSeconds(5)),
                printer,
                screen,
                screen);

        Thread turn = Thread.ofPlatform().start(() -> session.accept("Tell me a long story."));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!text.toString().contains("Once upon") && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(session.busy());
        session.cancel();
        turn.join(10_000);
        assertFalse(turn.isAlive(), "the turn stops when cancelled");
        assertFalse(session.busy());
        String shown = text.toString();
        assertTrue(shown.contains("Once upon"), shown);
        assertFalse(shown.contains("it stopped."), "the answer was cut: " + shown);
        assertTrue(shown.endsWith("[cancelled: the unfinished answer is not kept]\n"), shown);

        List<Message> afterCancel = session.conversation().messages();
        // the finished analysis message stays; the half-written answer does not
        assertEquals(
                List.of(Role.SYSTEM, Role.USER, Role.ASSISTANT),
                afterCancel.stream().map(Message::role).toList(),
                afterCancel.toString());
        assertEquals("A long story, then.", afterCancel.getLast().text());
        assertEquals("analysis", afterCancel.getLast().channel());

        assertTrue(session.accept("Shorter, please."));
        assertTrue(text.toString().endsWith("OK.\n"), text.toString());
        List<Message> after = session.conversation().messages();
        assertEquals("Shorter, please.", after.get(after.size() - 2).text());
        assertEquals("OK.", after.getLast().text());
        assertEquals(0, session.failures());
    }

    /** What the python tool answered last in the chat's conversation. */
    private static String lastPythonResult(ChatSession session) {
        return session.conversation().messages().stream()
                .filter(m -> "python".equals(m.author().name()))
                .reduce((a, b) -> b)
                .orElseThrow()
                .text()
                .strip();
    }

    @Test
    void aChatKeepsOneNotebookAcrossTurnsAndResetStartsAnEmptyOne() {
        String call = "<|channel|>analysis to=python code<|message|>%s<|call|>";
        String done = "<|channel|>final<|message|>done<|return|>";
        ReplayBackend replay = ReplayBackend.of(
                call.formatted("x = 41\nprint('set')"),
                done,
                call.formatted("print(x + 1)"),
                done,
                call.formatted("print(x)"),
                done);
        StringWriter text = new StringWriter();
        PrintWriter screen = new PrintWriter(text, true);
        TurnPrinter printer = new TurnPrinter(screen, screen, false, false, true, 120);
        // generous: the timeout covers the sandbox's start, slow on a loaded machine
        try (Toolbox toolbox = new Toolbox(Duration.ofSeconds(120), null, n -> {});
                ChatSession session = new ChatSession(
                        replay,
                        toolbox,
                        List.of("python"),
                        ReasoningEffort.LOW,
                        new ChatSession.Settings(null, "2025-08-05", 5, Duration.ofSeconds(150)),
                        printer,
                        screen,
                        screen)) {
            session.accept("Set x.");
            assertEquals("set", lastPythonResult(session));
            session.accept("Add one.");
            assertEquals("42", lastPythonResult(session), "the chat's notebook kept x between turns");
            session.accept("/reset");
            session.accept("Show x.");
            assertTrue(
                    lastPythonResult(session).contains("NameError"),
                    "a new conversation, an empty notebook: " + lastPythonResult(session));
        }
    }

    @Test
    void toolLinesAreOneLineCutToTheWidth() {
        var call = new dev.gptoss4j.agent.ToolCall(
                "python",
                "print('a')\nprint('b')",
                "a\nb\n" + "x".repeat(500),
                dev.gptoss4j.agent.tool.ToolOutcome.Status.OK,
                Duration.ofMillis(3));
        String line = TurnPrinter.toolLine(call, 80);
        assertEquals(80, line.length(), line);
        assertTrue(line.startsWith("[python print('a') print('b') -> ok] a b xxx"), line);
        assertTrue(line.endsWith("..."), line);
    }
}
