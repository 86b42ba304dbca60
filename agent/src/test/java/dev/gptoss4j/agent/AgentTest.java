package dev.gptoss4j.agent;

import static dev.gptoss4j.agent.AgentEvents.indexOf;
import static dev.gptoss4j.agent.AgentEvents.join;
import static org.junit.jupiter.api.Assertions.*;

import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.backend.BackendException;
import dev.gptoss4j.agent.backend.ReplayBackend;
import dev.gptoss4j.agent.exception.AgentException;
import dev.gptoss4j.agent.tool.ApprovalPolicy;
import dev.gptoss4j.agent.tool.ToolOutcome;
import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.HarmonyRenderer;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.RenderOptions;
import dev.gptoss4j.engine.harmony.Role;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentTest {

    /** Tools the scripted model calls. */
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

        @Tool("Sleeps for a long time.")
        public String nap() throws InterruptedException {
            Thread.sleep(20_000);
            return "rested";
        }
    }

    static final String WEATHER_CALL = "<|channel|>analysis<|message|>Need weather.<|end|>"
            + "<|start|>assistant<|channel|>commentary to=functions.getWeather <|constrain|>json"
            + "<|message|>{\"city\":\"Oslo\"}<|call|>";
    static final String FINAL = "<|channel|>analysis<|message|>It is sunny.<|end|>"
            + "<|start|>assistant<|channel|>final<|message|>Sunny in Oslo.<|return|>";

    private final Tools tools = new Tools();

    private Agent.Builder agent(Backend backend) {
        return Agent.builder()
                .backend(backend)
                .instructions("Be brief.")
                .tools(tools)
                .conversationStartDate("2025-08-05")
                .toolTimeout(Duration.ofSeconds(5));
    }

    private static String renderText(Conversation c) {
        HarmonyRenderer r = HarmonyRenderer.create();
        return r.renderText(c, RenderOptions.conversation().keepAnalysis());
    }

    @Test
    void toolCallThenFinalAnswer() {
        List<AgentEvent> events = new ArrayList<>();
        RecordingBackend backend = new RecordingBackend(ReplayBackend.of(WEATHER_CALL, FINAL));
        AgentResult r = agent(backend).listener(events::add).build().run("Weather in Oslo?");

        assertEquals(StopReason.COMPLETED, r.stopReason());
        assertEquals("Sunny in Oslo.", r.finalText());
        assertEquals(List.of("weather:Oslo"), tools.log);
        assertEquals(1, r.toolCalls().size());
        ToolCall call = r.toolCalls().getFirst();
        assertEquals("functions.getWeather", call.recipient());
        assertEquals("{\"city\":\"Oslo\"}", call.arguments());
        assertEquals("{\"city\":\"Oslo\",\"sunny\":true}", call.result());
        assertEquals(2, r.usage().modelCalls());
        assertTrue(r.usage().promptTokens() > 100, "prompt tokens counted from the rendered prompt");
        assertTrue(r.usage().completionTokens() > 20);

        // the tool's answer is rendered as the model expects it
        String text = renderText(r.conversation());
        assertTrue(
                text.contains("<|start|>functions.getWeather to=assistant<|channel|>commentary<|message|>"
                        + "{\"city\":\"Oslo\",\"sunny\":true}<|end|>"),
                text);
        assertTrue(
                text.contains("<|start|>assistant to=functions.getWeather<|channel|>commentary <|constrain|>json"
                        + "<|message|>{\"city\":\"Oslo\"}<|call|>"),
                text);
        // the tool is announced in the developer message
        assertTrue(text.contains("type getWeather = (_: {"), text);
        assertTrue(text.contains("type explode = () => any;"), text);

        // the second call saw the first call's analysis (same turn) and the tool result
        Conversation second = backend.seen.get(1);
        assertTrue(second.messages().stream().anyMatch(m -> "Need weather.".equals(m.text())));
        assertEquals(Role.TOOL, second.messages().getLast().role());

        // streaming: reasoning, tool call with streamed arguments, result, final deltas, in order
        String reasoning = join(events, AgentEvent.ReasoningDelta.class);
        assertEquals("Need weather.It is sunny.", reasoning);
        assertEquals("Sunny in Oslo.", join(events, AgentEvent.FinalDelta.class));
        int started = indexOf(events, AgentEvent.ToolCallStarted.class);
        int finished = indexOf(events, AgentEvent.ToolCallFinished.class);
        assertTrue(started >= 0 && finished > started);
        assertEquals("functions.getWeather", ((AgentEvent.ToolCallStarted) events.get(started)).recipient());
        assertEquals("{\"city\":\"Oslo\"}", join(events, AgentEvent.ToolArgumentsDelta.class));
        assertTrue(events.stream()
                .anyMatch(
                        e -> e instanceof AgentEvent.UsageUpdate u && u.usage().modelCalls() == 2));
    }

    @Test
    void malformedCompletionIsReportedAndRetried() {
        RecordingBackend backend = new RecordingBackend(ReplayBackend.of(
                "<|channel|>final<|return|>", // header ended without <|message|>
                "<|channel|>final<|message|>Fixed.<|return|>"));
        List<AgentEvent> events = new ArrayList<>();
        AgentResult r = agent(backend).listener(events::add).build().run("Hi");
        assertEquals("Fixed.", r.finalText());
        assertEquals(
                1, events.stream().filter(e -> e instanceof AgentEvent.Error).count());
        Message told = backend.seen.get(1).messages().getLast();
        assertEquals(Role.DEVELOPER, told.role());
        assertTrue(told.text().contains("<|message|>"), told.text());
        // the broken output never entered the conversation
        assertTrue(r.conversation().messages().stream()
                .noneMatch(m -> m.role() == Role.ASSISTANT && m.text().isEmpty()));
    }

    @Test
    void persistentlyMalformedOutputStopsAfterRetries() {
        String broken = "<|start|>user<|message|>I am not the assistant<|end|>";
        AgentResult r = agent(ReplayBackend.of(broken, broken, broken))
                .maxRetries(2)
                .build()
                .run("Hi");
        assertEquals(StopReason.TOO_MANY_ERRORS, r.stopReason());
        assertNull(r.finalText());
    }

    @Test
    void invalidArgumentsGoBackToTheModel() {
        String badCall =
                "<|channel|>commentary to=functions.getWeather <|constrain|>json<|message|>{\"town\":1}<|call|>";
        AgentResult r =
                agent(ReplayBackend.of(badCall, WEATHER_CALL, FINAL)).build().run("Weather?");
        assertEquals("Sunny in Oslo.", r.finalText());
        assertEquals(ToolOutcome.Status.INVALID_ARGUMENTS, r.toolCalls().get(0).status());
        assertTrue(
                r.toolCalls().get(0).result().contains("city"),
                r.toolCalls().get(0).result());
        assertEquals(ToolOutcome.Status.OK, r.toolCalls().get(1).status());
        assertEquals(List.of("weather:Oslo"), tools.log);
    }

    @Test
    void failingToolIsReportedNotThrown() {
        String call = "<|channel|>commentary to=functions.explode <|constrain|>json<|message|>{}<|call|>";
        AgentResult r = agent(ReplayBackend.of(call, "<|channel|>final<|message|>It broke.<|return|>"))
                .build()
                .run("Go");
        assertEquals("It broke.", r.finalText());
        assertEquals(ToolOutcome.Status.FAILED, r.toolCalls().getFirst().status());
        Message toolMessage = r.conversation().messages().get(r.conversation().size() - 2);
        assertEquals("functions.explode", toolMessage.author().name());
        assertTrue(toolMessage.text().contains("boom"));
    }

    @Test
    void slowToolTimesOut() {
        String call = "<|channel|>commentary to=functions.nap <|constrain|>json<|message|>{}<|call|>";
        AgentResult r = agent(ReplayBackend.of(call, "<|channel|>final<|message|>Too slow.<|return|>"))
                .toolTimeout(Duration.ofMillis(150))
                .build()
                .run("Go");
        assertEquals("Too slow.", r.finalText());
        assertEquals(ToolOutcome.Status.TIMED_OUT, r.toolCalls().getFirst().status());
        assertTrue(r.timings().total().toMillis() < 10_000);
    }

    @Test
    void deniedCallIsReportedToTheModel() {
        List<String> asked = new ArrayList<>();
        AgentResult r = agent(ReplayBackend.of(WEATHER_CALL, "<|channel|>final<|message|>Not allowed.<|return|>"))
                .approvalPolicy(ApprovalPolicy.perTool().ask("functions.getWeather", req -> {
                    asked.add(req.arguments());
                    return false;
                }))
                .build()
                .run("Weather?");
        assertEquals("Not allowed.", r.finalText());
        assertEquals(List.of("{\"city\":\"Oslo\"}"), asked);
        assertTrue(tools.log.isEmpty());
        assertEquals(ToolOutcome.Status.DENIED, r.toolCalls().getFirst().status());
        assertTrue(r.toolCalls().getFirst().result().contains("denied"));
    }

    @Test
    void maxStepsStopsTheLoop() {
        AgentResult r = agent(ReplayBackend.of(WEATHER_CALL, WEATHER_CALL, WEATHER_CALL))
                .maxSteps(2)
                .build()
                .run("Weather?");
        assertEquals(StopReason.MAX_STEPS, r.stopReason());
        assertEquals(2, r.toolCalls().size());
        assertNull(r.finalText());
    }

    @Test
    void cancellationFromListenerLeavesConsistentConversation() throws Exception {
        Agent[] holder = new Agent[1];
        AgentRun[] run = new AgentRun[1];
        holder[0] = agent(ReplayBackend.of(WEATHER_CALL, FINAL))
                .listener(e -> {
                    if (e instanceof AgentEvent.ToolArgumentsDelta) run[0].cancel();
                })
                .build();
        run[0] = holder[0].newRun("Weather?");
        AgentResult r = run[0].execute();
        assertEquals(StopReason.CANCELLED, r.stopReason());
        assertTrue(tools.log.isEmpty(), "the half-written call never ran");
        Message last = r.conversation().messages().getLast();
        assertEquals("Need weather.", last.text(), "only complete messages are kept");
        // the saved conversation still renders and can go on
        assertFalse(renderText(r.conversation()).isEmpty());
    }

    @Test
    void replayRunningOutIsAClearError() {
        BackendException e = assertThrows(
                BackendException.class,
                () -> agent(ReplayBackend.of(WEATHER_CALL)).build().run("Weather?"));
        assertTrue(e.getMessage().contains("ran out"), e.getMessage());
        assertTrue(e.getMessage().contains("completion 2"), e.getMessage());
    }

    @Test
    void earlierTurnsAnalysisIsHiddenFromTheModel() {
        RecordingBackend backend = new RecordingBackend(
                ReplayBackend.of(
                        FINAL,
                        "<|channel|>analysis<|message|>Second thought.<|end|><|start|>assistant<|channel|>final<|message|>Still sunny.<|return|>"));
        Agent a = agent(backend).build();
        AgentResult first = a.run("Weather?");
        AgentResult second = a.run(first.conversation().append(Message.user("And now?")));
        assertEquals("Still sunny.", second.finalText());
        Conversation shown = backend.seen.get(1);
        assertTrue(shown.messages().stream().noneMatch(m -> "It is sunny.".equals(m.text())));
        assertTrue(shown.messages().stream().anyMatch(m -> "Sunny in Oslo.".equals(m.text())));
        // the full record keeps it
        assertTrue(second.conversation().messages().stream().anyMatch(m -> "It is sunny.".equals(m.text())));
    }

    @Test
    void conversationSurvivesJsonRoundTripAndResumes() {
        Agent a = agent(ReplayBackend.of(WEATHER_CALL, FINAL, "<|channel|>final<|message|>Bye.<|return|>"))
                .build();
        AgentResult first = a.run("Weather?");
        String json = ConversationJson.write(first.conversation());
        Conversation restored = ConversationJson.read(json);
        assertEquals(first.conversation(), restored);
        assertEquals(renderText(first.conversation()), renderText(restored));
        AgentResult next = a.run(restored.append(Message.user("Thanks")));
        assertEquals("Bye.", next.finalText());
        assertEquals(restored.size() + 2, next.conversation().size(), "no second system prompt on resume");
    }

    public record Forecast(String city, int temperature, boolean sunny) {}

    @Test
    void typedAnswerIsParsedValidatedAndRetried() {
        RecordingBackend backend = new RecordingBackend(
                ReplayBackend.of(
                        "<|channel|>final<|message|>{\"city\":\"Oslo\",\"temperature\":\"warm\",\"sunny\":true}<|return|>",
                        "<|channel|>final<|message|>```json\n{\"city\":\"Oslo\",\"temperature\":21,\"sunny\":true}\n```<|return|>"));
        Forecast f = agent(backend).build().run("Forecast for Oslo", Forecast.class);
        assertEquals(new Forecast("Oslo", 21, true), f);
        String prompt = renderText(backend.seen.getFirst());
        assertTrue(prompt.contains("# Response Formats"), prompt);
        assertTrue(prompt.contains("## Forecast"), prompt);
        Message told = backend.seen.get(1).messages().getLast();
        assertTrue(told.text().contains("$.temperature"), told.text());
    }

    @Test
    void typedAnswerThatNeverFitsThrows() {
        String bad = "<|channel|>final<|message|>not json<|return|>";
        AgentException e = assertThrows(
                AgentException.class,
                () -> agent(ReplayBackend.of(bad, bad)).maxRetries(1).build().run("Forecast", Forecast.class));
        assertTrue(e.getMessage().contains("Forecast"), e.getMessage());
    }
}
