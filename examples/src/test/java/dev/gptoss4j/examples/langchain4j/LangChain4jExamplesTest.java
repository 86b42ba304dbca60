package dev.gptoss4j.examples.langchain4j;

import static dev.gptoss4j.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.*;

import dev.gptoss4j.cli.CliRun.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both LangChain4j examples, run as a user runs them ({@code gptoss langchain4j ...}) on the bundled replays. */
class LangChain4jExamplesTest {

    @Test
    void aiServicesBotRunsItsToolAndRemembersTheFirstQuestion() {
        Outcome o = run("langchain4j", "bot");
        assertEquals(0, o.code(), o.err());
        String[] lines = o.out().strip().split("\n");
        assertEquals("> " + AiServicesBot.QUESTIONS.get(0), lines[0]);
        // computed by the real @Tool method from the model's arguments, not part of the replay
        assertEquals("  [tool] celsiusToFahrenheit(21.0) = 69.8", lines[1]);
        assertEquals("21 °C in Lisbon is 69.8 °F.", lines[2]);
        assertEquals("> " + AiServicesBot.QUESTIONS.get(1), lines[3]);
        assertEquals("You asked about Lisbon, at 21 °C.", lines[4]);
        assertEquals(5, lines.length, o.out());
    }

    @Test
    void agentRunsLangChain4jToolsOfEveryKind() {
        Outcome o = run("langchain4j", "agent");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("tools: functions.celsiusToFahrenheit, functions.count_words"), o.out());
        assertTrue(
                o.out().contains("[tool] functions.count_words {\"text\":\"the quick brown fox jumps\"} -> 5"),
                o.out());
        assertTrue(o.out().contains("[tool] functions.celsiusToFahrenheit {\"celsius\":-40} -> -40.0"), o.out());
        assertTrue(o.out().strip().endsWith("The text has 5 words, and -40 °C is -40 °F."), o.out());
    }

    @Test
    void aReplayThatEndsEarlyIsAOneLineError(@TempDir Path dir) throws Exception {
        Path replay = dir.resolve("short.txt");
        Files.writeString(
                replay,
                "<|channel|>commentary to=functions.celsiusToFahrenheit <|constrain|>json"
                        + "<|message|>{\"celsius\":0}<|call|>");
        Outcome o = run("langchain4j", "bot", "--replay", replay.toString());
        assertEquals(1, o.code());
        assertTrue(o.out().contains("celsiusToFahrenheit(0.0) = 32.0"), o.out());
        assertTrue(o.err().startsWith("gptoss langchain4j bot: "), o.err());
        assertTrue(o.err().contains("ran out"), o.err());

        Outcome missing =
                run("langchain4j", "agent", "--model", dir.resolve("nope.gguf").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains(dir.resolve("nope.gguf") + " not found"), missing.err());
    }

    @Test
    void anUnreachableMcpServerIsAOneLineError() {
        Outcome o = run("langchain4j", "agent", "--mcp", "http://127.0.0.1:9/mcp");
        assertEquals(1, o.code(), o.out());
        assertTrue(o.err().startsWith("gptoss langchain4j agent: "), o.err());
        assertTrue(
                o.err().contains("--mcp: cannot initialize the MCP server at http://127.0.0.1:9/mcp (ConnectException"),
                o.err());
        assertEquals(2, o.err().strip().split("\n").length, "one line and the --verbose hint: " + o.err());
    }
}
