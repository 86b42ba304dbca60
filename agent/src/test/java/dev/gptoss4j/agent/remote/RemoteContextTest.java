package dev.gptoss4j.agent.remote;

import static org.junit.jupiter.api.Assertions.*;

import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.StopReason;
import dev.gptoss4j.agent.backend.Backend;
import java.util.OptionalInt;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.Test;

/** A server's "prompt too long" answer stops a run with CONTEXT_FULL; the window can be told to the builder. */
class RemoteContextTest {

    @Test
    void aServersContextLengthErrorBecomesContextFull() {
        try (OpenAiEmulator emulator = new OpenAiEmulator()) {
            emulator.then(body -> new MockResponse()
                    .setResponseCode(400)
                    .setBody("{\"error\":{\"message\":"
                            + "\"This model's maximum context length is 8192 tokens. However, you requested 9100 tokens "
                            + "(8000 in the messages, 1100 in the completion).\",\"type\":\"BadRequestError\"}}"));
            Backend backend = ChatCompletionsBackend.builder()
                    .baseUrl(emulator.baseUrl())
                    .model("gpt-oss-20b")
                    .build();
            AgentResult r = Agent.builder().backend(backend).build().run("Summarize everything.");
            assertEquals(StopReason.CONTEXT_FULL, r.stopReason());
            assertEquals(
                    "Summarize everything.",
                    r.conversation().messages().getLast().text());
        }
    }

    @Test
    void otherBadRequestsStayErrors() {
        try (OpenAiEmulator emulator = new OpenAiEmulator()) {
            emulator.then(body -> new MockResponse()
                    .setResponseCode(400)
                    .setBody("{\"error\":{\"message\":\"unknown field 'foo'\"}}"));
            Backend backend = CompletionsBackend.builder()
                    .baseUrl(emulator.baseUrl())
                    .model("gpt-oss-20b")
                    .build();
            HttpCallException e = assertThrows(
                    HttpCallException.class,
                    () -> Agent.builder().backend(backend).build().run("Hi"));
            assertEquals(400, e.status());
        }
    }

    @Test
    void theWindowIsConfiguredOnTheBuilder() {
        assertEquals(
                OptionalInt.of(131072),
                ChatCompletionsBackend.builder()
                        .baseUrl("http://127.0.0.1:9/v1")
                        .model("m")
                        .contextWindow(131072)
                        .build()
                        .contextWindow());
        assertEquals(
                OptionalInt.empty(),
                CompletionsBackend.builder()
                        .baseUrl("http://127.0.0.1:9/v1")
                        .model("m")
                        .build()
                        .contextWindow());
        assertThrows(
                IllegalArgumentException.class,
                () -> ChatCompletionsBackend.builder().contextWindow(0));
    }
}
