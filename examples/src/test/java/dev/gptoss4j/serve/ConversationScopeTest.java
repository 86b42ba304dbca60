package dev.gptoss4j.serve;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gptoss4j.agent.backend.CompletionRequest;
import dev.gptoss4j.agent.tool.FunctionTool;
import dev.gptoss4j.agent.tool.ToolResult;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.Role;
import dev.gptoss4j.serve.openai.ApiSettings;
import dev.gptoss4j.tools.code.PythonTool;
import dev.gptoss4j.tools.sandbox.PythonSandbox;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Server conversations own their tool state: concurrent clients never see each other's python variables or files,
 * a request continuing a conversation ({@code previous_response_id}) sees its own, and evicted or unkept
 * conversations have their scopes closed.
 */
class ConversationScopeTest {

    /** The user's message is python code: the model runs it, then answers with what it printed. */
    private static String runTheCode(CompletionRequest r) {
        Message last = r.conversation().messages().getLast();
        if (last.role() == Role.TOOL) return "<|channel|>final<|message|>ran it<|return|>";
        return "<|channel|>analysis to=python code<|message|>" + last.text() + "<|call|>";
    }

    private static String responses(String input, String previous) {
        StringBuilder body = new StringBuilder("{\"model\": \"m\", \"tools\": [{\"type\": \"code_interpreter\"}], "
                + "\"input\": " + Http.JSON.valueToTree(input));
        if (previous != null)
            body.append(", \"previous_response_id\": \"").append(previous).append('"');
        return body.append('}').toString();
    }

    /** What the python call of a response printed. */
    private static String printed(JsonNode response) {
        for (JsonNode item : response.get("output")) {
            if (item.get("type").asText().equals("code_interpreter_call")) {
                return item.get("outputs").get(0).get("logs").asText().strip();
            }
        }
        throw new AssertionError("no python call in " + response);
    }

