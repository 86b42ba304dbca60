package dev.gptoss4j.agent.trace;

import dev.gptoss4j.agent.AgentEvent;
import dev.gptoss4j.agent.AgentListener;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.ToolCall;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a run's events into spans: one for the run ({@code invoke_agent NAME}), one per model call ({@code chat},
 * with tokens, timing and finish) and one per tool call ({@code execute_tool RECIPIENT}, with arguments, status and
 * duration), named with OpenTelemetry's GenAI conventions. Subclasses say where spans go: {@link OpenTelemetryTracing}
 * to the OpenTelemetry API, {@link JsonLinesTracing} to a file. Add one as a listener
 * ({@code Agent.Builder.listener}); runs on several threads are traced apart (each run's events come on its thread).
 *
 * <p>A run started inside another's tool call (a sub-agent used as a tool, {@code Agent.asTool}) is a child of the
 * calling run, in the same trace, when the sub-agent has the same tracing instance as a listener: the open run
 * goes with the threads a run starts (tools run on threads of their own).
 */
public abstract class RunTracing implements AgentListener {

    /** Tool arguments longer than this are cut in spans: traces are for finding things, not for archives. */
    static final int MAX_ARGUMENT_CHARS = 4_096;

    /** A run open on this thread, and the run it was started in (or null). */
    private static final class Open {
        final Object run;
        final Open outer;
        // a thread started during a run keeps its copy after the run ended; a run begun there later is no child
        volatile boolean ended;

        Open(Object run, Open outer) {
            this.run = run;
            this.outer = outer;
        }
    }

    /**
     * The innermost run open on each thread. Inheritable: a tool runs on a thread its run starts, and a sub-agent's
     * run begun there must find its caller. The records' links never change (only their ended flag, once), so the
     * threads that share them need no locks.
     */
    private final InheritableThreadLocal<Open> open = new InheritableThreadLocal<>();

    /** Opens the run span, a child of {@code parent} (the handle of the run it was started in) unless that is null. */
    protected abstract Object startRun(String name, Instant start, Map<String, Object> attributes, Object parent);

    /** Records a finished child span of {@code run}. */
    protected abstract void child(
            Object run, String name, Instant start, Instant end, Map<String, Object> attributes, boolean error);

    /** Records a point event on {@code run}. */
    protected abstract void event(Object run, String name, Map<String, Object> attributes);

    /** Ends the run span. */
    protected abstract void endRun(Object run, Instant end, Map<String, Object> attributes, boolean error);

    @Override
    public final void onEvent(AgentEvent event) {
        Open current = innermostOpen();
        switch (event) {
            case AgentEvent.RunStarted s ->
                open.set(new Open(
                        startRun(
                                "invoke_agent " + s.agent(),
                                Instant.now(),
                                attributes("gen_ai.operation.name", "invoke_agent", "gen_ai.agent.name", s.agent()),
                                current == null ? null : current.run),
                        current));
            case AgentEvent.ModelCallFinished m
            when current != null -> {
                Instant end = Instant.now();
                child(
                        current.run,
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
            when current != null -> {
                ToolCall c = f.call();
                Instant end = Instant.now();
                String args = c.arguments() == null ? "" : c.arguments();
                if (args.length() > MAX_ARGUMENT_CHARS) args = args.substring(0, MAX_ARGUMENT_CHARS) + "…";
                child(
                        current.run,
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
            when current != null ->
                event(current.run, "handoff", attributes("gptoss.from", h.from(), "gptoss.to", h.to()));
            case AgentEvent.GuardrailBlocked g
            when current != null ->
                event(
                        current.run,
                        "guardrail_blocked",
                        attributes(
                                "gptoss.guardrail",
                                g.guardrail(),
                                "gptoss.stage",
                                g.stage(),
                                "gptoss.reason",
                                g.reason()));
            case AgentEvent.ContextTrimmed t
            when current != null ->
                event(
                        current.run,
                        "context_trimmed",
                        attributes("gptoss.trimmed", t.what(), "gptoss.context_window", (long) t.window()));
            case AgentEvent.Suspended s
            when current != null ->
                event(
                        current.run,
                        "suspended",
                        attributes("gen_ai.tool.name", s.call().recipient()));
            case AgentEvent.RunFinished f
            when current != null -> {
                AgentResult r = f.result();
                Map<String, Object> a = attributes(
                        "gptoss.stop_reason", r.stopReason().name().toLowerCase(Locale.ROOT),
                        "gen_ai.usage.input_tokens", r.usage().promptTokens(),
                        "gen_ai.usage.output_tokens", r.usage().completionTokens(),
                        "gptoss.model_calls", (long) r.usage().modelCalls(),
                        "gptoss.tool_calls", (long) r.toolCalls().size());
                if (r.stopDetail() != null) a.put("gptoss.stop_detail", r.stopDetail());
                endRun(current.run, Instant.now(), a, !r.completed());
                close(current);
            }
            case AgentEvent.RunFailed f
            when current != null -> {
                endRun(
                        current.run,
                        Instant.now(),
                        attributes(
                                "gptoss.stop_reason",
                                "failed",
                                "error.type",
                                f.error().getClass().getName(),
                                "gptoss.error",
                                String.valueOf(f.error().getMessage())),
                        true);
                close(current);
            }
            default -> {}
        }
    }

    private Open innermostOpen() {
        Open run = open.get();
        while (run != null && run.ended) run = run.outer;
        return run;
    }

    private void close(Open run) {
        run.ended = true;
        if (run.outer == null) open.remove();
        else open.set(run.outer);
    }

    private static Map<String, Object> attributes(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
        return m;
    }
}
