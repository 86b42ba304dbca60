package dev.gptoss4j.agent;

import static org.junit.jupiter.api.Assertions.*;

import dev.gptoss4j.agent.backend.ReplayBackend;
import dev.gptoss4j.agent.exception.AgentException;
import dev.gptoss4j.agent.store.ConversationStore;
import dev.gptoss4j.agent.store.ToolStateReset;
import dev.gptoss4j.agent.tool.Approval;
import dev.gptoss4j.agent.tool.ApprovalPolicy;
import dev.gptoss4j.agent.tool.ToolOutcome;
import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.Role;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stored sessions, and an approval that suspends a run until a later call (another process) decides. */
class SessionTest {

    public static class Bank {
        final List<String> transfers = new ArrayList<>();

        @Tool("Transfers money.")
        public String transfer(@P("to") String to, @P("amount") int amount) {
            transfers.add(to + ":" + amount);
            return "sent " + amount + " to " + to;
        }
    }

    static final String TRANSFER = "<|channel|>commentary to=functions.transfer <|constrain|>json"
            + "<|message|>{\"to\":\"Ada\",\"amount\":50}<|call|>";

    private static Agent.Builder bank(ReplayBackend replay, Bank bank, ConversationStore store) {
        return Agent.builder()
                .backend(replay)
                .tools(bank)
                .store(store)
                .conversationStartDate("2025-08-05")
                .approvalPolicy(ApprovalPolicy.perTool().suspend("functions.transfer"));
    }

