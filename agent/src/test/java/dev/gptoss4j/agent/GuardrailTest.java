package dev.gptoss4j.agent;

import static org.junit.jupiter.api.Assertions.*;

import dev.gptoss4j.agent.backend.ReplayBackend;
import dev.gptoss4j.agent.guardrail.Guardrail;
import dev.gptoss4j.agent.guardrail.judge.LlmJudge;
import dev.gptoss4j.engine.harmony.Role;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuardrailTest {

    static final String ANSWER = "<|channel|>final<|message|>Your card 4111111111111111 is on file.<|return|>";

    @Test
    void aBlockedInputStopsTheRunBeforeTheModelIsAsked() {
        ReplayBackend replay = ReplayBackend.of(ANSWER);
        List<AgentEvent> events = new ArrayList<>();
        AgentResult r = Agent.builder()
                .backend(replay)
                .listener(events::add)
                .inputGuardrails(Guardrail.denyList("password", "api key"))
                .build()
                .run("What is the admin PASSWORD?");
        assertEquals(StopReason.BLOCKED, r.stopReason());
        assertEquals(1, replay.remaining(), "the model never saw it");
        assertEquals("deny-list blocked the input: the text contains the denied term 'PASSWORD'", r.stopDetail());
        AgentEvent.GuardrailBlocked e = events.stream()
                .filter(x -> x instanceof AgentEvent.GuardrailBlocked)
                .map(x -> (AgentEvent.GuardrailBlocked) x)
                .findFirst()
                .orElseThrow();
        assertEquals("input", e.stage());
        assertInstanceOf(AgentEvent.RunFinished.class, events.getLast());
    }

    @Test
    void denyListMatchesWholeWordsOnly() {
        Guardrail g = Guardrail.denyList("pass");
        assertFalse(g.check("my passport").blocked());
        assertTrue(g.check("the Pass, please").blocked());
    }

    @Test
    void aBlockedAnswerNeverReachesTheCallerNorTheConversation() {
        AgentResult r = Agent.builder()
                .backend(ReplayBackend.of(ANSWER))
                .outputGuardrails(Guardrail.regex("\\b\\d{16}\\b", "card numbers must not be shown"))
                .build()
                .run("Which card do I have?");
        assertEquals(StopReason.BLOCKED, r.stopReason());
        assertNull(r.finalText());
        assertTrue(r.stopDetail().endsWith("card numbers must not be shown"), r.stopDetail());
        assertTrue(r.conversation().messages().stream().noneMatch(m -> m.text().contains("4111")));
        assertEquals(Role.USER, r.conversation().messages().getLast().role());
    }

    @Test
    void aGuardrailThatThrowsBlocks() {
        AgentResult r = Agent.builder()
                .backend(ReplayBackend.of(ANSWER))
                .inputGuardrails(text -> {
                    throw new IllegalStateException("policy service down");
                })
                .build()
                .run("Hi");
        assertEquals(StopReason.BLOCKED, r.stopReason());
        assertTrue(r.stopDetail().contains("policy service down"), r.stopDetail());
    }

    @Test
    void anLlmJudgeOnAnyBackendRulesOnTheAnswer() {
        ReplayBackend judge = ReplayBackend.of(
                "<|channel|>analysis<|message|>It discloses a card number.<|end|><|start|>assistant<|channel|>final"
                        + "<|message|>{\"allowed\":false,\"reason\":\"discloses payment data\"}<|return|>",
                "<|channel|>final<|message|>{\"allowed\":true,\"reason\":\"\"}<|return|>");
        RecordingBackend judging = new RecordingBackend(judge);
        LlmJudge llm = LlmJudge.builder()
                .backend(judging)
                .policy("Never disclose payment data.")
                .build();
        Agent agent = Agent.builder()
                .backend(ReplayBackend.of(ANSWER, "<|channel|>final<|message|>A card is on file.<|return|>"))
                .outputGuardrails(llm)
                .build();

        AgentResult blocked = agent.run("Which card?");
        assertEquals(StopReason.BLOCKED, blocked.stopReason());
        assertEquals("llm-judge blocked the output: discloses payment data", blocked.stopDetail());
        // the judge saw the policy and the answer to judge, as data
        String shown = judging.seen.getFirst().messages().toString();
        assertTrue(shown.contains("Never disclose payment data."), shown);
        assertTrue(judging.seen.getFirst().messages().getLast().text().contains("4111111111111111"));

        AgentResult passed = agent.run("Which card?");
        assertEquals("A card is on file.", passed.finalText());
    }

    @Test
    void aJudgeWithoutARulingBlocks() {
        LlmJudge llm = LlmJudge.builder()
                .backend(ReplayBackend.of(
                        "<|channel|>final<|message|>maybe<|return|>", "<|channel|>final<|message|>dunno<|return|>"))
                .policy("Be nice.")
                .build();
        Guardrail.Verdict v = llm.check("hello");
        assertTrue(v.blocked());
        assertTrue(v.reason().contains("TOO_MANY_ERRORS"), v.reason());
    }
}
