package dev.gptoss4j.agent.tool;

import static org.junit.jupiter.api.Assertions.*;

import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.backend.ReplayBackend;
import dev.gptoss4j.engine.harmony.Message;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Tool state belongs to a scope: made per scope, never shared between scopes, closed with its scope. */
class ToolScopeTest {

    /** The state a stateful tool keeps in a scope: a counter that knows whether it was closed. */
    static final class Tally implements AutoCloseable {
        final AtomicInteger count = new AtomicInteger();
        volatile boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }

    /** A stateful tool: counts its calls per scope, and remembers every state it made. */
    static final class Counter implements Tool {
        final List<Tally> made = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "count";
        }

        @Override
        public String description() {
            return "Counts its calls in this conversation.";
        }

        @Override
        public com.fasterxml.jackson.databind.JsonNode parameters() {
            return Schemas.parse("{\"type\":\"object\",\"properties\":{}}");
        }

        @Override
        public ToolResult execute(ToolArguments arguments) {
            Tally t = arguments.scope().state(this, () -> {
                Tally n = new Tally();
                made.add(n);
                return n;
            });
            return ToolResult.of("call " + t.count.incrementAndGet());
        }
    }

    private static final String CALL =
            "<|channel|>commentary to=functions.count <|constrain|>json<|message|>{}<|call|>";
    private static final String DONE = "<|channel|>final<|message|>done<|return|>";

    @Test
    void stateIsMadeOncePerKeyAndScope() {
        try (ToolScope a = ToolScope.create();
                ToolScope b = ToolScope.create()) {
            Object key = new Object();
            Tally first = a.state(key, Tally::new);
            assertSame(first, a.state(key, Tally::new));
            assertNotSame(first, b.state(key, Tally::new), "another scope never sees this one's state");
            assertNotSame(first, a.state(new Object(), Tally::new), "another key has its own state");
            assertSame(first, a.existing(key));
            assertNull(b.existing(new Object()));
            assertNotEquals(a.id(), b.id());
        }
    }

    @Test
    void closingClosesEveryStateNewestFirstEvenWhenOneFails() {
        List<String> order = new ArrayList<>();
        ToolScope scope = ToolScope.create();
        scope.state("a", () -> (AutoCloseable) () -> order.add("a"));
        scope.state("b", () -> (AutoCloseable) () -> {
            order.add("b");
            throw new java.io.IOException("disk gone");
        });
        scope.state("c", () -> (AutoCloseable) () -> order.add("c"));
        scope.state("plain", () -> "not closeable");
        IllegalStateException e = assertThrows(IllegalStateException.class, scope::close);
        assertTrue(e.getMessage().contains("disk gone"), e.getMessage());
        assertEquals(List.of("c", "b", "a"), order, "a failing close does not leave the others open");
        assertTrue(scope.isClosed());
        scope.close(); // twice: nothing happens
        assertEquals(3, order.size());
    }

    @Test
    void aClosedScopeRefusesNewState() {
        ToolScope scope = ToolScope.create();
        scope.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> scope.state("k", Tally::new));
        assertTrue(e.getMessage().contains(scope.id()), e.getMessage());
        assertNull(scope.existing("k"));
        assertThrows(IllegalStateException.class, () -> scope.state("k", () -> null));
    }

    @Test
    void aFactoryThatMakesNothingIsAnError() {
        try (ToolScope scope = ToolScope.create()) {
            assertThrows(IllegalStateException.class, () -> scope.state("k", () -> null));
        }
    }

    @Test
    void eachRunOfOneAgentGetsAFreshScopeClosedWhenTheRunEnds() {
        Counter counter = new Counter();
        Agent agent = Agent.builder()
                .backend(ReplayBackend.of(CALL, CALL, DONE, CALL, DONE))
                .tools(counter)
                .build();
        AgentResult first = agent.run("count twice");
        assertEquals(
                List.of("call 1", "call 2"),
                first.toolCalls().stream().map(c -> c.result()).toList());
        AgentResult second = agent.run("count once");
        assertEquals("call 1", second.toolCalls().getFirst().result(), "the second run starts from nothing");
        assertEquals(2, counter.made.size());
        assertTrue(counter.made.stream().allMatch(t -> t.closed), "each run closed its scope at its end");
    }

    @Test
    void aConversationKeepsItsScopeOverRunsAndTheCallerClosesIt() {
        Counter counter = new Counter();
        Agent agent = Agent.builder()
                .backend(ReplayBackend.of(CALL, DONE, CALL, DONE, CALL, DONE))
                .tools(counter)
                .build();
        try (ToolScope chat = ToolScope.create()) {
            AgentResult first = agent.run("count", chat);
            AgentResult second = agent.run(first.conversation().append(Message.user("again")), chat);
            assertEquals("call 2", second.toolCalls().getFirst().result(), "the conversation's state went on");
            assertFalse(counter.made.getFirst().closed, "a scope the caller gave stays open after the run");
            AgentResult other = agent.run("count elsewhere");
            assertEquals("call 1", other.toolCalls().getFirst().result(), "another conversation sees none of it");
        }
        assertTrue(counter.made.getFirst().closed, "closing the scope closed the state");
    }

    @Test
    void aCallInAClosedScopeIsAFailedToolResultNotACrash() {
        Counter counter = new Counter();
        Agent agent = Agent.builder()
                .backend(ReplayBackend.of(CALL, DONE))
                .tools(counter)
                .build();
        ToolScope closed = ToolScope.create();
        closed.close();
        AgentResult r = agent.run("count", closed);
        assertEquals("done", r.finalText());
        assertFalse(r.toolCalls().getFirst().ok());
        assertTrue(
                r.toolCalls().getFirst().result().contains("closed"),
                r.toolCalls().getFirst().result());
    }

    @Test
    void concurrentScopesNeverShareState() throws Exception {
        Counter counter = new Counter();
        ToolRunner runner = new ToolRunner(
                new ToolSet(List.of(counter)), ApprovalPolicy.allowAll(), java.time.Duration.ofSeconds(10), 100);
        int threads = 8;
        int calls = 25;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        Set<String> failures = java.util.concurrent.ConcurrentHashMap.newKeySet();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                try (ToolScope scope = ToolScope.create()) {
                    start.await();
                    for (int i = 1; i <= calls; i++) {
                        String out = runner.run("functions.count", "{}", scope, () -> false)
                                .text();
                        if (!out.equals("call " + i)) failures.add(out + " where call " + i + " was due");
                    }
                } catch (InterruptedException e) {
                    failures.add("interrupted");
                }
            }));
        }
        start.countDown();
        for (Thread w : workers) assertTrue(w.join(java.time.Duration.ofSeconds(30)));
        assertEquals(Set.of(), failures);
        assertEquals(threads, new HashSet<>(counter.made).size());
        assertTrue(counter.made.stream().allMatch(t -> t.closed && t.count.get() == calls));
    }
}
