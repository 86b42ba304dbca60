package dev.gptoss4j.agent.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Runs one tool call from start to end: find the tool, ask for approval, parse and validate the arguments, execute
 * with a timeout, cap the output. Nothing it meets is thrown: every failure becomes an {@link ToolOutcome} whose
 * text tells the model what went wrong, so the model can correct itself.
 */
public final class ToolRunner {

    /** How long a stopped tool gets to end its work before the outcome is reported (sandboxes need ~2 s). */
    static final Duration STOP_GRACE = Duration.ofSeconds(3);

    private final ToolSet tools;
    private final ApprovalPolicy approval;
    private final Duration timeout;
    private final int maxOutputChars;
    private final Map<Tool, SchemaValidator> validators = new ConcurrentHashMap<>();

    public ToolRunner(ToolSet tools, ApprovalPolicy approval, Duration timeout, int maxOutputChars) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("tool timeout must be positive, got " + timeout);
        }
        if (maxOutputChars < 64) throw new IllegalArgumentException("max tool output must be >= 64 characters");
        this.tools = tools;
        this.approval = approval;
        this.timeout = timeout;
        this.maxOutputChars = maxOutputChars;
    }

    /** Runs a call outside any conversation's scope: stateful tools use their own state. */
    public ToolOutcome run(String recipient, String rawArguments, BooleanSupplier cancelled) {
        return run(recipient, rawArguments, null, cancelled);
    }

    /**
     * Runs the call the model addressed to {@code recipient}.
     *
     * @param scope     the conversation's tool state the tool sees ({@code null}: none)
     * @param cancelled polled while the tool runs; when it turns true the tool is interrupted
     */
    public ToolOutcome run(String recipient, String rawArguments, ToolScope scope, BooleanSupplier cancelled) {
        return run(recipient, rawArguments, scope, cancelled, null);
    }

    /**
     * Runs a call on which a decision was already taken ({@code decided}, a person's answer to a suspended call),
     * without asking the approval policy again; {@code null} asks it.
     */
    public ToolOutcome run(
            String recipient, String rawArguments, ToolScope scope, BooleanSupplier cancelled, Approval decided) {
        long start = System.nanoTime();
        String raw = rawArguments == null ? "" : rawArguments;
        Tool tool = tools.find(recipient);
        if (tool == null) {
            String available = tools.isEmpty()
                    ? "No tools are available: answer without them."
                    : "Available tools: "
                            + String.join(
                                    ", ",
                                    tools.all().stream().map(Tool::recipient).toList()) + ".";
            return done(
                    start,
                    ToolOutcome.Status.UNKNOWN_TOOL,
                    "Error: there is no tool named " + recipient + ". " + available);
        }
        Approval verdict = decided;
        if (verdict == null) {
            try {
                verdict = approval.review(new ToolRequest(tool.recipient(), raw, tool));
            } catch (RuntimeException e) {
                verdict = Approval.deny("the approval check failed: " + e.getMessage());
            }
        }
        if (verdict.suspended()) {
            return done(
                    start,
                    ToolOutcome.Status.AWAITING_APPROVAL,
                    "The call to " + tool.recipient() + " awaits approval."
                            + (verdict.reason().isBlank() ? "" : " Reason: " + verdict.reason()));
        }
        if (!verdict.approved()) {
            String why = verdict.reason().isBlank() ? "" : " Reason: " + verdict.reason();
            return done(
                    start,
                    ToolOutcome.Status.DENIED,
                    "Error: the call to " + tool.recipient() + " was denied." + why
                            + " Do not call it again with the same arguments.");
        }
        JsonNode json = null;
        if (!Schemas.takesFreeText(tool.parameters())) {
            try {
                json = raw.isBlank() ? Schemas.JSON.createObjectNode() : Schemas.JSON.readTree(raw);
            } catch (JsonProcessingException e) {
                return done(
                        start,
                        ToolOutcome.Status.INVALID_ARGUMENTS,
                        "Error: the arguments of "
                                + tool.recipient() + " are not valid JSON (" + e.getOriginalMessage()
                                + "). Call it again with a JSON object matching its schema.");
            }
            List<String> problems = validators
                    .computeIfAbsent(tool, t -> new SchemaValidator(t.parameters()))
                    .validate(json);
            if (!problems.isEmpty()) {
                return done(
                        start,
                        ToolOutcome.Status.INVALID_ARGUMENTS,
                        "Error: invalid arguments for "
                                + tool.recipient() + ": " + String.join("; ", problems)
                                + ". Expected arguments matching: " + tool.parameters());
            }
        }
        ToolArguments args = new ToolArguments(raw, json, scope);
        CompletableFuture<ToolResult> future = new CompletableFuture<>();
        Thread worker = Thread.ofVirtual().name("tool-" + tool.recipient()).start(() -> {
            try {
                future.complete(tool.execute(args));
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        });
        long deadline = start + timeout.toNanos();
        while (true) {
            if (cancelled.getAsBoolean()) {
                worker.interrupt();
                String still = stillRunning(worker);
                return done(
                        start,
                        ToolOutcome.Status.CANCELLED,
                        "Error: the run was cancelled while " + tool.recipient() + " was running." + still);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                worker.interrupt();
                String still = stillRunning(worker);
                ToolResult own = future.isDone() && !future.isCompletedExceptionally() ? future.join() : null;
                if (own != null && own.kind() == ToolResult.Kind.TIMED_OUT) {
                    // the tool stopped itself and knows best what survived (a notebook kept, a session reset)
                    return done(start, ToolOutcome.Status.TIMED_OUT, cap(own.text()));
                }
                return done(
                        start,
                        ToolOutcome.Status.TIMED_OUT,
                        "Error: " + tool.recipient() + " did not finish within " + seconds(timeout)
                                + " and was stopped." + still);
            }
            try {
                ToolResult r = future.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)), TimeUnit.NANOSECONDS);
                return done(start, status(r.kind()), cap(r.text()));
            } catch (TimeoutException e) {
                // poll again: cancellation and the deadline are checked at the top
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                String msg = c.getMessage() == null
                        ? c.getClass().getSimpleName()
                        : (c instanceof ToolException ? "" : c.getClass().getSimpleName() + ": ") + c.getMessage();
                return done(start, ToolOutcome.Status.FAILED, "Error: " + tool.recipient() + " failed: " + cap(msg));
            } catch (InterruptedException e) {
                worker.interrupt();
                Thread.currentThread().interrupt();
                return done(
                        start,
                        ToolOutcome.Status.CANCELLED,
                        "Error: the run was interrupted while " + tool.recipient() + " was running.");
            }
        }
    }

    /**
     * After an interrupt, waits up to {@link #STOP_GRACE} for the tool's thread to end, so that what the model is
     * told ("stopped") is true when it reads it: nothing of the call runs after the outcome is returned. A tool
     * that ignores interrupts cannot be stopped from here; then the model is told so instead of being told a lie.
     *
     * @return an empty string when the tool stopped, else a sentence saying it may still be running
     */
    private static String stillRunning(Thread worker) {
        try {
            if (worker.join(STOP_GRACE)) return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return " It did not respond to the stop within " + seconds(STOP_GRACE)
                + " and may still be running in the background.";
    }

    private static ToolOutcome.Status status(ToolResult.Kind kind) {
        return switch (kind) {
            case OK -> ToolOutcome.Status.OK;
            case ERROR -> ToolOutcome.Status.FAILED;
            case TIMED_OUT -> ToolOutcome.Status.TIMED_OUT;
            case CRASHED -> ToolOutcome.Status.CRASHED;
        };
    }

    /** Long outputs would fill the context window: keep the head and say how much was cut. */
    private String cap(String text) {
        if (text.length() <= maxOutputChars) return text;
        String note = "\n[output truncated: showing " + maxOutputChars + " of " + text.length() + " characters]";
        return text.substring(0, maxOutputChars) + note;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static ToolOutcome done(long start, ToolOutcome.Status status, String text) {
        return new ToolOutcome(status, text, Duration.ofNanos(System.nanoTime() - start));
    }
}
