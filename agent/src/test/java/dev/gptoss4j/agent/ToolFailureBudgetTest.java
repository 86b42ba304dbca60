package dev.gptoss4j.agent;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gptoss4j.agent.backend.ReplayBackend;
import dev.gptoss4j.agent.tool.Tool;
import dev.gptoss4j.agent.tool.ToolArguments;
import dev.gptoss4j.agent.tool.ToolOutcome;
import dev.gptoss4j.agent.tool.ToolResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Failing tools do not end runs: only the model's own mistakes and tools that cannot work at all have budgets. */
class ToolFailureBudgetTest {

    /** A stand-in notebook that answers each cell with the next scripted result. */
    static final class ScriptedNotebook implements Tool {
        final Deque<ToolResult> results;
        final List<String> cells = new ArrayList<>();

        ScriptedNotebook(ToolResult... results) {
            this.results = new ArrayDeque<>(List.of(results));
        }

        @Override
        public String namespace() {
            return "python";
        }

        @Override
        public String name() {
            return "python";
        }

        @Override
        public String description() {
            return "Runs Python.";
        }

        @Override
        public JsonNode parameters() {
            return null;
        }

        @Override
        public ToolResult execute(ToolArguments arguments) {
            cells.add(arguments.raw());
            return results.removeFirst();
        }
    }

    static String cell(String code) {
        return "<|channel|>analysis to=python code<|message|>" + code + "<|call|>";
    }

    static final String ANSWER = "<|channel|>final<|message|>Fixed it: 42.<|return|>";

    static ToolResult traceback(String error) {
        return ToolResult.error("Traceback (most recent call last):\n  File \"<stdin>\", line 1\n" + error);
    }

    @Test
    void threeTracebacksAndATimeoutInARowStillReachTheAnswer() {
        ScriptedNotebook python = new ScriptedNotebook(
                traceback("NameError: name 'x' is not defined"),
                traceback("ZeroDivisionError: division by zero"),
                traceback("PermissionError: writing outside /mnt/data is not allowed"),
                ToolResult.timedOut("Error: the code did not finish within 2 s and was stopped."),
                ToolResult.of("42"));
        ReplayBackend replay = ReplayBackend.of(
                cell("print(x)"),
                cell("1/0"),
                cell("open('/etc/x','w')"),
                cell("while True: pass"),
                cell("print(6*7)"),
                ANSWER);
        AgentResult r = Agent.builder()
                .backend(replay)
                .tools(python)
                .maxRetries(1)
                .build()
                .run("Debug this.");

        assertEquals(StopReason.COMPLETED, r.stopReason());
        assertEquals("Fixed it: 42.", r.finalText());
        assertEquals(
                List.of(
                        ToolOutcome.Status.FAILED,
                        ToolOutcome.Status.FAILED,
                        ToolOutcome.Status.FAILED,
                        ToolOutcome.Status.TIMED_OUT,
                        ToolOutcome.Status.OK),
                r.toolCalls().stream().map(ToolCall::status).toList());
        // the model saw every traceback: they are in the conversation as the notebook's answers
        assertTrue(r.conversation().messages().stream().anyMatch(m -> m.text().contains("ZeroDivisionError")));
        assertEquals(5, python.cells.size());
    }

    @Test
    void toolsThatKeepFailingToWorkStopTheRunAtTheirOwnCap() {
        ToolResult timeout = ToolResult.timedOut("Error: stopped after 2 s.");
        ToolResult crash = ToolResult.crashed("Error: the sandbox crashed; the session was reset.");
        ScriptedNotebook python = new ScriptedNotebook(timeout, crash, timeout);
        ReplayBackend replay = ReplayBackend.of(cell("a"), cell("b"), cell("c"), ANSWER);
        AgentResult r = Agent.builder()
                .backend(replay)
                .tools(python)
                .maxToolFailures(2)
                .build()
                .run("Go");
        assertEquals(StopReason.TOOL_FAILURES, r.stopReason());
        assertEquals(ToolOutcome.Status.CRASHED, r.toolCalls().get(1).status());
        assertEquals(3, r.toolCalls().size(), "two failures tolerated, the third stops");
        assertEquals(1, replay.remaining(), "the answer was never asked for");
    }

    @Test
    void aWorkingCallResetsTheToolFailureCount() {
        ToolResult timeout = ToolResult.timedOut("Error: stopped.");
        ScriptedNotebook python = new ScriptedNotebook(
                timeout, timeout, ToolResult.error("Traceback: oops"), timeout, timeout, ToolResult.of("ok"));
        ReplayBackend replay =
                ReplayBackend.of(cell("a"), cell("b"), cell("c"), cell("d"), cell("e"), cell("f"), ANSWER);
        AgentResult r = Agent.builder()
                .backend(replay)
                .tools(python)
                .maxToolFailures(2)
                .build()
                .run("Go");
        assertEquals(StopReason.COMPLETED, r.stopReason(), "an ordinary error shows the tool works again");
    }

    @Test
    void callsTheModelGetsWrongStillCountAsRetries() {
        String unknown = "<|channel|>commentary to=functions.nope <|constrain|>json<|message|>{}<|call|>";
        ReplayBackend replay = ReplayBackend.of(unknown, unknown, unknown, ANSWER);
        AgentResult r = Agent.builder()
                .backend(replay)
                .tools(new ScriptedNotebook())
                .maxRetries(1)
                .build()
                .run("Go");
        assertEquals(StopReason.TOO_MANY_ERRORS, r.stopReason());
        assertEquals(2, r.toolCalls().size());
        assertEquals(ToolOutcome.Status.UNKNOWN_TOOL, r.toolCalls().getFirst().status());
    }

    @Test
    void negativeCapIsRefusedAtBuildTime() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> Agent.builder()
                        .backend(ReplayBackend.of(ANSWER))
                        .maxToolFailures(-1)
                        .build());
        assertTrue(e.getMessage().contains("maxToolFailures"), e.getMessage());
    }
}
