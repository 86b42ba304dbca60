package dev.gptoss4j.examples.agents;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.StopReason;
import dev.gptoss4j.agent.ToolCall;
import dev.gptoss4j.agent.tool.Approval;
import dev.gptoss4j.agent.tool.ToolOutcome;
import dev.gptoss4j.cli.CliRun;
import dev.gptoss4j.engine.harmony.Role;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The long-run, guardrails, team and approval bots on their bundled replays, the tools running for real. */
class AgentBotsTest {

    @Test
    void longRunTrimsAndCompletes() {
        StringWriter out = new StringWriter();
        AgentResult r = LongRunBot.run(
                LongRunBot.replay(),
                dev.gptoss4j.engine.harmony.ReasoningEffort.LOW,
                LongRunBot.TASK,
                new PrintWriter(out));
        assertEquals(StopReason.COMPLETED, r.stopReason(), out.toString());
        assertTrue(r.finalText().contains("Oslo") && r.finalText().contains(StationReports.totalRain("Oslo") + " mm"));
        assertEquals(69, StationReports.totalRain("Oslo"), "the recorded answer matches the real reports");
        assertTrue(out.toString().contains("shortened 2 tool results"), out.toString());
        // every report reached the model whole when it was new
        List<String> results = r.toolCalls().stream().map(ToolCall::result).toList();
        assertEquals(new StationReports().readReport("Oslo"), results.getLast());
    }

    @Test
    void guardrailsBlockAPasswordQuestionAndAPhoneNumberButNotATeam() {
        StringWriter out = new StringWriter();
        List<AgentResult> rs = GuardrailsBot.run(
                GuardrailsBot.replay(), dev.gptoss4j.engine.harmony.ReasoningEffort.LOW, new PrintWriter(out));
        assertEquals(
                List.of(StopReason.BLOCKED, StopReason.BLOCKED, StopReason.COMPLETED),
                rs.stream().map(AgentResult::stopReason).toList());
        assertTrue(
                rs.get(0).stopDetail().startsWith("deny-list blocked the input"),
                rs.get(0).stopDetail());
        assertTrue(rs.get(0).toolCalls().isEmpty());
        assertEquals(
                "llm-judge blocked the output: it discloses a private phone number",
                rs.get(1).stopDetail());
        assertTrue(
                rs.get(1).conversation().messages().stream()
                        .noneMatch(m -> m.role() == Role.ASSISTANT && m.text().contains("912 34 567")),
                "the blocked answer is not kept");
        assertEquals(
                "Kari Nordmann is an analyst in the Payroll team.", rs.get(2).finalText());
    }

    @Test
    void theTeamHandsOffAndAsksItsPolicyAgent(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("team.jsonl");
        CliRun.Outcome o = CliRun.run("bots", "team", "--trace", trace.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("[handoff] triage -> billing"), o.out());
        assertTrue(o.out().contains("[tool] functions.ask_policy"), o.out());
        assertTrue(o.out().contains("within 5 working days"), o.out());
        ObjectMapper json = new ObjectMapper();
        List<com.fasterxml.jackson.databind.JsonNode> spans = Files.readAllLines(trace).stream()
                .map(l -> {
                    try {
                        return json.readTree(l);
                    } catch (Exception e) {
                        throw new AssertionError(l, e);
                    }
                })
                .toList();
        List<String> names = spans.stream().map(n -> n.get("name").asText()).toList();
        assertTrue(names.contains("execute_tool functions.transfer_to_billing"), names.toString());
        assertTrue(names.contains("execute_tool functions.ask_policy"), names.toString());
        assertEquals("invoke_agent triage", names.getLast());
        assertTrue(names.contains("invoke_agent policy"), "the sub-agent's run is traced too: " + names);
        var triage = spans.getLast();
        var policy = spans.get(names.indexOf("invoke_agent policy"));
        assertEquals(triage.get("trace_id"), policy.get("trace_id"), "one trace for the team");
        assertEquals(triage.get("span_id"), policy.get("parent_span_id"), "the policy run is the calling run's child");
        assertTrue(Files.readString(trace).contains("\"handoff\""), "the handoff is an event of the run span");
    }

    @Test
    void anApprovalResumesTheStoredRunLater(@TempDir Path dir) throws Exception {
        ApprovalBot.Payments payments = new ApprovalBot.Payments();
        StringWriter out = new StringWriter();
        ApprovalBot.Outcome o = ApprovalBot.run(
                ApprovalBot.replay(),
                dev.gptoss4j.engine.harmony.ReasoningEffort.LOW,
                ApprovalBot.TASK,
                Approval.allow(),
                dir,
                payments,
                new PrintWriter(out));
        assertEquals(StopReason.SUSPENDED, o.suspended().stopReason());
        assertEquals(StopReason.COMPLETED, o.resumed().stopReason(), out.toString());
        assertEquals(List.of("A-1042"), payments.refunds, "the refund ran once, after the approval");
        assertEquals(ToolOutcome.Status.OK, o.resumed().toolCalls().getFirst().status());
        assertTrue(Files.exists(dir.resolve(ApprovalBot.SESSION + ".json")));
        assertTrue(out.toString().contains("[waiting] functions.issueRefund"), out.toString());
    }

    @Test
    void theBotsRunFromTheCommandLine() {
        for (String bot : List.of("long-run", "guardrails", "approval")) {
            CliRun.Outcome o = CliRun.run("bots", bot);
            assertEquals(0, o.code(), bot + ": " + o.err());
        }
    }
}
