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
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build();
        OpenTelemetrySdk otel =
                OpenTelemetrySdk.builder().setTracerProvider(provider).build();
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
        List<JsonNode> lines = out.toString()
                .lines()
                .map(l -> {
                    try {
                        return new ObjectMapper().readTree(l);
                    } catch (Exception e) {
                        throw new AssertionError(l, e);
                    }
                })
                .toList();
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
    void aRunThatFailsEndsItsSpanWithAnError() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                        .build())
                .build();
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
