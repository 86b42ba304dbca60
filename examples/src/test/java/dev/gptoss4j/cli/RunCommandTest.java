package dev.gptoss4j.cli;

import static dev.gptoss4j.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.agent.tool.ToolException;
import dev.gptoss4j.cli.CliRun.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {

    private static final String REPLAY = "replays/calculator.txt";

    @Test
    void jsonReportOfTheExampleReplay() throws Exception {
        Outcome o = run("run", "--json", "--backend", "replay:" + REPLAY, "What is 17 * 23 + 4?");
        assertEquals(0, o.code(), o.err());
        JsonNode report = new ObjectMapper().readTree(o.out());
        assertEquals("17 × 23 + 4 = 395.", report.get("final").asText());
        JsonNode call = report.get("tool_calls").get(0);
        assertEquals("functions.calculate", call.get("recipient").asText());
        assertEquals("{\"expression\":\"17 * 23 + 4\"}", call.get("arguments").asText());
        assertEquals("395", call.get("result").asText(), "computed by the real calculator tool");
        assertEquals(2, report.at("/usage/model_calls").asInt());
        assertTrue(report.at("/usage/prompt_tokens").asInt() > 0);
        JsonNode messages = report.get("messages");
        assertEquals("system", messages.get(0).get("role").asText());
        assertEquals("tool", messages.get(5).get("role").asText());
        assertEquals("functions.calculate", messages.get(5).get("name").asText());
        assertEquals("assistant", messages.get(5).get("recipient").asText());
    }

    @Test
    void pythonToolRunsTheCodeTheModelWroteAndFeedsItsOutputBack() throws Exception {
        Outcome o = run(
                "run",
                "--json",
                "--tools",
                "python",
                "--tool-timeout",
                "60",
                "--backend",
                "replay:replays/python.txt",
                "How many primes are below 50, and what is their sum?");
        assertEquals(0, o.code(), o.err());
        JsonNode report = new ObjectMapper().readTree(o.out());
        JsonNode call = report.get("tool_calls").get(0);
        assertEquals("python", call.get("recipient").asText());
        assertEquals("15 328", call.get("result").asText().strip(), "printed by the sandboxed GraalPy");
        JsonNode messages = report.get("messages");
        JsonNode system = messages.get(0);
        assertTrue(
                system.toString().contains("time out after 60.0 seconds"),
                "the system message carries the sandbox's real timeout: " + system);
        JsonNode toolMessage = messages.get(messages.size() - 3);
        assertEquals("python", toolMessage.get("name").asText());
    }

    @Test
    void plainOutputStreamsTheAnswer() {
        Outcome o = run("run", "--backend", "replay:" + REPLAY, "What is 17 * 23 + 4?");
        assertEquals(0, o.code(), o.err());
        assertEquals("17 × 23 + 4 = 395.", o.out().strip());
        assertTrue(o.err().contains("[functions.calculate"), o.err());
    }

    @Test
    void replayRunningOutIsAOneLineError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("short.txt");
        Files.writeString(file, Files.readString(Path.of(REPLAY)).split("\n---\n")[0]);
        Outcome o = run("run", "--backend", "replay:" + file, "What is 17 * 23 + 4?");
        assertEquals(1, o.code());
        assertTrue(o.err().contains("ran out"), o.err());
    }

    @Test
    void saveThenResume(@TempDir Path dir) throws Exception {
        Path saved = dir.resolve("conv.json");
        assertEquals(
                0,
                run("run", "--save", saved.toString(), "--backend", "replay:" + REPLAY, "17*23+4?")
                        .code());
        Path more = dir.resolve("more.txt");
        Files.writeString(more, "<|channel|>final<|message|>You are welcome.<|return|>\n");
        Outcome o = run("run", "--json", "--resume", saved.toString(), "--backend", "replay:" + more, "Thanks!");
        assertEquals(0, o.code(), o.err());
        JsonNode report = new ObjectMapper().readTree(o.out());
        assertEquals("You are welcome.", report.get("final").asText());
        assertEquals(10, report.get("messages").size(), "8 saved + user + answer");
    }

    @Test
    void badOptionsNameTheProblem(@TempDir Path dir) {
        assertTrue(run("run", "--backend", "replay:missing.txt", "x").err().contains("missing.txt not found"));
        assertTrue(run("run", "--tools", "cobol", "--backend", "replay:" + REPLAY, "x")
                .err()
                .contains("unknown tool 'cobol'"));
        assertTrue(run("run", "--effort", "huge", "--backend", "replay:" + REPLAY, "x")
                .err()
                .contains("unknown reasoning effort 'huge'"));
        assertTrue(CliRun.run(CliRun.offline(dir), "run", "x").err().contains("no local copy of openai/gpt-oss-20b"));
    }

    @Test
    void calculatorEvaluatesSafely() {
        assertEquals("395", Arithmetic.evaluate("17 * 23 + 4"));
        assertEquals("-2.5", Arithmetic.evaluate("-(10 / 4)"));
        assertEquals("1024", Arithmetic.evaluate("2^10"));
        assertEquals("3", Arithmetic.evaluate("sqrt(9)"));
        assertEquals("7", Arithmetic.evaluate("1 + 2 * 3"));
        assertThrows(ToolException.class, () -> Arithmetic.evaluate("1/0"));
        ToolException e = assertThrows(ToolException.class, () -> Arithmetic.evaluate("System.exit(1)"));
        assertTrue(e.getMessage().contains("position 0"), e.getMessage());
    }

    @Test
    void filesToolEditsTheWorkspaceOnly(@TempDir Path dir) throws Exception {
        Path work = Files.createDirectory(dir.resolve("work"));
        Files.writeString(work.resolve("greet.py"), "print(\"Hi\")\n");
        Path replay = dir.resolve("replay.txt");
        Files.writeString(replay, """
                <|channel|>commentary to=functions.apply_patch<|message|>*** Begin Patch
                *** Update File: greet.py
                @@
                -print("Hi")
                +print("Hello")
                *** End Patch<|call|>
                ---
                <|channel|>commentary to=functions.read_file <|constrain|>json<|message|>{"path": "../replay.txt"}<|call|>
                ---
                <|channel|>final<|message|>Done.<|return|>
                """);
        Outcome o = run(
                "run",
                "--json",
                "--tools",
                "files",
                "--workspace",
                work.toString(),
                "--backend",
                "replay:" + replay,
                "Say Hello");
        assertEquals(0, o.code(), o.err());
        JsonNode calls = new ObjectMapper().readTree(o.out()).get("tool_calls");
        assertEquals("Done!\nM greet.py", calls.get(0).get("result").asText());
        assertEquals(
                "Error: `../replay.txt` leads outside the workspace",
                calls.get(1).get("result").asText());
        assertEquals("print(\"Hello\")\n", Files.readString(work.resolve("greet.py")));

        Outcome missing = run("run", "--tools", "files", "--backend", "replay:" + replay, "x");
        assertNotEquals(0, missing.code());
        assertTrue(missing.err().contains("--tools files needs --workspace DIR"), missing.err());
    }

    @Test
    void browserToolRefusesLoopbackFromTheCommandLine(@TempDir Path dir) throws Exception {
        Path replay = dir.resolve("replay.txt");
        Files.writeString(replay, """
                <|channel|>analysis to=browser.open code<|message|>{"id": "http://127.0.0.1:9/admin"}<|call|>
                ---
                <|channel|>final<|message|>Could not open it.<|return|>
                """);
        Outcome o = run("run", "--json", "--tools", "browser", "--backend", "replay:" + replay, "Open the admin page");
        assertEquals(0, o.code(), o.err());
        JsonNode call = new ObjectMapper().readTree(o.out()).get("tool_calls").get(0);
        assertEquals("browser.open", call.get("recipient").asText());
        assertEquals(
                "Error fetching URL `http://127.0.0.1:9/admin`: refused to connect to 127.0.0.1: it is a "
                        + "loopback address; only public internet addresses can be opened",
                call.get("result").asText());
    }
}
