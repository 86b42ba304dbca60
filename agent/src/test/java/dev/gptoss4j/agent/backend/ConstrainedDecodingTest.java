package dev.gptoss4j.agent.backend;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.tool.FunctionTool;
import dev.gptoss4j.agent.tool.SchemaValidator;
import dev.gptoss4j.agent.tool.Schemas;
import dev.gptoss4j.agent.tool.ToolResult;
import dev.gptoss4j.engine.GptOss;
import dev.gptoss4j.engine.SessionOptions;
import dev.gptoss4j.engine.sampling.SamplerConfig;
import dev.gptoss4j.engine.synth.GgufType;
import dev.gptoss4j.engine.synth.SynthConfig;
import dev.gptoss4j.engine.synth.SynthGguf;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Constrained decoding end to end on a random-weight model with the full o200k_harmony vocabulary (generated
 * here): the model knows nothing, so whatever well-formed output comes out is the constraints' doing.
 */
class ConstrainedDecodingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEATHER_SCHEMA = """
            {"type":"object","properties":{
               "city":{"type":"string","maxLength":10},
               "unit":{"type":"string","enum":["celsius","fahrenheit"]},
               "days":{"type":"integer"},
               "hourly":{"type":["boolean","null"]},
               "fields":{"type":"array","items":{"enum":["rain","wind","sun"]},"maxItems":2}
             },
             "required":["city","unit"],"additionalProperties":false}""";

    @TempDir
    static Path dir;

    private static GptOss model;

    public enum Outlook {
        SUNNY,
        RAINY,
        UNKNOWN
    }

    public record Forecast(Outlook outlook, boolean confident) {}

    @BeforeAll
    static void synthesize() {
        Path file = dir.resolve("tiny.gguf");
        SynthGguf.write(SynthConfig.tiny().withLayers(2), 5, GgufType.Q8_0, file, 2, done -> {});
        model = GptOss.load(file);
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
    }

    private static FunctionTool weatherTool(List<JsonNode> received) throws Exception {
        return FunctionTool.builder()
                .name("get_weather")
                .description("Weather for a city.")
                .parameters(JSON.readTree(WEATHER_SCHEMA))
                .handler(args -> {
                    received.add(args.json());
                    return ToolResult.of("sunny, 21 degrees");
                })
                .build();
    }

    @Test
    void aRandomModelCallsTheToolWithValidArgumentsAndAnswersInTheResponseFormat() throws Exception {
        List<JsonNode> received = new ArrayList<>();
        DecodingConstraints constraints =
                DecodingConstraints.defaults().withRequireToolCall(true).withAnswerAfterTools(true);
        for (long seed = 1; seed <= 3; seed++) {
            received.clear();
            try (LocalEngineBackend backend = LocalEngineBackend.of(
                    model,
                    SamplerConfig.builder().temperature(1f).seed(seed).build(),
                    SessionOptions.builder().maxContext(2048).threads(2).build(),
                    constraints)) {
                Agent agent = Agent.builder()
                        .backend(backend)
                        .instructions("Be brief.")
                        .tools(weatherTool(received))
                        .conversationStartDate("2025-08-05")
                        .maxSteps(3)
                        .maxRetries(0)
                        .maxTokensPerCall(300)
                        .build();
                AgentResult result = agent.newRun("What is the weather in Paris?", Forecast.class)
                        .execute();

                assertEquals(1, result.toolCalls().size(), "seed " + seed + ": " + result.stopReason());
                assertEquals(
                        "functions.get_weather", result.toolCalls().getFirst().recipient());
                assertTrue(
                        result.toolCalls().getFirst().ok(),
                        result.toolCalls().getFirst().result());
                assertEquals(1, received.size(), "the tool ran");
                JsonNode args = JSON.readTree(result.toolCalls().getFirst().arguments());
                assertEquals(
                        List.of(),
                        new SchemaValidator(JSON.readTree(WEATHER_SCHEMA)).validate(args),
                        "seed " + seed + ": " + args);
                assertEquals(args, received.getFirst());

                assertTrue(result.completed(), "seed " + seed + ": " + result.stopReason() + " " + result.finalText());
                assertNotNull(result.value(Forecast.class), result.finalText());
                JsonNode answer = JSON.readTree(result.finalText());
                assertEquals(
                        List.of(), new SchemaValidator(Schemas.of(Forecast.class)).validate(answer), answer.toString());
            }
        }
    }

    @Test
    void withoutConstraintsTheSameRandomModelWritesNoToolCall() throws Exception {
        List<JsonNode> received = new ArrayList<>();
        try (LocalEngineBackend backend = LocalEngineBackend.of(
                model,
                SamplerConfig.builder().temperature(1f).seed(1).build(),
                SessionOptions.builder().maxContext(2048).threads(2).build(),
                DecodingConstraints.none())) {
            Agent agent = Agent.builder()
                    .backend(backend)
                    .instructions("Be brief.")
                    .tools(weatherTool(received))
                    .conversationStartDate("2025-08-05")
                    .maxSteps(2)
                    .maxRetries(1)
                    .maxTokensPerCall(24)
                    .build();
            AgentResult result = agent.run("What is the weather in Paris?");
            assertTrue(result.toolCalls().isEmpty());
            assertTrue(received.isEmpty());
            assertFalse(result.completed());
        }
    }
}
