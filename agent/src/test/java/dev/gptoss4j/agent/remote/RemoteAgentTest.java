package dev.gptoss4j.agent.remote;

import static dev.gptoss4j.agent.AgentEvents.indexOf;
import static dev.gptoss4j.agent.AgentEvents.join;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentEvent;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.AgentRun;
import dev.gptoss4j.agent.StopReason;
import dev.gptoss4j.agent.ToolCall;
import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.backend.BackendException;
import dev.gptoss4j.agent.backend.ReplayBackend;
import dev.gptoss4j.agent.tool.ApprovalPolicy;
import dev.gptoss4j.agent.tool.ToolOutcome;
import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.HarmonyRenderer;
import dev.gptoss4j.engine.harmony.HarmonyText;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.Role;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The agent scenarios of the replay backend's tests, run on every backend: the replay itself (the reference), and
 * the remote backends against a loopback server emulating each API with the same scripted completions. The same
 * script must give the same run, whichever way the tokens travel.
 */
class RemoteAgentTest {

    enum Kind {
        REPLAY,
        CHAT_VLLM,
        CHAT_OLLAMA,
        COMPLETIONS_IDS,
        COMPLETIONS_TEXT,
        COMPLETIONS_TEXT_PROMPT;

        boolean tokenLevel() {
            return this != CHAT_VLLM && this != CHAT_OLLAMA;
        }
    }

    public static class Tools {
        final List<String> log = new ArrayList<>();

        @Tool("Current weather of a city.")
        public String getWeather(@P("city") String city) {
            log.add("weather:" + city);
            return "{\"city\":\"" + city + "\",\"sunny\":true}";
        }

        @Tool("Fails.")
        public String explode() {
            throw new IllegalStateException("boom");
        }
    }

    static final String WEATHER_CALL = "<|channel|>analysis<|message|>Need weather.<|end|>"
            + "<|start|>assistant<|channel|>commentary to=functions.getWeather <|constrain|>json"
            + "<|message|>{\"city\":\"Oslo\"}<|call|>";
    static final String FINAL = "<|channel|>analysis<|message|>It is sunny.<|end|>"
            + "<|start|>assistant<|channel|>final<|message|>Sunny in Oslo.<|return|>";

    private final Tools tools = new Tools();
    private OpenAiEmulator emulator;

    @AfterEach
    void stop() {
        if (emulator != null) emulator.close();
    }

    private Backend backend(Kind kind, String... completions) {
        if (kind == Kind.REPLAY) return ReplayBackend.of(completions);
        emulator = new OpenAiEmulator();
        if (kind == Kind.CHAT_OLLAMA) emulator.reasoningField = "reasoning";
        emulator.complete(completions);
        HttpSettings quick = HttpSettings.defaults().withMaxRetries(0).withReadTimeout(Duration.ofSeconds(5));
        return switch (kind) {
            case CHAT_VLLM ->
                ChatCompletionsBackend.builder()
                        .baseUrl(emulator.baseUrl())
                        .apiKey("sk-test")
                        .model("gpt-oss-20b")
                        .settings(quick)
                        .build();
            case CHAT_OLLAMA ->
                ChatCompletionsBackend.builder()
                        .baseUrl(emulator.baseUrl())
                        .model("gpt-oss:20b")
                        .reasoningField("reasoning")
                        .settings(quick)
                        .build();
            case COMPLETIONS_IDS ->
                CompletionsBackend.builder()
                        .baseUrl(emulator.baseUrl())
                        .model("gpt-oss-20b")
                        .settings(quick)
                        .build();
            case COMPLETIONS_TEXT ->
                CompletionsBackend.builder()
                        .baseUrl(emulator.baseUrl())
                        .model("gpt-oss-20b")
                        .tokenIds(false)
                        .settings(quick)
                        .build();
            case COMPLETIONS_TEXT_PROMPT ->
                CompletionsBackend.builder()
                        .baseUrl(emulator.baseUrl())
                        .model("gpt-oss-20b")
                        .tokenIds(false)
                        .promptAsText(true)
                        .settings(quick)
                        .build();
            case REPLAY -> throw new AssertionError();
        };
    }

