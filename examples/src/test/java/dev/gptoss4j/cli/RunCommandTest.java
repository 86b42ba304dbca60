package dev.gptoss4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.agent.tool.ToolException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunCommandTest {

    private static final String REPLAY = "replays/calculator.txt";

    record Outcome(int code, String out, String err) {}

    private static Outcome run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

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
        Outcome o = run("run", "--json", "--tools", "python", "--tool-timeout", "60",
                "--backend", "replay:replays/python.txt", "How many primes are below 50, and what is their sum?");
        assertEquals(0, o.code(), o.err());
        JsonNode report = new ObjectMapper().readTree(o.out());
        JsonNode call = report.get("tool_calls").get(0);
        assertEquals("python", call.get("recipient").asText());
        assertEquals("15 328", call.get("result").asText().strip(), "printed by the sandboxed GraalPy");
        JsonNode messages = report.get("messages");
        JsonNode system = messages.get(0);
        assertTrue(system.toString().contains("time out after 60.0 seconds"),
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
        assertEquals(0, run("run", "--save", saved.toString(), "--backend", "replay:" + REPLAY, "17*23+4?").code());
        Path more = dir.resolve("more.txt");
        Files.writeString(more, "<|channel|>final<|message|>You are welcome.<|return|>\n");
        Outcome o = run("run", "--json", "--resume", saved.toString(), "--backend", "replay:" + more, "Thanks!");
        assertEquals(0, o.code(), o.err());
        JsonNode report = new ObjectMapper().readTree(o.out());
        assertEquals("You are welcome.", report.get("final").asText());
        assertEquals(10, report.get("messages").size(), "8 saved + user + answer");
    }

    @Test
    void badOptionsNameTheProblem() {
        assertTrue(run("run", "--backend", "replay:missing.txt", "x").err().contains("missing.txt not found"));
        assertTrue(run("run", "--tools", "cobol", "--backend", "replay:" + REPLAY, "x").err()
                .contains("unknown tool 'cobol'"));
        assertTrue(run("run", "--effort", "huge", "--backend", "replay:" + REPLAY, "x").err()
                .contains("unknown reasoning effort 'huge'"));
        assertTrue(run("run", "x").err().contains("--backend replay:FILE"));
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
}
