package dev.gptoss4j.tools.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/**
 * The host's conversation with a worker process over the worker's stdin and stdout: one JSON object per line,
 * each behind a marker. The marker is there because the worker's stdout is also where the JVM itself may write
 * (a VM warning, a crash note): lines without it are not frames and are skipped, and text that a stray write left
 * in front of a frame on the same line is cut off.
 *
 * <p>Requests carry an {@code id} and an {@code op}; the reply to a request carries the same {@code id}. The worker
 * announces itself with {@code {"ready": true, "pid": ...}} once its guest context is built.
 *
 * <table>
 * <caption>operations</caption>
 * <tr><th>op</th><th>request</th><th>reply</th></tr>
 * <tr><td>open</td><td>{@code limits}</td><td>{@code ok}: the session exists, its context is warm</td></tr>
 * <tr><td>execute</td><td>{@code code}, {@code timeoutNanos} (what is left of the host's clock)</td>
 *     <td>{@code result}, or {@code stuck} when the cell could not be stopped: the host kills the worker</td></tr>
 * <tr><td>interrupt</td><td>(no id)</td><td>none: the running call stops as at its time limit</td></tr>
 * <tr><td>reset, files, read, write</td><td>{@code path}, {@code content} (base64)</td>
 *     <td>{@code ok}, {@code files}, {@code content}</td></tr>
 * </table>
 *
 * Any reply may instead carry {@code error}: the request failed in the worker.
 */
final class WorkerProtocol {

    /** Starts every frame; ASCII record separator plus a name, so that no ordinary output line looks like one. */
    static final String MARKER = "\u001egptoss-sandbox:";

    static final ObjectMapper JSON = new ObjectMapper();

    private WorkerProtocol() {}

    /** The line for one frame (without its newline). */
    static String frame(JsonNode message) {
        try {
            return MARKER + JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a worker frame", e);
        }
    }

    /** The frame in a line, or null when the line holds none (output of the JVM itself). */
    static ObjectNode parse(String line) {
        int at = line.indexOf(MARKER);
        if (at < 0) {
            return null;
        }
        try {
            return JSON.readTree(line.substring(at + MARKER.length())) instanceof ObjectNode o ? o : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static ObjectNode request(long id, String op) {
        return JSON.createObjectNode().put("id", id).put("op", op);
    }

    static ObjectNode limits(SandboxLimits limits) {
        return JSON.createObjectNode()
                .put("timeoutNanos", limits.timeout().toNanos())
                .put("outputLimitBytes", limits.outputLimitBytes())
                .put("memoryLimitBytes", limits.memoryLimitBytes())
                .put("fileSystemLimitBytes", limits.fileSystemLimitBytes())
                .put("statementLimit", limits.statementLimit());
    }

    static SandboxLimits limits(JsonNode n) {
        return new SandboxLimits(
                Duration.ofNanos(n.path("timeoutNanos").asLong()),
                n.path("outputLimitBytes").asInt(),
                n.path("memoryLimitBytes").asLong(),
                n.path("fileSystemLimitBytes").asLong(),
                n.path("statementLimit").asLong());
    }

    static ObjectNode result(ExecutionResult r) {
        ObjectNode n = JSON.createObjectNode()
                .put("output", r.output())
                .put("stdout", r.stdout())
                .put("stderr", r.stderr())
                .put("value", r.value())
                .put("errorKind", r.errorKind().name())
                .put("errorMessage", r.errorMessage())
                .put("truncatedBytes", r.truncatedBytes())
                .put("sessionReset", r.sessionReset());
        return n;
    }

    /** The worker's result, timed by the host's clock (which includes the start-up and the transfer). */
    static ExecutionResult result(JsonNode n, Duration duration) {
        return new ExecutionResult(
                n.path("output").asText(),
                n.path("stdout").asText(),
                n.path("stderr").asText(),
                text(n, "value"),
                ErrorKind.valueOf(n.path("errorKind").asText()),
                text(n, "errorMessage"),
                n.path("truncatedBytes").asLong(),
                duration,
                n.path("sessionReset").asBoolean());
    }

    static ObjectNode stuck(InProcessSession.Stuck s) {
        return JSON.createObjectNode()
                .put("errorKind", s.kind.name())
                .put("why", s.why)
                .put("combined", s.output.combined())
                .put("stdout", s.output.stdout())
                .put("stderr", s.output.stderr())
                .put("truncatedBytes", s.output.truncatedBytes());
    }

    static OutputCapture.Captured captured(JsonNode n) {
        return new OutputCapture.Captured(
                n.path("combined").asText(),
                n.path("stdout").asText(),
                n.path("stderr").asText(),
                n.path("truncatedBytes").asLong());
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
