package dev.gptoss4j.agent.trace;

import dev.gptoss4j.agent.AgentEvent;
import dev.gptoss4j.agent.AgentListener;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.ToolCall;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a run's events into spans: one for the run ({@code invoke_agent NAME}), one per model call ({@code chat},
 * with tokens, timing and finish) and one per tool call ({@code execute_tool RECIPIENT}, with arguments, status and
 * duration), named with OpenTelemetry's GenAI conventions. Subclasses say where spans go: {@link OpenTelemetryTracing}
 * to the OpenTelemetry API, {@link JsonLinesTracing} to a file. Add one as a listener
 * ({@code Agent.Builder.listener}); runs on several threads are traced apart (each run's events come on its thread).
 */
public abstract class RunTracing implements AgentListener {

    /** Tool arguments longer than this are cut in spans: traces are for finding things, not for archives. */
    static final int MAX_ARGUMENT_CHARS = 4_096;

    /** The runs open on each thread, innermost last (a sub-agent run inside a tool on the same thread). */
    private final ThreadLocal<Deque<Object>> runs = ThreadLocal.withInitial(ArrayDeque::new);

    /** Opens the run span and returns a handle for its children. */
    protected abstract Object startRun(String name, Instant start, Map<String, Object> attributes);

    /** Records a finished child span of {@code run}. */
    protected abstract void child(
            Object run, String name, Instant start, Instant end, Map<String, Object> attributes, boolean error);

    /** Records a point event on {@code run}. */
    protected abstract void event(Object run, String name, Map<String, Object> attributes);

    /** Ends the run span. */
    protected abstract void endRun(Object run, Instant end, Map<String, Object> attributes, boolean error);

    @Override
    public final void onEvent(AgentEvent event) {
        Deque<Object> open = runs.get();
        switch (event) {
            case AgentEvent.RunStarted s ->
                open.addLast(startRun(
                        "invoke_agent " + s.agent(),
                        Instant.now(),
                        attributes("gen_ai.operation.name", "invoke_agent", "gen_ai.agent.name", s.agent())));
            case AgentEvent.ModelCallFinished m
            when !open.isEmpty() -> {
                Instant end = Instant.now();
                child(
                        open.peekLast(),
                        "chat",
                        end.minus(m.duration()),
                        end,
                        attributes(
                                "gen_ai.operation.name",
                                "chat",
                                "gen_ai.agent.name",
                                m.agent(),
                                "gen_ai.usage.input_tokens",
                                (long) m.promptTokens(),
                                "gen_ai.usage.output_tokens",
                                (long) m.completionTokens(),
                                "gen_ai.response.finish_reasons",
                                m.finish(),
                                "gptoss.step",
                                (long) m.step()),
                        m.finish().equals("malformed") || m.finish().equals("context_full"));
            }
            case AgentEvent.ToolCallFinished f
            when !open.isEmpty() -> {
                ToolCall c = f.call();
                Instant end = Instant.now();
                String args = c.arguments() == null ? "" : c.arguments();
                if (args.length() > MAX_ARGUMENT_CHARS) args = args.substring(0, MAX_ARGUMENT_CHARS) + "…";
                child(
                        open.peekLast(),
                        "execute_tool " + c.recipient(),
                        end.minus(c.duration()),
                        end,
                        attributes(
                                "gen_ai.operation.name", "execute_tool",
                                "gen_ai.tool.name", c.recipient(),
                                "gen_ai.tool.call.arguments", args,
                                "gptoss.tool.status", c.status().name().toLowerCase(Locale.ROOT),
                                "gptoss.tool.duration_ms", c.duration().toMillis()),
                        !c.ok());
            }
            case AgentEvent.Handoff h
            when !open.isEmpty() ->
                event(open.peekLast(), "handoff", attributes("gptoss.from", h.from(), "gptoss.to", h.to()));
            case AgentEvent.GuardrailBlocked g
            when !open.isEmpty() ->
                event(
                        open.peekLast(),
                        "guardrail_blocked",
                        attributes(
                                "gptoss.guardrail",
                                g.guardrail(),
                                "gptoss.stage",
                                g.stage(),
                                "gptoss.reason",
                                g.reason()));
            case AgentEvent.ContextTrimmed t
            when !open.isEmpty() ->
                event(
                        open.peekLast(),
                        "context_trimmed",
                        attributes("gptoss.trimmed", t.what(), "gptoss.context_window", (long) t.window()));
            case AgentEvent.Suspended s
            when !open.isEmpty() ->
                event(
                        open.peekLast(),
                        "suspended",
                        attributes("gen_ai.tool.name", s.call().recipient()));
            case AgentEvent.RunFinished f
            when !open.isEmpty() -> {
                AgentResult r = f.result();
                Map<String, Object> a = attributes(
                        "gptoss.stop_reason", r.stopReason().name().toLowerCase(Locale.ROOT),
                        "gen_ai.usage.input_tokens", r.usage().promptTokens(),
                        "gen_ai.usage.output_tokens", r.usage().completionTokens(),
                        "gptoss.model_calls", (long) r.usage().modelCalls(),
                        "gptoss.tool_calls", (long) r.toolCalls().size());
                if (r.stopDetail() != null) a.put("gptoss.stop_detail", r.stopDetail());
                endRun(open.removeLast(), Instant.now(), a, !r.completed());
                if (open.isEmpty()) runs.remove();
            }
            case AgentEvent.RunFailed f
            when !open.isEmpty() -> {
                endRun(
                        open.removeLast(),
                        Instant.now(),
                        attributes(
                                "gptoss.stop_reason",
                                "failed",
                                "error.type",
                                f.error().getClass().getName(),
                                "gptoss.error",
                                String.valueOf(f.error().getMessage())),
                        true);
                if (open.isEmpty()) runs.remove();
            }
            default -> {}
        }
    }

    private static Map<String, Object> attributes(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
        return m;
    }
}
