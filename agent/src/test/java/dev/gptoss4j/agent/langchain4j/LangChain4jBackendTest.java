package dev.gptoss4j.agent.langchain4j;

import static org.junit.jupiter.api.Assertions.*;

import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentEvent;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.StopReason;
import dev.gptoss4j.agent.backend.BackendException;
import dev.gptoss4j.agent.backend.ReplayBackend;
import dev.gptoss4j.agent.tool.ToolOutcome;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.engine.harmony.Role;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A LangChain4j chat model (a scripted one, written here) as the agent's backend. */
class LangChain4jBackendTest {

    public static class Tools {
        final List<String> log = new CopyOnWriteArrayList<>();

        @Tool("Current weather of a city.")
        public String weather(@P("city") String city) {
            log.add("weather:" + city);
            return city + ": sunny";
        }
    }

    /** A ChatModel whose answers are scripted; it keeps every request. */
    static final class ScriptedChatModel implements ChatModel {
        final Deque<ChatResponse> answers = new ArrayDeque<>();
        final List<ChatRequest> requests = new ArrayList<>();

        ScriptedChatModel(ChatResponse... answers) {
            this.answers.addAll(List.of(answers));
        }

        @Override
        public ChatResponse doChat(ChatRequest request) {
            requests.add(request);
            if (answers.isEmpty()) throw new IllegalStateException("the script ran out");
            return answers.poll();
        }
    }

    static ChatResponse response(AiMessage ai, FinishReason finish) {
        return ChatResponse.builder()
                .aiMessage(ai)
                .tokenUsage(new TokenUsage(100, 10))
                .finishReason(finish)
                .build();
    }

    static ToolExecutionRequest call(String id, String city) {
        return ToolExecutionRequest.builder()
                .id(id)
                .name("weather")
                .arguments("{\"city\":\"" + city + "\"}")
                .build();
    }

    @Test
    void agentRunsTheToolsAChatModelAsksForIncludingParallelCalls() {
        ScriptedChatModel model = new ScriptedChatModel(
                response(
                        AiMessage.builder()
                                .thinking("Two cities: call twice.")
                                .toolExecutionRequests(List.of(call("x1", "Oslo"), call("x2", "Rome")))
                                .build(),
                        FinishReason.TOOL_EXECUTION),
                response(
                        AiMessage.builder()
                                .thinking("Both sunny.")
                                .text("Sunny in Oslo and Rome.")
                                .build(),
                        FinishReason.STOP));
        Tools tools = new Tools();
        List<AgentEvent> events = new ArrayList<>();
        AgentResult result = Agent.builder()
                .backend(LangChain4jBackend.of(model))
                .instructions("Be brief.")
                .tools(tools)
                .reasoningEffort(ReasoningEffort.HIGH)
                .listener(events::add)
                .build()
                .run("Weather in Oslo and Rome?");

        assertEquals(StopReason.COMPLETED, result.stopReason());
        assertEquals("Sunny in Oslo and Rome.", result.finalText());
        assertEquals(List.of("weather:Oslo", "weather:Rome"), tools.log, "both parallel calls ran, in order");
        assertEquals(2, model.requests.size(), "the second call was handed out without asking the model again");
        assertEquals(3, result.usage().modelCalls());
        assertEquals(200, result.usage().promptTokens());

        ChatRequest first = model.requests.getFirst();
        assertEquals("Be brief.", ((SystemMessage) first.messages().getFirst()).text());
        assertEquals(
                "Weather in Oslo and Rome?", ((UserMessage) first.messages().get(1)).singleText());
        assertEquals("weather", first.toolSpecifications().getFirst().name());
        assertEquals(
                List.of("city"),
                first.toolSpecifications().getFirst().parameters().required());

        // what the model saw next: its calls (each with one request) and their results, ids matching
        List<ChatMessage> second = model.requests.get(1).messages();
        List<ToolExecutionResultMessage> results = second.stream()
                .filter(m -> m instanceof ToolExecutionResultMessage)
                .map(m -> (ToolExecutionResultMessage) m)
                .toList();
        List<ToolExecutionRequest> calls = second.stream()
                .filter(m -> m instanceof AiMessage a && a.hasToolExecutionRequests())
                .flatMap(m -> ((AiMessage) m).toolExecutionRequests().stream())
                .toList();
        assertEquals(
                List.of("Oslo: sunny", "Rome: sunny"),
                results.stream().map(ToolExecutionResultMessage::text).toList());
        assertEquals(
                calls.stream().map(ToolExecutionRequest::id).toList(),
                results.stream().map(ToolExecutionResultMessage::id).toList());
        assertEquals("Two cities: call twice.", ((AiMessage) second.get(2)).thinking());

        assertTrue(events.contains(new AgentEvent.ReasoningDelta("Two cities: call twice.")), events.toString());
        assertTrue(events.contains(new AgentEvent.FinalDelta("Sunny in Oslo and Rome.")), events.toString());
        assertTrue(events.contains(new AgentEvent.ToolCallStarted("functions.weather", "commentary")));
    }