    private Agent.Builder agent(Backend backend) {
        return Agent.builder()
                .backend(backend)
                .instructions("Be brief.")
                .tools(tools)
                .conversationStartDate("2025-08-05")
                .toolTimeout(Duration.ofSeconds(5));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void toolCallThenFinalAnswer(Kind kind) {
        List<AgentEvent> events = new ArrayList<>();
        AgentResult r = agent(backend(kind, WEATHER_CALL, FINAL))
                .listener(events::add)
                .build()
                .run("Weather in Oslo?");

        assertEquals(StopReason.COMPLETED, r.stopReason());
        assertEquals("Sunny in Oslo.", r.finalText());
        assertEquals(List.of("weather:Oslo"), tools.log);
        ToolCall call = r.toolCalls().getFirst();
        assertEquals("functions.getWeather", call.recipient());
        assertEquals("{\"city\":\"Oslo\"}", call.arguments());
        assertEquals("{\"city\":\"Oslo\",\"sunny\":true}", call.result());
        assertEquals(2, r.usage().modelCalls());
        assertTrue(r.usage().promptTokens() > 0);
        assertTrue(r.usage().completionTokens() > 0);

        assertEquals("Need weather.It is sunny.", join(events, AgentEvent.ReasoningDelta.class));
        assertEquals("Sunny in Oslo.", join(events, AgentEvent.FinalDelta.class));
        assertEquals("{\"city\":\"Oslo\"}", join(events, AgentEvent.ToolArgumentsDelta.class));
        int started = indexOf(events, AgentEvent.ToolCallStarted.class);
        int finished = indexOf(events, AgentEvent.ToolCallFinished.class);
        assertTrue(started >= 0 && finished > started, events.toString());

        // the conversation is the same harmony, whichever way it travelled
        List<Message> tail = r.conversation()
                .messages()
                .subList(r.conversation().size() - 5, r.conversation().size());
        assertEquals("Need weather.", tail.get(0).text());
        assertEquals("analysis", tail.get(0).channel());
        assertEquals("functions.getWeather", tail.get(1).recipient());
        assertEquals("commentary", tail.get(1).channel());
        assertEquals(Role.TOOL, tail.get(2).role());
        assertEquals("It is sunny.", tail.get(3).text());
        assertEquals("final", tail.get(4).channel());
        if (emulator != null) assertEquals(2, emulator.requests.size());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void invalidArgumentsGoBackToTheModel(Kind kind) {
        String badCall =
                "<|channel|>commentary to=functions.getWeather <|constrain|>json<|message|>{\"town\":1}<|call|>";
        AgentResult r =
                agent(backend(kind, badCall, WEATHER_CALL, FINAL)).build().run("Weather?");
        assertEquals("Sunny in Oslo.", r.finalText());
        assertEquals(ToolOutcome.Status.INVALID_ARGUMENTS, r.toolCalls().get(0).status());
        assertEquals(ToolOutcome.Status.OK, r.toolCalls().get(1).status());
        assertEquals(List.of("weather:Oslo"), tools.log);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void failingToolIsReportedNotThrown(Kind kind) {
        String call = "<|channel|>commentary to=functions.explode <|constrain|>json<|message|>{}<|call|>";
        AgentResult r = agent(backend(kind, call, "<|channel|>final<|message|>It broke.<|return|>"))
                .build()
                .run("Go");
        assertEquals("It broke.", r.finalText());
        assertEquals(ToolOutcome.Status.FAILED, r.toolCalls().getFirst().status());
        assertTrue(r.toolCalls().getFirst().result().contains("boom"));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void deniedCallIsReportedToTheModel(Kind kind) {
        AgentResult r = agent(backend(kind, WEATHER_CALL, "<|channel|>final<|message|>Not allowed.<|return|>"))
                .approvalPolicy(ApprovalPolicy.perTool().ask("functions.getWeather", req -> false))
                .build()
                .run("Weather?");
        assertEquals("Not allowed.", r.finalText());
        assertTrue(tools.log.isEmpty());
        assertEquals(ToolOutcome.Status.DENIED, r.toolCalls().getFirst().status());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void maxStepsStopsTheLoop(Kind kind) {
        AgentResult r = agent(backend(kind, WEATHER_CALL, WEATHER_CALL, WEATHER_CALL))
                .maxSteps(2)
                .build()
                .run("Weather?");
        assertEquals(StopReason.MAX_STEPS, r.stopReason());
        assertEquals(2, r.toolCalls().size());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void cancellationFromListenerLeavesConsistentConversation(Kind kind) {
        AgentRun[] run = new AgentRun[1];
        Agent a = agent(backend(kind, WEATHER_CALL, FINAL))
                .listener(e -> {
                    if (e instanceof AgentEvent.ToolArgumentsDelta) run[0].cancel();
                })
                .build();
        run[0] = a.newRun("Weather?");
        AgentResult r = run[0].execute();
        assertEquals(StopReason.CANCELLED, r.stopReason());
        assertTrue(tools.log.isEmpty(), "the half-written call never ran");
        assertEquals("Need weather.", r.conversation().messages().getLast().text(), "only complete messages are kept");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void earlierTurnsAnalysisIsHiddenFromTheModel(Kind kind) {
        Agent a = agent(backend(
                        kind,
                        FINAL,
                        "<|channel|>analysis<|message|>Second thought.<|end|>"
                                + "<|start|>assistant<|channel|>final<|message|>Still sunny.<|return|>"))
                .build();
        AgentResult first = a.run("Weather?");
        AgentResult second = a.run(first.conversation().append(Message.user("And now?")));
        assertEquals("Still sunny.", second.finalText());
        if (emulator != null) {
            String shown = shown(emulator.requests.get(1).body());
            assertFalse(shown.contains("It is sunny."), shown);
            assertTrue(shown.contains("Sunny in Oslo."), shown);
        }
        assertTrue(second.conversation().messages().stream().anyMatch(m -> "It is sunny.".equals(m.text())));
    }

    public record Forecast(String city, int temperature, boolean sunny) {}

    @ParameterizedTest
    @EnumSource(Kind.class)
    void typedAnswerIsParsedValidatedAndRetried(Kind kind) {
        Forecast f = agent(backend(
                        kind,
                        "<|channel|>final<|message|>{\"city\":\"Oslo\",\"temperature\":\"warm\",\"sunny\":true}<|return|>",
                        "<|channel|>final<|message|>{\"city\":\"Oslo\",\"temperature\":21,\"sunny\":true}<|return|>"))
                .build()
                .run("Forecast for Oslo", Forecast.class);
        assertEquals(new Forecast("Oslo", 21, true), f);
        if (kind == Kind.CHAT_VLLM) {
            JsonNode format = emulator.requests.getFirst().body().path("response_format");
            assertEquals("json_schema", format.path("type").asText());
            assertTrue(format.at("/json_schema/schema/properties").has("temperature"), format.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void malformedOutputIsCorrectedOnTokenLevelBackends(Kind kind) {
        if (!kind.tokenLevel()) return; // a chat server parses harmony itself; it never hands back broken format
        AgentResult r = agent(
                        backend(kind, "<|channel|>final<|return|>", "<|channel|>final<|message|>Fixed.<|return|>"))
                .build()
                .run("Hi");
        assertEquals("Fixed.", r.finalText());
        Message told = r.conversation().messages().get(r.conversation().size() - 2);
        assertEquals(Role.DEVELOPER, told.role());
    }

    @ParameterizedTest
    @EnumSource(
            value = Kind.class,
            names = {"REPLAY"},
            mode = EnumSource.Mode.EXCLUDE)
    void droppedConnectionIsAClearErrorAndTheConversationGoesOn(Kind kind) {
        Backend backend = backend(kind, WEATHER_CALL);
        emulator.dropMidStream(FINAL);
        Agent a = agent(backend).build();
        AgentRun run = a.newRun("Weather?");
        BackendException e = assertThrows(BackendException.class, run::execute);
        assertTrue(e.getMessage().contains(emulator.baseUrl()), e.getMessage());
        assertTrue(e.getMessage().matches("(?s).*(broke off|ended|dropped).*"), e.getMessage());
        Conversation kept = run.conversation();
        assertEquals(Role.TOOL, kept.messages().getLast().role(), "the tool result is kept; no half message");
        assertEquals(List.of("weather:Oslo"), tools.log);

        emulator.complete(FINAL);
        AgentResult r = a.run(kept);
        assertEquals("Sunny in Oslo.", r.finalText());
        assertEquals(List.of("weather:Oslo"), tools.log, "the tool did not run again");
    }

    @ParameterizedTest
    @EnumSource(
            value = Kind.class,
            names = {"REPLAY"},
            mode = EnumSource.Mode.EXCLUDE)
    void streamThatStopsWithoutFinishIsAClearError(Kind kind) {
        Backend backend = backend(kind);
        emulator.truncate(FINAL);
        BackendException e = assertThrows(
                BackendException.class, () -> agent(backend).build().run("Weather?"));
        assertTrue(e.getMessage().contains("without a finish_reason"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(
            value = Kind.class,
            names = {"REPLAY", "COMPLETIONS_IDS", "COMPLETIONS_TEXT"})
    void tokenLimitPerCallIsRetriedWithAShorterAnswer(Kind kind) {
        String rambling = "<|channel|>analysis<|message|>" + "hmm ".repeat(40) + "<|end|>"
                + "<|start|>assistant<|channel|>final<|message|>Late.<|return|>";
        AgentResult r = agent(backend(kind, rambling, "<|channel|>final<|message|>Short.<|return|>"))
                .maxTokensPerCall(20)
                .build()
                .run("Hi");
        assertEquals("Short.", r.finalText());
        assertTrue(r.conversation().messages().stream()
                .anyMatch(m -> m.role() == Role.DEVELOPER && m.text().contains("cut off at 20 tokens")));
        if (emulator != null)
            assertEquals(
                    20, emulator.requests.getFirst().body().path("max_tokens").asInt());
    }

    @ParameterizedTest
    @EnumSource(
            value = Kind.class,
            names = {"COMPLETIONS_IDS", "COMPLETIONS_TEXT"})
    void completionsPromptIsTheHarmonyRenderingAsTokenIds(Kind kind) {
        Agent a = agent(backend(kind, WEATHER_CALL, FINAL)).build();
        AgentResult r = a.run("Weather in Oslo?");
        JsonNode second = emulator.requests.get(1).body();
        // the prompt of the second call is exactly the conversation up to the tool result, rendered
        Conversation upToTool = Conversation.of(
                r.conversation().messages().subList(0, r.conversation().size() - 2));
        int[] expected = HarmonyRenderer.create().renderForCompletion(upToTool);
        assertEquals(expected.length, second.path("prompt").size());
        for (int i = 0; i < expected.length; i++)
            assertEquals(expected[i], second.path("prompt").get(i).asInt());
        assertEquals("[200002,200012]", second.path("stop_token_ids").toString());
        assertFalse(second.path("skip_special_tokens").asBoolean(true));
        assertEquals(
                kind == Kind.COMPLETIONS_IDS,
                second.path("return_tokens_as_token_ids").asBoolean(false));
        assertNull(emulator.requests.get(1).authorization(), "no key configured: no Authorization header");
    }

    /** What the server was shown: the chat messages, or the prompt's tokens as text. */
    private static String shown(JsonNode body) {
        JsonNode prompt = body.path("prompt");
        if (!prompt.isArray()) return body.toString();
        int[] ids = new int[prompt.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = prompt.get(i).asInt();
        return HarmonyText.detokenize(ids);
    }
}