    @Test
    void aStoredSessionGoesOnInAnotherProcess(@TempDir Path dir) throws Exception {
        Agent first = Agent.builder()
                .backend(ReplayBackend.of("<|channel|>final<|message|>Hi Ada.<|return|>"))
                .store(ConversationStore.files(dir))
                .build();
        assertEquals("Hi Ada.", first.run("chat-1", "I am Ada.").finalText());
        assertEquals(List.of("chat-1"), ConversationStore.files(dir).ids());
        assertFalse(Files.list(dir).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp left");

        // a new agent, a new store object: as another process would
        RecordingBackend later =
                new RecordingBackend(ReplayBackend.of("<|channel|>final<|message|>You are Ada.<|return|>"));
        Agent second = Agent.builder()
                .backend(later)
                .store(ConversationStore.files(dir))
                .build();
        AgentResult r = second.run("chat-1", "Who am I?");
        assertEquals("You are Ada.", r.finalText());
        Conversation shown = later.seen.getFirst();
        assertTrue(shown.messages().stream().anyMatch(m -> "I am Ada.".equals(m.text())), "the history came along");
        assertEquals(
                1,
                shown.messages().stream().filter(m -> m.role() == Role.SYSTEM).count());
        assertEquals(
                r.conversation(), ConversationStore.files(dir).load("chat-1").orElseThrow());
    }

    @Test
    void aSuspendedCallIsStoredAndRunsWhenApprovedLater(@TempDir Path dir) throws Exception {
        Bank bank = new Bank();
        ReplayBackend replay = ReplayBackend.of(TRANSFER, "<|channel|>final<|message|>Sent 50 to Ada.<|return|>");
        List<AgentEvent> events = new ArrayList<>();
        AgentResult suspended = bank(replay, bank, ConversationStore.files(dir))
                .listener(events::add)
                .build()
                .run("pay-7", "Send Ada 50.");
        assertEquals(StopReason.SUSPENDED, suspended.stopReason());
        assertTrue(bank.transfers.isEmpty(), "nothing ran before the decision");
        assertEquals(
                new PendingCall("functions.transfer", "{\"to\":\"Ada\",\"amount\":50}"),
                suspended.pendingCall().orElseThrow());
        assertTrue(events.stream().anyMatch(e -> e instanceof AgentEvent.Suspended));
        String doc = Files.readString(dir.resolve("pay-7.json"));
        assertTrue(doc.contains("\"pending_call\""), doc);

        // later, elsewhere: a person approves
        Agent later = bank(replay, bank, ConversationStore.files(dir)).build();
        assertThrows(AgentException.class, () -> later.run("pay-7", "Hello?"), "a waiting call needs a decision");
        AgentResult done = later.resume("pay-7", Approval.allow());
        assertEquals("Sent 50 to Ada.", done.finalText());
        assertEquals(List.of("Ada:50"), bank.transfers);
        assertEquals(ToolOutcome.Status.OK, done.toolCalls().getFirst().status());
        assertFalse(Files.readString(dir.resolve("pay-7.json")).contains("pending_call"));
    }

    @Test
    void aRefusalIsToldToTheModel() {
        Bank bank = new Bank();
        ReplayBackend replay =
                ReplayBackend.of(TRANSFER, "<|channel|>final<|message|>The transfer was refused." + "<|return|>");
        Agent agent = bank(replay, bank, ConversationStore.inMemory()).build();
        AgentResult suspended = agent.run("s", "Send Ada 50.");
        AgentResult done = agent.resume(suspended.conversation(), Approval.deny("over the daily limit"));
        assertEquals("The transfer was refused.", done.finalText());
        assertTrue(bank.transfers.isEmpty());
        assertEquals(ToolOutcome.Status.DENIED, done.toolCalls().getFirst().status());
        assertTrue(done.toolCalls().getFirst().result().contains("over the daily limit"));
    }

    @Test
    void aResumedSessionWhoseNotebookWasUsedTellsTheModelItsStateWasReset() {
        ConversationStore store = ConversationStore.inMemory();
        store.save(
                "nb",
                Conversation.of(
                        Message.user("Set x."),
                        Message.assistant("analysis", "x = 42").withRecipient("python"),
                        Message.tool("python", "")));
        store.save("plain", Conversation.of(Message.user("Hi"), Message.assistant("final", "Hello.")));
        RecordingBackend backend = new RecordingBackend(ReplayBackend.of(
                "<|channel|>final<|message|>Ok.<|return|>",
                "<|channel|>final<|message|>Ok again.<|return|>",
                "<|channel|>final<|message|>Hi.<|return|>"));
        Agent agent = Agent.builder()
                .backend(backend)
                .tools(new ToolFailureBudgetTest.ScriptedNotebook())
                .store(store)
                .build();
        agent.run("nb", "print(x)");
        assertTrue(backend.seen.getFirst().messages().stream()
                .anyMatch(m -> m.role() == Role.DEVELOPER && m.text().equals(ToolStateReset.NOTE)));
        agent.run("nb", "again");
        assertEquals(
                1,
                backend.seen.get(1).messages().stream()
                        .filter(m -> m.text().equals(ToolStateReset.NOTE))
                        .count(),
                "no second note: the notebook was not used since");
        agent.run("plain", "Hi again");
        assertTrue(
                backend.seen.get(2).messages().stream().noneMatch(m -> m.text().equals(ToolStateReset.NOTE)),
                "a session that never used stateful tools lost nothing");
    }

    @Test
    void sessionIdsCannotLeaveTheDirectory(@TempDir Path dir) {
        ConversationStore store = ConversationStore.files(dir.resolve("sessions"));
        for (String bad : new String[] {"../escape", "a/b", ".hidden", "", "x".repeat(200), "c:\\x"}) {
            assertThrows(IllegalArgumentException.class, () -> store.save(bad, Conversation.of()), bad);
        }
        assertFalse(Files.exists(dir.resolve("escape.json")));
    }

    @Test
    void aDamagedSessionFileIsAClearError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("broken.json"), "{\"id\":\"broken\"}");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ConversationStore.files(dir).load("broken"));
        assertTrue(e.getMessage().contains("broken.json") && e.getMessage().contains("conversation"), e.getMessage());
    }
}
