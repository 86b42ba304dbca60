package dev.gptoss4j.examples.weather;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.ToolCall;
import dev.gptoss4j.agent.backend.ReplayBackend;
import dev.gptoss4j.cli.CliRun;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.examples.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeatherBotTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void callsTheWeatherFunctionOncePerCityAndTheRealReadingsReachTheModel() throws Exception {
        StringWriter out = new StringWriter();
        AgentResult r = WeatherBot.run(WeatherBot.replay(), ReasoningEffort.LOW, WeatherBot.TASK, new PrintWriter(out));
        assertTrue(r.completed(), r.stopReason().toString());
        List<ToolCall> calls = r.toolCalls();
        assertEquals(2, calls.size());
        assertEquals("functions.get_current_weather", calls.get(0).recipient());
        JsonNode oslo = JSON.readTree(calls.get(0).result());
        JsonNode lisbon = JSON.readTree(calls.get(1).result());
        // the fake service converted its Celsius readings (-3, 19) into the unit the model asked for
        assertEquals("Oslo, Norway", oslo.get("location").asText());
        assertEquals("fahrenheit", oslo.get("unit").asText());
        assertEquals(-3 * 9 / 5.0 + 32, oslo.get("temperature").asDouble(), 1e-9);
        assertEquals(19 * 9 / 5.0 + 32, lisbon.get("temperature").asDouble(), 1e-9);
        assertEquals("light snow", oslo.get("conditions").asText());
        // each result went back to the model as the function's message, in order
        assertEquals(
                List.of(calls.get(0).result(), calls.get(1).result()),
                Cli.toolMessages(r.conversation(), "functions.get_current_weather"));
        assertTrue(
                out.toString()
                        .contains(
                                "[tool] functions.get_current_weather {\"location\":\"Lisbon, Portugal\","
                                        + "\"unit\":\"fahrenheit\"} -> {\"location\":\"Lisbon, Portugal\",\"temperature\":66.2"),
                out.toString());
        assertTrue(out.toString().strip().endsWith("a difference of 39.6 °F."), out.toString());
    }

    @Test
    void theToolSchemaAllowsOnlyTheTwoUnitsAndBadArgumentsGoBackToTheModel() {
        ReplayBackend replay = ReplayBackend.of(
                "<|channel|>commentary to=functions.get_current_weather <|constrain|>json<|message|>"
                        + "{\"location\":\"Oslo\",\"unit\":\"kelvin\"}<|call|>",
                "<|channel|>commentary to=functions.get_current_weather <|constrain|>json<|message|>"
                        + "{\"location\":\"Reykjavik\",\"unit\":\"celsius\"}<|call|>",
                "<|channel|>final<|message|>done<|return|>");
        AgentResult r = WeatherBot.run(replay, ReasoningEffort.LOW, "weather?", new PrintWriter(new StringWriter()));
        assertFalse(r.toolCalls().get(0).ok());
        assertTrue(
                r.toolCalls()
                        .get(0)
                        .result()
                        .contains("$.unit: does not have a value in the enumeration [\"celsius\", \"fahrenheit\"]"),
                r.toolCalls().get(0).result());
        // a city without a fixed reading still gets one, the same every time
        assertTrue(r.toolCalls().get(1).ok());
        assertEquals(
                new FakeWeatherService()
                        .current("Reykjavik", TemperatureUnit.celsius)
                        .temperature(),
                readTemperature(r.toolCalls().get(1).result()));
    }

    private static double readTemperature(String json) {
        try {
            return JSON.readTree(json).get("temperature").asDouble();
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }

    @Test
    void cliRunsTheBundledReplayAndRejectsBadBackends(@TempDir Path dir) throws Exception {
        CliRun.Outcome o = CliRun.run("bots", "weather");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().startsWith("> " + WeatherBot.TASK), o.out());

        CliRun.Outcome noModel = CliRun.run("bots", "weather", "--base-url", "http://127.0.0.1:9/v1");
        assertEquals(1, noModel.code());
        assertTrue(noModel.err().contains("--base-url needs --model NAME"), noModel.err());

        CliRun.Outcome missing = CliRun.run("bots", "weather", "--backend", "replay:" + dir.resolve("none.txt"));
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("replay file " + dir.resolve("none.txt") + " not found"), missing.err());

        Path shortReplay = dir.resolve("short.txt");
        Files.writeString(
                shortReplay,
                "<|channel|>analysis<|message|>I give up.<|end|><|start|>assistant"
                        + "<|channel|>commentary to=functions.get_current_weather <|constrain|>json<|message|>"
                        + "{\"location\":\"Tokyo\",\"unit\":\"celsius\"}<|call|>");
        CliRun.Outcome ranOut = CliRun.run("bots", "weather", "--backend", "replay:" + shortReplay);
        assertEquals(1, ranOut.code());
        assertTrue(ranOut.out().contains("\"temperature\":12.0"), ranOut.out());
        assertTrue(ranOut.err().contains("ran out"), ranOut.err());
    }
}