    @Test
    void cutOffAnswersAndModelFailuresAreReported() {
        ScriptedChatModel model = new ScriptedChatModel(
                response(AiMessage.from("Sunny in Os"), FinishReason.LENGTH),
                response(AiMessage.from("Sunny in Oslo."), FinishReason.STOP));
        List<AgentEvent> events = new ArrayList<>();
        AgentResult r = Agent.builder()
                .backend(LangChain4jBackend.of(model))
                .listener(events::add)
                .build()
                .run("Weather?");
        assertEquals("Sunny in Oslo.", r.finalText());
        assertTrue(
                events.stream()
                        .anyMatch(e -> e instanceof AgentEvent.Error err
                                && err.message().contains("without an answer")),
                events.toString());

        ChatModel broken = new ChatModel() {
            @Override
            public ChatResponse doChat(ChatRequest request) {
                throw new IllegalStateException("quota exceeded");
            }
        };
        BackendException e = assertThrows(
                BackendException.class,
                () -> Agent.builder()
                        .backend(LangChain4jBackend.of(broken))
                        .build()
                        .run("Hi"));
        assertTrue(e.getMessage().contains("quota exceeded"), e.getMessage());
    }

    /** A StreamingChatModel that streams a scripted answer piece by piece, then completes it. */
    static final class ScriptedStreamingModel implements StreamingChatModel {
        final Deque<ChatResponse> answers = new ArrayDeque<>();
        final List<ChatRequest> requests = new ArrayList<>();

        ScriptedStreamingModel(ChatResponse... answers) {
            this.answers.addAll(List.of(answers));
        }

        @Override
        public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
            requests.add(request);
            ChatResponse r = answers.poll();
            StreamingHandle handle = new StreamingHandle() {
                public void cancel() {}

                public boolean isCancelled() {
                    return false;
                }
            };
            // like a remote provider: the answer arrives on another thread
            Thread.ofVirtual().start(() -> {
                AiMessage ai = r.aiMessage();
                if (ai.thinking() != null) {
                    for (String piece : pieces(ai.thinking())) {
                        handler.onPartialThinking(new PartialThinking(piece), new PartialThinkingContext(handle));
                    }
                }
                if (ai.text() != null) {
                    for (String piece : pieces(ai.text())) {
                        handler.onPartialResponse(new PartialResponse(piece), new PartialResponseContext(handle));
                    }
                }
                if (ai.hasToolExecutionRequests()) {
                    ToolExecutionRequest c = ai.toolExecutionRequests().getFirst();
                    for (String piece : pieces(c.arguments())) {
                        handler.onPartialToolCall(
                                PartialToolCall.builder()
                                        .index(0)
                                        .id(c.id())
                                        .name(c.name())
                                        .partialArguments(piece)
                                        .build(),
                                new PartialToolCallContext(handle));
                    }
                    handler.onCompleteToolCall(new CompleteToolCall(0, c));
                }
                handler.onCompleteResponse(r);
            });
        }

