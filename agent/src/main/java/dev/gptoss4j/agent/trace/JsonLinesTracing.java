package dev.gptoss4j.agent.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

/**
 * The spans {@link OpenTelemetryTracing} records, as JSON lines, without any OpenTelemetry library: one object
 * per finished span, {@code {"trace_id", "span_id", "parent_span_id", "name", "start", "end", "duration_ms",
 * "status", "attributes", "events"}}, ids in OpenTelemetry's hex form. What {@code gptoss run --trace FILE} writes.
 * Lines are written whole and flushed, so a file being written can be tailed.
 */
public final class JsonLinesTracing extends RunTracing {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom IDS = new SecureRandom();

    private final Writer out;

    /** Writes to {@code out}, which the caller closes. */
    public JsonLinesTracing(Writer out) {
        this.out = out;
    }

    private static final class Run {
        final String traceId;
        final String spanId = id(8);
        final String parentSpanId;
        final String name;
        final Instant start;
        final ObjectNode attributes;
        final com.fasterxml.jackson.databind.node.ArrayNode events = JSON.createArrayNode();

        Run(String name, Instant start, Map<String, Object> attributes, Run parent) {
            this.traceId = parent == null ? id(16) : parent.traceId;
            this.parentSpanId = parent == null ? null : parent.spanId;
            this.name = name;
            this.start = start;
            this.attributes = JSON.valueToTree(attributes);
        }
    }

    @Override
    protected Object startRun(String name, Instant start, Map<String, Object> attributes, Object parent) {
        return new Run(name, start, attributes, (Run) parent);
    }

    @Override
    protected void child(
            Object run, String name, Instant start, Instant end, Map<String, Object> attributes, boolean error) {
        Run r = (Run) run;
        write(span(r.traceId, id(8), r.spanId, name, start, end, JSON.valueToTree(attributes), error));
    }

    @Override
    protected void event(Object run, String name, Map<String, Object> attributes) {
        ((Run) run)
                .events
                .addObject()
                .put("name", name)
                .put("time", Instant.now().toString())
                .set("attributes", JSON.valueToTree(attributes));
    }

    @Override
    protected void endRun(Object run, Instant end, Map<String, Object> attributes, boolean error) {
        Run r = (Run) run;
        r.attributes.setAll((ObjectNode) JSON.valueToTree(attributes));
        ObjectNode span = span(r.traceId, r.spanId, r.parentSpanId, r.name, r.start, end, r.attributes, error);
        span.set("events", r.events);
        write(span);
    }

    private static ObjectNode span(
            String traceId,
            String spanId,
            String parent,
            String name,
            Instant start,
            Instant end,
            com.fasterxml.jackson.databind.JsonNode attributes,
            boolean error) {
        ObjectNode n = JSON.createObjectNode();
        n.put("trace_id", traceId);
        n.put("span_id", spanId);
        if (parent != null) n.put("parent_span_id", parent);
        n.put("name", name);
        n.put("start", start.toString());
        n.put("end", end.toString());
        n.put("duration_ms", Duration.between(start, end).toNanos() / 1e6);
        n.put("status", error ? "error" : "ok");
        n.set("attributes", attributes);
        return n;
    }

    private synchronized void write(ObjectNode span) {
        try {
            out.write(JSON.writeValueAsString(span));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trace: " + e.getMessage(), e);
        }
    }

    private static String id(int bytes) {
        byte[] b = new byte[bytes];
        IDS.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
