package dev.gptoss4j.agent.trace;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.Map;

/**
 * Spans of agent runs through the OpenTelemetry API, for any observability stack with an OpenTelemetry SDK or
 * agent configured. The API is an optional dependency: add {@code io.opentelemetry:opentelemetry-api} to use this
 * class; without an SDK installed, {@link #global()} records nothing and costs next to nothing.
 *
 * <pre>{@code
 * Agent.builder().backend(backend).listener(OpenTelemetryTracing.create(openTelemetry)).build();
 * }</pre>
 *
 * A run's span is the parent of its model-call and tool-call spans, and a child of the span current when the run
 * started (an HTTP request's, say), or of the calling run's span for a sub-agent traced by the same instance.
 */
public final class OpenTelemetryTracing extends RunTracing {

    /** The instrumentation scope spans are recorded under. */
    public static final String SCOPE = "dev.gptoss4j.agent";

    private final Tracer tracer;

    private OpenTelemetryTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    public static OpenTelemetryTracing create(OpenTelemetry openTelemetry) {
        return new OpenTelemetryTracing(openTelemetry.getTracer(SCOPE));
    }

    /** Through {@link GlobalOpenTelemetry}: whatever SDK the application (or the Java agent) installed. */
    public static OpenTelemetryTracing global() {
        return create(GlobalOpenTelemetry.get());
    }

    @Override
    protected Object startRun(String name, Instant start, Map<String, Object> attributes, Object parent) {
        SpanBuilder span = tracer.spanBuilder(name);
        if (parent != null) span.setParent(Context.current().with((Span) parent));
        return span.setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(start)
                .setAllAttributes(attributes(attributes))
                .startSpan();
    }

    @Override
    protected void child(
            Object run, String name, Instant start, Instant end, Map<String, Object> attributes, boolean error) {
        Span span = tracer.spanBuilder(name)
                .setParent(Context.current().with((Span) run))
                .setSpanKind(name.startsWith("chat") ? SpanKind.CLIENT : SpanKind.INTERNAL)
                .setStartTimestamp(start)
                .setAllAttributes(attributes(attributes))
                .startSpan();
        if (error) span.setStatus(StatusCode.ERROR);
        span.end(end);
    }

    @Override
    protected void event(Object run, String name, Map<String, Object> attributes) {
        ((Span) run).addEvent(name, attributes(attributes));
    }

    @Override
    protected void endRun(Object run, Instant end, Map<String, Object> attributes, boolean error) {
        Span span = (Span) run;
        span.setAllAttributes(attributes(attributes));
        if (error) span.setStatus(StatusCode.ERROR, String.valueOf(attributes.get("gptoss.stop_reason")));
        span.end(end);
    }

    private static Attributes attributes(Map<String, Object> values) {
        AttributesBuilder b = Attributes.builder();
        values.forEach((k, v) -> {
            if (v instanceof Long l) b.put(AttributeKey.longKey(k), l);
            else if (v instanceof Integer i) b.put(AttributeKey.longKey(k), i.longValue());
            else b.put(AttributeKey.stringKey(k), String.valueOf(v));
        });
        return b.build();
    }
}