        private static List<String> pieces(String s) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < s.length(); i += 4) out.add(s.substring(i, Math.min(s.length(), i + 4)));
            return out;
        }
    }

    @Test
    void streamingModelsStreamReasoningArgumentsAndAnswer() {
        ScriptedStreamingModel model = new ScriptedStreamingModel(
                response(
                        AiMessage.builder()
                                .thinking("Need the weather.")
                                .toolExecutionRequests(List.of(call("c1", "Oslo")))
                                .build(),
                        FinishReason.TOOL_EXECUTION),
                response(
                        AiMessage.builder()
                                .thinking("Got it.")
                                .text("Sunny in Oslo.")
                                .build(),
                        FinishReason.STOP));
        Tools tools = new Tools();
        List<AgentEvent> events = new CopyOnWriteArrayList<>();
        AgentResult r = Agent.builder()
                .backend(LangChain4jBackend.of(model, Duration.ofSeconds(10)))
                .tools(tools)
                .listener(events::add)
                .build()
                .run("Weather in Oslo?");

        assertEquals("Sunny in Oslo.", r.finalText());
        assertEquals(List.of("weather:Oslo"), tools.log);
        assertEquals(ToolOutcome.Status.OK, r.toolCalls().getFirst().status());
        String reasoning = String.join(
                "",
                events.stream()
                        .filter(e -> e instanceof AgentEvent.ReasoningDelta)
                        .map(e -> ((AgentEvent.ReasoningDelta) e).text())
                        .toList());
        assertEquals("Need the weather.Got it.", reasoning);
        List<String> args = events.stream()
                .filter(e -> e instanceof AgentEvent.ToolArgumentsDelta)
                .map(e -> ((AgentEvent.ToolArgumentsDelta) e).text())
                .toList();
        assertTrue(args.size() > 1, "arguments streamed in pieces: " + args);
        assertEquals("{\"city\":\"Oslo\"}", String.join("", args));
        List<String> answer = events.stream()
                .filter(e -> e instanceof AgentEvent.FinalDelta)
                .map(e -> ((AgentEvent.FinalDelta) e).text())
                .toList();
        assertEquals("Sunny in Oslo.", String.join("", answer));
        assertTrue(answer.size() > 1, "the answer streamed in pieces: " + answer);
        assertEquals(
                1L,
                events.stream()
                        .filter(e -> e instanceof AgentEvent.ToolCallStarted)
                        .count(),
                "a streamed call is not announced twice");

        // the conversation holds the same harmony messages a token-level backend would have produced
        List<Message> c = r.conversation().messages();
        assertTrue(c.contains(Message.assistant("analysis", "Need the weather.")));
        assertTrue(c.stream().anyMatch(m -> m.role() == Role.TOOL && m.text().equals("Oslo: sunny")));
    }

    @Test
    void ourOwnModelThroughLangChain4jGivesTheSameRunAsTheReplayDirectly() {
        String[] script = {
            "<|channel|>analysis<|message|>Need weather.<|end|><|start|>assistant<|channel|>commentary "
                    + "to=functions.weather <|constrain|>json<|message|>{\"city\":\"Oslo\"}<|call|>",
            "<|channel|>analysis<|message|>Sunny.<|end|><|start|>assistant<|channel|>final"
                    + "<|message|>Sunny in Oslo.<|return|>"
        };
        Tools direct = new Tools();
        AgentResult expected = Agent.builder()
                .backend(ReplayBackend.of(script))
                .tools(direct)
                .reasoningEffort(ReasoningEffort.HIGH)
                .conversationStartDate("2025-08-05")
                .build()
                .run("Weather in Oslo?");
        Tools viaLc4j = new Tools();
        RecordingBackend recorded = new RecordingBackend(script);
        GptOssChatModel model = GptOssChatModel.builder()
                .backend(recorded)
                .conversationStartDate("2025-08-05")
                .build();
        AgentResult actual = Agent.builder()
                .backend(LangChain4jBackend.of((ChatModel) model))
                .tools(viaLc4j)
                .reasoningEffort(ReasoningEffort.HIGH)
                .conversationStartDate("2025-08-05")
                .build()
                .run("Weather in Oslo?");

        assertEquals(expected.finalText(), actual.finalText());
        assertEquals(direct.log, viaLc4j.log);
        assertEquals(expected.conversation(), actual.conversation());
        // the reasoning effort made it through LangChain4j into the system message our model rendered
        assertEquals(ReasoningEffort.HIGH, recorded.lastSystem().reasoningEffort());
        assertEquals(
                expected.conversation().messages().subList(0, 5),
                recorded.lastMessages().subList(0, 5),
                "the model saw what the replay saw");
    }
}
