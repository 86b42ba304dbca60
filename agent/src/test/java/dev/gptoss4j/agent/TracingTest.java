package dev.gptoss4j.agent;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.agent.backend.ReplayBackend;
import dev.gptoss4j.agent.trace.JsonLinesTracing;
import dev.gptoss4j.agent.trace.OpenTelemetryTracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TracingTest {

    static final String FAILING_CALL =
            "<|channel|>commentary to=functions.explode <|constrain|>json<|message|>{}<|call|>";

    private static Agent.Builder agent(ReplayBackend replay) {
        return Agent.builder()
                .name("weather")
                .backend(replay)
                .tools(new AgentTest.Tools())
                .conversationStartDate("2025-08-05")
                .toolTimeout(Duration.ofSeconds(5));
    }

    @Test
    void spansForTheRunEachModelCallAndEachToolCall() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        OpenTelemetrySdk otel = sdk(exporter);
        AgentResult r = agent(ReplayBackend.of(AgentTest.WEATHER_CALL, FAILING_CALL, AgentTest.FINAL))
                .listener(OpenTelemetryTracing.create(otel))
                .build()
                .run("Weather in Oslo?");
        assertTrue(r.completed());

        List<SpanData> spans = exporter.getFinishedSpanItems();
        assertEquals(
                List.of(
                        "chat",
                        "execute_tool functions.getWeather",
                        "chat",
                        "execute_tool functions.explode",
                        "chat",
                        "invoke_agent weather"),
                spans.stream().map(SpanData::getName).toList());
        SpanData run = spans.getLast();
        for (SpanData s : spans.subList(0, spans.size() - 1)) {
            assertEquals(run.getSpanContext().getSpanId(), s.getParentSpanId(), s.getName() + " is a child of the run");
            assertEquals(run.getTraceId(), s.getTraceId());
        }
        SpanData firstCall = spans.getFirst();
        assertEquals("call", firstCall.getAttributes().get(AttributeKey.stringKey("gen_ai.response.finish_reasons")));
        assertTrue(firstCall.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")) > 50);
        assertTrue(firstCall.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")) > 5);
        assertTrue(firstCall.getEndEpochNanos() >= firstCall.getStartEpochNanos());
        SpanData tool = spans.get(1);
        assertEquals(
                "{\"city\":\"Oslo\"}", tool.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.call.arguments")));
        assertEquals("ok", tool.getAttributes().get(AttributeKey.stringKey("gptoss.tool.status")));
        assertEquals(StatusCode.ERROR, spans.get(3).getStatus().getStatusCode(), "the failed tool call");
        assertEquals("failed", spans.get(3).getAttributes().get(AttributeKey.stringKey("gptoss.tool.status")));
        assertEquals("completed", run.getAttributes().get(AttributeKey.stringKey("gptoss.stop_reason")));
        assertEquals(
                r.usage().completionTokens(),
                run.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")));
        assertEquals(2L, run.getAttributes().get(AttributeKey.longKey("gptoss.tool_calls")));
        assertTrue(run.getStartEpochNanos() <= firstCall.getStartEpochNanos());
    }

    @Test
    void withoutAnSdkTracingDoesNothingAndCostsNothing() {
        AgentResult r = agent(ReplayBackend.of(AgentTest.FINAL))
                .listener(OpenTelemetryTracing.global())
                .build()
                .run("Weather?");
        assertTrue(r.completed());
    }

    @Test
    void theSameSpansAsJsonLines() throws Exception {
        StringWriter out = new StringWriter();
        agent(ReplayBackend.of(AgentTest.WEATHER_CALL, AgentTest.FINAL))
                .listener(new JsonLinesTracing(out))
                .build()
                .run("Weather in Oslo?");
        List<JsonNode> lines = out.toString().lines().map(TracingTest::json).toList();
        assertEquals(
                List.of("chat", "execute_tool functions.getWeather", "chat", "invoke_agent weather"),
                lines.stream().map(n -> n.get("name").asText()).toList());
        JsonNode run = lines.getLast();
        assertFalse(run.has("parent_span_id"));
        assertEquals(32, run.get("trace_id").asText().length());
        for (JsonNode child : lines.subList(0, 3)) {
            assertEquals(
                    run.get("span_id").asText(), child.get("parent_span_id").asText());
            assertEquals(run.get("trace_id").asText(), child.get("trace_id").asText());
        }
        assertEquals(
                "{\"city\":\"Oslo\"}",
                lines.get(1).at("/attributes/gen_ai.tool.call.arguments").asText());
        assertEquals("completed", run.at("/attributes/gptoss.stop_reason").asText());
        assertTrue(lines.getFirst().at("/attributes/gen_ai.usage.input_tokens").asLong() > 50);
    }

    @Test
    void aSubAgentsRunIsAChildOfTheRunThatCalledIt() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        OpenTelemetrySdk otel = sdk(exporter);
        OpenTelemetryTracing tracing = OpenTelemetryTracing.create(otel);
        StringWriter lines = new StringWriter();
        JsonLinesTracing file = new JsonLinesTracing(lines);
        Agent researcher = Agent.builder()
                .name("researcher")
                .backend(ReplayBackend.of("<|channel|>final<|message|>Oslo has 717,710 inhabitants.<|return|>"))
                .listener(tracing)
                .listener(file)
                .build();
        Agent writer = Agent.builder()
                .name("writer")
                .backend(ReplayBackend.of(
                        "<|channel|>commentary to=functions.research <|constrain|>json"
                                + "<|message|>{\"task\":\"Population of Oslo\"}<|call|>",
                        "<|channel|>final<|message|>About 718 thousand.<|return|>",
                        "<|channel|>final<|message|>Again.<|return|>"))
                .tools(researcher.asTool("research", "Looks a fact up."))
                .listener(tracing)
                .listener(file)
                .build();
        assertTrue(writer.run("How many people live in Oslo?").completed());
        assertTrue(writer.run("And now?").completed(), "a second run on the same thread");

        List<SpanData> spans = exporter.getFinishedSpanItems();
        List<SpanData> writers = spans.stream()
                .filter(s -> s.getName().equals("invoke_agent writer"))
                .toList();
        SpanData sub = spans.stream()
                .filter(s -> s.getName().equals("invoke_agent researcher"))
                .findFirst()
                .orElseThrow();
        assertEquals(2, writers.size());
        assertEquals(
                writers.getFirst().getSpanId(), sub.getParentSpanId(), "the tool's run is the calling run's child");
        assertEquals(writers.getFirst().getTraceId(), sub.getTraceId());
        assertFalse(writers.getLast().getParentSpanContext().isValid(), "the next run is a root again");
        assertNotEquals(writers.getFirst().getTraceId(), writers.getLast().getTraceId());

        List<JsonNode> written = lines.toString().lines().map(TracingTest::json).toList();
        JsonNode subLine = named(written, "invoke_agent researcher");
        JsonNode writerLine = named(written, "invoke_agent writer");
        assertEquals(
                writerLine.get("span_id").asText(),
                subLine.get("parent_span_id").asText());
        assertEquals(
                writerLine.get("trace_id").asText(), subLine.get("trace_id").asText());
    }

    /** A thread a tool starts outlives the run; an agent run there later must not join the finished run's trace. */
    public static class Spawner {
        final java.util.concurrent.CountDownLatch runEnded = new java.util.concurrent.CountDownLatch(1);
        final Agent late;
        volatile Thread thread;

        Spawner(Agent late) {
            this.late = late;
        }

        @dev.langchain4j.agent.tool.Tool("Starts background work.")
        public String spawn() {
            thread = Thread.ofPlatform().start(() -> {
                try {
                    runEnded.await();
                } catch (InterruptedException e) {
                    return;
                }
                late.run("Later");
            });
            return "started";
        }
    }

    @Test
    void aRunOnAThreadLeftByAFinishedRunIsNoChildOfIt() throws Exception {
        StringWriter lines = new StringWriter();
        JsonLinesTracing file = new JsonLinesTracing(lines);
        Agent late = Agent.builder()
                .name("late")
                .backend(ReplayBackend.of("<|channel|>final<|message|>Done.<|return|>"))
                .listener(file)
                .build();
        Spawner spawner = new Spawner(late);
        Agent first = Agent.builder()
                .name("first")
                .backend(ReplayBackend.of(
                        "<|channel|>commentary to=functions.spawn <|constrain|>json<|message|>{}<|call|>",
                        "<|channel|>final<|message|>Started.<|return|>"))
                .tools(spawner)
                .listener(file)
                .build();
        assertTrue(first.run("Go").completed());
        spawner.runEnded.countDown();
        spawner.thread.join(10_000);
        List<JsonNode> written = lines.toString().lines().map(TracingTest::json).toList();
        JsonNode lateRun = named(written, "invoke_agent late");
        JsonNode firstRun = named(written, "invoke_agent first");
        assertFalse(lateRun.has("parent_span_id"), lateRun.toString());
        assertNotEquals(
                firstRun.get("trace_id").asText(), lateRun.get("trace_id").asText());
    }

    private static OpenTelemetrySdk sdk(InMemorySpanExporter exporter) {
        return OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                        .build())
                .build();
    }

    /** The first written span called {@code name}. */
    private static JsonNode named(List<JsonNode> spans, String name) {
        return spans.stream()
                .filter(n -> n.get("name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans));
    }

    private static JsonNode json(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }

    @Test
    void aRunThatFailsEndsItsSpanWithAnError() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        OpenTelemetrySdk otel = sdk(exporter);
        Agent agent = agent(ReplayBackend.of(AgentTest.WEATHER_CALL))
                .listener(OpenTelemetryTracing.create(otel))
                .build();
        assertThrows(dev.gptoss4j.agent.backend.BackendException.class, () -> agent.run("Weather?"));
        SpanData run = exporter.getFinishedSpanItems().getLast();
        assertEquals("invoke_agent weather", run.getName());
        assertEquals(StatusCode.ERROR, run.getStatus().getStatusCode());
        assertTrue(
                run.getAttributes().get(AttributeKey.stringKey("gptoss.error")).contains("ran out"));
    }
}
