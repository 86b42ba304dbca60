package dev.gptoss4j.cli;

import static dev.gptoss4j.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.agent.StopReason;
import dev.gptoss4j.cli.CliRun.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gptoss run} exits with a code per kind of stop, and failing tools do not end its runs. */
class RunExitCodeTest {

    private static final String CALCULATOR = "replays/calculator.txt";

    @Test
    void answerExitsZero() {
        assertEquals(
                0, run("run", "--backend", "replay:" + CALCULATOR, "17*23+4?").code());
    }

    @Test
    void stepLimitExitsThree() {
        Outcome o = run("run", "--max-steps", "1", "--backend", "replay:" + CALCULATOR, "17*23+4?");
        assertEquals(3, o.code(), o.err());
        assertTrue(o.err().contains("MAX_STEPS"), o.err());
    }

    @Test
    void unusableOutputExitsFour(@TempDir Path dir) throws Exception {
        Path replay = dir.resolve("broken.txt");
        String broken = "<|start|>user<|message|>I am not the assistant<|end|>";
        Files.writeString(replay, String.join("\n---\n", broken, broken, broken, broken, broken));
        Outcome o = run("run", "--json", "--backend", "replay:" + replay, "Hi");
        assertEquals(4, o.code(), o.err());
        assertEquals(
                "too_many_errors",
                new ObjectMapper().readTree(o.out()).get("stop_reason").asText());
    }

    @Test
    void errorsAndCommandLineMistakesKeepOneAndTwo() {
        assertEquals(1, run("run", "--backend", "replay:missing.txt", "x").code());
        assertEquals(2, run("run", "--no-such-option", "x").code());
    }

    @Test
    void everyStopReasonHasItsOwnDocumentedCode() throws Exception {
        Set<Integer> used = new HashSet<>();
        for (StopReason r : EnumSet.allOf(StopReason.class)) {
            int code = ExitCodes.of(r);
            assertNotEquals(ExitCodes.ERROR, code, r + " must not look like an error");
            assertNotEquals(ExitCodes.USAGE, code, r + " must not look like a command-line mistake");
            used.add(code);
        }
        // the three limits share one code; everything else is told apart
        assertEquals(ExitCodes.of(StopReason.MAX_STEPS), ExitCodes.of(StopReason.MAX_TOKENS));
        assertEquals(ExitCodes.of(StopReason.MAX_STEPS), ExitCodes.of(StopReason.CONTEXT_FULL));
        assertEquals(StopReason.values().length - 2, used.size());
        List<String> readme = Files.readAllLines(Path.of("../README.md"));
        for (StopReason r : StopReason.values()) {
            String row = "| " + ExitCodes.of(r) + " | ";
            assertTrue(
                    readme.stream().anyMatch(l -> l.startsWith(row) && l.contains("`" + r.name() + "`")),
                    "README's exit code table lists " + r + " with " + ExitCodes.of(r));
        }
    }

    /**
     * Issue 13 item 6: three tracebacks and a timeout in a row, on the real sandboxed GraalPy, still reach the
     * answer. On a loaded machine the sandbox's start-up can eat a cell's time limit; such a cell times out instead
     * of raising, which is one more failure in a row and must not end the run either.
     */
    @Test
    void pythonTracebacksAndATimeoutDoNotEndTheRun() throws Exception {
        Outcome o = run(
                "run",
                "--json",
                "--tools",
                "python",
                "--tool-timeout",
                "20",
                "--backend",
                "replay:replays/python-tracebacks.txt",
                "What is the mean of the readings?");
        assertEquals(0, o.code(), o.err());
        JsonNode report = new ObjectMapper().readTree(o.out());
        assertEquals("completed", report.get("stop_reason").asText());
        assertEquals("The mean of the readings is 4.0.", report.get("final").asText());
        JsonNode calls = report.get("tool_calls");
        assertEquals(5, calls.size());
        String[] errors = {"NameError", "ZeroDivisionError", "/etc/readings.txt"};
        for (int i = 0; i < 3; i++) {
            JsonNode c = calls.get(i);
            String status = c.get("status").asText();
            assertTrue(
                    status.equals("failed") && c.get("result").asText().contains(errors[i])
                            || status.equals("timed_out"),
                    c.toString());
        }
        assertEquals(
                "timed_out", calls.get(3).get("status").asText(), calls.get(3).toString());
    }
}