    private static JsonNode post(OpenAiServer s, String body) {
        try {
            HttpResponse<String> r = Http.post(s.baseUrl() + "/responses", body);
            assertEquals(200, r.statusCode(), r.body());
            return Http.json(r);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void concurrentClientsCannotReadEachOthersVariablesOrFilesAndContinuedConversationsSeeTheirOwn() throws Exception {
        AtomicInteger active = new AtomicInteger();
        AtomicInteger maxActive = new AtomicInteger();
        List<ScriptedBackend> backends = List.of(
                new ScriptedBackend(ConversationScopeTest::runTheCode, 200, active, maxActive),
                new ScriptedBackend(ConversationScopeTest::runTheCode, 200, active, maxActive));
        // generous timeouts: two GraalPy contexts start at once on a loaded machine
        try (PythonTool python = PythonTool.of(
                        PythonSandbox.builder().timeout(Duration.ofSeconds(100)).build());
                OpenAiServer s = OpenAiServer.builder()
                        .backends(backends)
                        .port(0)
                        .settings(ApiSettings.defaults("m")
                                .withBuiltInTools(List.of(python))
                                .withToolTimeout(Duration.ofSeconds(110)))
                        .build()
                        .start()) {
            String write = "secret = '%s'\nwith open('/mnt/data/secret.txt', 'w') as f:\n    f.write(secret)\n"
                    + "print('stored')";
            CompletableFuture<JsonNode> alice =
                    CompletableFuture.supplyAsync(() -> post(s, responses(write.formatted("alice"), null)));
            CompletableFuture<JsonNode> bob =
                    CompletableFuture.supplyAsync(() -> post(s, responses(write.formatted("bob"), null)));
            JsonNode a1 = alice.get();
            JsonNode b1 = bob.get();
            assertEquals("stored", printed(a1));
            assertEquals("stored", printed(b1));

            String read =
                    "import os\nprint(secret, open('/mnt/data/secret.txt').read(), sorted(os.listdir('/mnt/data')))";
            CompletableFuture<JsonNode> alice2 = CompletableFuture.supplyAsync(
                    () -> post(s, responses(read, a1.get("id").asText())));
            CompletableFuture<JsonNode> bob2 = CompletableFuture.supplyAsync(
                    () -> post(s, responses(read, b1.get("id").asText())));
            assertEquals("alice alice ['secret.txt']", printed(alice2.get()), "alice's conversation sees only hers");
            assertEquals("bob bob ['secret.txt']", printed(bob2.get()), "bob's conversation sees only his");
            assertEquals(2, maxActive.get(), "the two clients really ran at the same time");

            // a stranger, not continuing anything, finds an empty notebook and an empty /mnt/data
            JsonNode stranger =
                    post(s, responses("import os\nprint(sorted(os.listdir('/mnt/data')))\nprint(secret)", null));
            String out = printed(stranger);
            assertTrue(out.startsWith("[]"), out);
            assertTrue(out.contains("NameError"), out);

            // the continued conversation moved on: its older response no longer continues it
            var stale = Http.post(
                    s.baseUrl() + "/responses",
                    responses("print(secret)", a1.get("id").asText()));
            assertEquals(400, stale.statusCode(), stale.body());
            assertEquals(
                    "previous_response_id",
                    Http.json(stale).get("error").get("param").asText());
        }
    }

    /** A stand-in python tool whose per-conversation state records that it was closed. */
    private static final class Recorder {
        final List<AtomicInteger> closes = new CopyOnWriteArrayList<>();
        final FunctionTool tool = FunctionTool.builder()
                .namespace("python")
                .name("python")
                .description("python")
                .parameters(null)
                .handler(args -> {
                    AutoCloseable state = args.scope().state(this, () -> {
                        AtomicInteger closed = new AtomicInteger();
                        closes.add(closed);
                        return (AutoCloseable) closed::incrementAndGet;
                    });
                    return ToolResult.of("state " + System.identityHashCode(state) + "\n");
                })
                .build();
    }

    @Test
    void theLeastRecentlyUsedConversationIsEvictedWithItsScopeWhenTheServerIsFull() throws Exception {
        Recorder recorder = new Recorder();
        try (OpenAiServer s = OpenAiServer.builder()
                .backend(new ScriptedBackend(ConversationScopeTest::runTheCode, 0))
                .port(0)
                .maxConversations(2)
                .settings(ApiSettings.defaults("m").withBuiltInTools(List.of(recorder.tool)))
                .build()
                .start()) {
            JsonNode a = post(s, responses("a", null));
            JsonNode b = post(s, responses("b", null));
            assertEquals(2, s.conversations().live());
            assertEquals(
                    List.of(0, 0),
                    recorder.closes.stream().map(AtomicInteger::get).toList());
            JsonNode b2 = post(s, responses("b again", b.get("id").asText())); // b is now the most recent
            assertEquals(printed(b), printed(b2), "the continued conversation has the same tool state");
            post(s, responses("c", null));
            assertEquals(2, s.conversations().live());
            assertEquals(1, recorder.closes.get(0).get(), "a, least recently used, was evicted and closed");
            assertEquals(0, recorder.closes.get(1).get());
            var gone = Http.post(
                    s.baseUrl() + "/responses", responses("a again", a.get("id").asText()));
            assertEquals(400, gone.statusCode(), gone.body());
            assertTrue(Http.json(gone).get("error").get("message").asText().contains("evicted"));
        }
        assertTrue(recorder.closes.stream().allMatch(c -> c.get() == 1), "closing the server closed every scope");
    }

    @Test
    void idleConversationsAreEvictedAndUnkeptOnesClosedAtOnce() throws Exception {
        Recorder recorder = new Recorder();
        try (OpenAiServer s = OpenAiServer.builder()
                .backend(new ScriptedBackend(ConversationScopeTest::runTheCode, 0))
                .port(0)
                .conversationIdleTimeout(Duration.ofMillis(300))
                .settings(ApiSettings.defaults("m").withBuiltInTools(List.of(recorder.tool)))
                .build()
                .start()) {
            String unkept = responses("x", null).replace("{\"model\"", "{\"store\": false, \"model\"");
            JsonNode notStored = post(s, unkept);
            assertFalse(notStored.get("store").asBoolean());
            assertEquals(1, recorder.closes.getFirst().get(), "store: false closes the scope with the response");
            assertEquals(0, s.conversations().live());

            JsonNode kept = post(s, responses("y", null));
            assertTrue(kept.get("store").asBoolean());
            assertEquals(1, s.conversations().live());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (s.conversations().live() > 0 && System.nanoTime() < deadline) Thread.sleep(20);
            assertEquals(0, s.conversations().live(), "the idle conversation was swept");
            assertEquals(1, recorder.closes.get(1).get(), "and its scope closed");
            var gone = Http.post(
                    s.baseUrl() + "/responses",
                    responses("y again", kept.get("id").asText()));
            assertEquals(400, gone.statusCode());
        }
    }

    @Test
    void oneConversationIsContinuedByOneRequestAtATime() throws Exception {
        Recorder recorder = new Recorder();
        ScriptedBackend backend = new ScriptedBackend(ConversationScopeTest::runTheCode, 0);
        try (OpenAiServer s = OpenAiServer.builder()
                .backends(List.of(backend, backend))
                .port(0)
                .settings(ApiSettings.defaults("m").withBuiltInTools(List.of(recorder.tool)))
                .build()
                .start()) {
            JsonNode first = post(s, responses("a", null));
            CountDownLatch gate = new CountDownLatch(1);
            backend.gate = gate;
            CompletableFuture<JsonNode> going = CompletableFuture.supplyAsync(
                    () -> post(s, responses("b", first.get("id").asText())));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (backend.active.get() == 0 && System.nanoTime() < deadline) Thread.sleep(10);
            var second = Http.post(
                    s.baseUrl() + "/responses", responses("c", first.get("id").asText()));
            assertEquals(409, second.statusCode(), second.body());
            assertEquals(
                    "conversation_busy",
                    Http.json(second).get("error").get("code").asText());
            gate.countDown();
            backend.gate = null;
            assertEquals(printed(first), printed(going.get()));
        }
    }

    @Test
    void aStreamedResponseCanBeContinuedAsSoonAsItCompletes() throws Exception {
        Recorder recorder = new Recorder();
        try (OpenAiServer s = OpenAiServer.builder()
                .backend(new ScriptedBackend(ConversationScopeTest::runTheCode, 0))
                .port(0)
                .settings(ApiSettings.defaults("m").withBuiltInTools(List.of(recorder.tool)))
                .build()
                .start()) {
            String streamed = responses("a", null).replace("{\"model\"", "{\"stream\": true, \"model\"");
            List<Http.Event> events = Http.stream(s.baseUrl() + "/responses", streamed);
            JsonNode completed = events.getLast().json().get("response");
            assertEquals("response.completed", events.getLast().name());
            JsonNode next = post(s, responses("b", completed.get("id").asText()));
            assertEquals(printed(completed), printed(next), "the same tool state, continued right away");
        }
    }
}
