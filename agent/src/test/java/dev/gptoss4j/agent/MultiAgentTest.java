package dev.gptoss4j.agent;

import static org.junit.jupiter.api.Assertions.*;

import dev.gptoss4j.agent.backend.ReplayBackend;
import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MultiAgentTest {

    static String transfer(String to) {
        return "<|channel|>commentary to=functions.transfer_to_" + to + " <|constrain|>json<|message|>{}<|call|>";
    }

    static String developerText(Conversation c) {
        return c.messages().stream()
                .filter(m -> m.role() == Role.DEVELOPER)
                .map(Object::toString)
                .findFirst()
                .orElse("");
    }

    @Test
    void aHandoffChainPassesTheConversationOnWithEachAgentsInstructionsAndTools() {
        RecordingBackend triageModel = new RecordingBackend(ReplayBackend.of(transfer("billing")));
        RecordingBackend billingModel = new RecordingBackend(ReplayBackend.of(transfer("refunds")));
        RecordingBackend refundsModel =
                new RecordingBackend(ReplayBackend.of("<|channel|>final<|message|>Refund of 20 EUR issued.<|return|>"));
        Agent refunds = Agent.builder()
                .name("refunds")
                .backend(refundsModel)
                .instructions("You issue refunds.")
                .build();
        Agent billing = Agent.builder()
                .name("billing")
                .backend(billingModel)
                .instructions("You handle invoices.")
                .handoffs(Handoff.to(refunds, "Refund requests."))
                .build();
        List<AgentEvent> events = new ArrayList<>();
        Agent triage = Agent.builder()
                .name("triage")
                .backend(triageModel)
                .instructions("You route requests.")
                .handoffs(Handoff.to(billing, "Invoices and payments."))
                .listener(events::add)
                .build();

        AgentResult r = triage.run("I was charged twice, refund me.");
        assertEquals("Refund of 20 EUR issued.", r.finalText());
        assertEquals(
                List.of("functions.transfer_to_billing", "functions.transfer_to_refunds"),
                r.toolCalls().stream().map(ToolCall::recipient).toList());
        assertEquals(
                List.of("triage->billing", "billing->refunds"),
                events.stream()
                        .filter(e -> e instanceof AgentEvent.Handoff)
                        .map(e -> (AgentEvent.Handoff) e)
                        .map(h -> h.from() + "->" + h.to())
                        .toList());

        // each model saw its own agent's developer message: instructions and the tools it may call
        String triageDev = developerText(triageModel.seen.getFirst());
        assertTrue(triageDev.contains("You route requests.") && triageDev.contains("transfer_to_billing"), triageDev);
        String billingDev = developerText(billingModel.seen.getFirst());
        assertTrue(billingDev.contains("You handle invoices.") && billingDev.contains("transfer_to_refunds"));
        assertFalse(billingDev.contains("You route requests."));
        Conversation refundsSaw = refundsModel.seen.getFirst();
        assertTrue(developerText(refundsSaw).contains("You issue refunds."));
        assertTrue(
                refundsSaw.messages().stream().anyMatch(m -> "I was charged twice, refund me.".equals(m.text())),
                "the conversation went along");
        assertEquals(
                1,
                refundsSaw.messages().stream()
                        .filter(m -> m.role() == Role.SYSTEM)
                        .count());
    }

    @Test
    void agentsHandingOffToEachOtherAreBuiltLazily() {
        Agent[] b = new Agent[1];
        Agent a = Agent.builder()
                .name("a")
                .backend(ReplayBackend.of(transfer("b"), "<|channel|>final<|message|>Back at a.<|return|>"))
                .handoffs(Handoff.to("b", "Ask b.", () -> b[0]))
                .build();
        b[0] = Agent.builder()
                .name("b")
                .backend(ReplayBackend.of(transfer("a")))
                .handoffs(Handoff.to("a", "Ask a.", () -> a))
                .build();
        assertEquals("Back at a.", a.run("Ping").finalText());
    }

    @Test
    void aSubAgentsFinalAnswerIsTheToolResult() {
        RecordingBackend researcherModel = new RecordingBackend(
                ReplayBackend.of("<|channel|>final<|message|>Oslo has 717,710 inhabitants.<|return|>"));
        Agent researcher = Agent.builder()
                .name("researcher")
                .backend(researcherModel)
                .instructions("You look facts up.")
                .build();
        Agent writer = Agent.builder()
                .backend(ReplayBackend.of(
                        "<|channel|>commentary to=functions.research <|constrain|>json"
                                + "<|message|>{\"task\":\"Population of Oslo\"}<|call|>",
                        "<|channel|>final<|message|>About 718 thousand people live in Oslo.<|return|>"))
                .tools(researcher.asTool("research", "Looks a fact up."))
                .build();
        AgentResult r = writer.run("How many people live in Oslo?");
        assertEquals("About 718 thousand people live in Oslo.", r.finalText());
        assertEquals("Oslo has 717,710 inhabitants.", r.toolCalls().getFirst().result());
        assertEquals(
                "Population of Oslo",
                researcherModel.seen.getFirst().messages().getLast().text(),
                "the sub-agent got only the task, in a conversation of its own");
    }

    @Test
    void aSubAgentThatStopsIsAnErrorResultNotAFailedRun() {
        Agent stuck = Agent.builder()
                .name("stuck")
                .backend(ReplayBackend.of(
                        "<|channel|>commentary to=functions.nothing <|constrain|>json<|message|>{}<|call|>"))
                .maxSteps(1)
                .build();
        AgentResult r = Agent.builder()
                .backend(ReplayBackend.of(
                        "<|channel|>commentary to=functions.ask <|constrain|>json<|message|>{\"task\":\"x\"}<|call|>",
                        "<|channel|>final<|message|>It could not help.<|return|>"))
                .tools(stuck.asTool("ask", "Asks."))
                .build()
                .run("Go");
        assertEquals("It could not help.", r.finalText());
        assertTrue(
                r.toolCalls().getFirst().result().contains("MAX_STEPS"),
                r.toolCalls().getFirst().result());
    }

    @Test
    void severalRunsShareOneBackendConcurrently() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) answers.add("<|channel|>final<|message|>Answer.<|return|>");
        ReplayBackend replay = ReplayBackend.of(answers.toArray(String[]::new));
        dev.gptoss4j.agent.backend.Backend counting = new RecordingBackend(replay) {
            @Override
            public dev.gptoss4j.agent.backend.Completion complete(
                    dev.gptoss4j.agent.backend.CompletionRequest request,
                    dev.gptoss4j.agent.backend.CompletionListener listener) {
                most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(5);
                    return super.complete(request, listener);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                } finally {
                    inFlight.decrementAndGet();
                }
            }
        };
        List<AgentResult> results =
                Agent.builder().backend(counting).build().runAll(List.of("a", "b", "c", "d", "e", "f"));
        assertEquals(6, results.size());
        assertTrue(results.stream().allMatch(AgentResult::completed));
        assertEquals("c", results.get(2).conversation().messages().get(1).text(), "results in task order");
        assertEquals(1, most.get(), "a backend that takes one call at a time is never called concurrently");
        assertEquals(0, replay.remaining());
    }
}
