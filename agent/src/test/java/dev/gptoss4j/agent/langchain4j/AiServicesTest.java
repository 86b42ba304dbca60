package dev.gptoss4j.agent.langchain4j;

import static org.junit.jupiter.api.Assertions.*;

import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.Role;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.TokenStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Our model under LangChain4j's AiServices: @Tool methods run, chat memory carries the conversation on. */
class AiServicesTest {

    interface Assistant {
        @SystemMessage("You are a careful calculator.")
        String chat(String message);
    }

    interface StreamingAssistant {
        TokenStream chat(String message);
    }

    public static class Calculator {
        final List<String> calls = new ArrayList<>();

        @Tool("Adds two integers.")
        public int add(@P("first addend") int a, @P("second addend") int b) {
            calls.add(a + "+" + b);
            return a + b;
        }
    }

    static final String CALL_ADD = "<|channel|>analysis<|message|>Use the add tool.<|end|>"
            + "<|start|>assistant<|channel|>commentary to=functions.add <|constrain|>json"
            + "<|message|>{\"a\":2,\"b\":40}<|call|>";
    static final String ANSWER_ADD = "<|channel|>analysis<|message|>The tool said 42.<|end|>"
            + "<|start|>assistant<|channel|>final<|message|>2 + 40 = 42.<|return|>";
    static final String ANSWER_RECALL = "<|channel|>final<|message|>You asked me to add 2 and 40.<|return|>";

    @Test
    void toolsRunAndMemoryCarriesOverToTheNextQuestion() {
        RecordingBackend backend = new RecordingBackend(CALL_ADD, ANSWER_ADD, ANSWER_RECALL);
        Calculator calculator = new Calculator();
        MessageWindowChatMemory memory = MessageWindowChatMemory.withMaxMessages(20);
        Assistant assistant = AiServices.builder(Assistant.class)
                .chatModel(GptOssChatModel.builder()
                        .backend(backend)
                        .conversationStartDate("2025-08-05")
                        .build())
                .tools(calculator)
                .chatMemory(memory)
                .build();

        assertEquals("2 + 40 = 42.", assistant.chat("What is 2 + 40?"));
        assertEquals(List.of("2+40"), calculator.calls, "the @Tool method ran with the model's arguments");

        // the second model call saw the tool's result as a harmony tool message
        List<Message> second = backend.requests.get(1).conversation().messages();
        Message result = second.getLast();
        assertEquals(Role.TOOL, result.role());
        assertEquals("functions.add", result.author().name());
        assertEquals("42", result.text());
        assertEquals(
                "add",
                backend.requests.get(0).conversation().messages().stream()
                        .filter(m -> m.role() == Role.DEVELOPER)
                        .findFirst()
                        .orElseThrow()
                        .content()
                        .stream()
                        .filter(c -> c instanceof dev.gptoss4j.engine.harmony.DeveloperContent)
                        .map(c -> ((dev.gptoss4j.engine.harmony.DeveloperContent) c)
                                .functionTools()
                                .getFirst()
                                .name())
                        .findFirst()
                        .orElseThrow());

        assertEquals("You asked me to add 2 and 40.", assistant.chat("What did I ask you before?"));
        List<Message> third = backend.requests.get(2).conversation().messages();
        List<String> texts = third.stream().map(Message::text).toList();
        assertTrue(texts.contains("What is 2 + 40?"), "memory holds the first question: " + texts);
        assertTrue(texts.contains("2 + 40 = 42."), "and the first answer: " + texts);
        assertTrue(texts.contains("{\"a\":2,\"b\":40}"), "and the tool call: " + texts);
        assertEquals("What did I ask you before?", third.getLast().text());
        assertFalse(texts.contains("Use the add tool."), "answered turns' thinking is dropped: " + texts);
        assertEquals(0, backend.replay.remaining());

        List<ChatMessage> remembered = memory.messages();
        assertTrue(remembered.stream()
                .anyMatch(m ->
                        m instanceof ToolExecutionResultMessage t && t.text().equals("42")));
        assertTrue(remembered.stream()
                .anyMatch(m -> m instanceof AiMessage a && "The tool said 42.".equals(a.thinking())));
    }

    @Test
    void streamingAiServiceRunsToolsToo() throws Exception {
        RecordingBackend backend = new RecordingBackend(CALL_ADD, ANSWER_ADD);
        Calculator calculator = new Calculator();
        StreamingAssistant assistant = AiServices.builder(StreamingAssistant.class)
                .streamingChatModel(GptOssChatModel.builder().backend(backend).build())
                .tools(calculator)
                .chatMemory(MessageWindowChatMemory.withMaxMessages(20))
                .build();

        StringBuilder text = new StringBuilder();
        StringBuilder thinking = new StringBuilder();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        assistant
                .chat("What is 2 + 40?")
                .onPartialResponse(text::append)
                .onPartialThinking(t -> thinking.append(t.text()))
                .onCompleteResponse(done::complete)
                .onError(done::completeExceptionally)
                .start();
        ChatResponse response = done.get(30, TimeUnit.SECONDS);
        assertEquals("2 + 40 = 42.", response.aiMessage().text());
        assertEquals("2 + 40 = 42.", text.toString());
        assertEquals("Use the add tool.The tool said 42.", thinking.toString());
        assertEquals(List.of("2+40"), calculator.calls);
    }
}
