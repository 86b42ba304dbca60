package dev.gptoss4j.examples.langchain4j;

import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.langchain4j.GptOssChatModel;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.SystemMessage;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * gpt-oss as a LangChain4j model: an {@link AiServices} assistant with a {@code @Tool} class and chat memory, asked
 * two questions; the second one needs the memory of the first. Runs on the bundled replay, or on a real model.
 *
 * <pre>{@code ./gptoss langchain4j bot [--model PATH]}</pre>
 */
public final class AiServicesBot {

    /** The AI service: LangChain4j implements it over our model. */
    public interface Assistant {
        @SystemMessage("You are a concise weather assistant. Use the tools for every conversion.")
        String chat(String message);
    }

    public static final List<String> QUESTIONS = List.of(
            "It is 21 degrees Celsius in Lisbon. What is that in Fahrenheit?",
            "Which city did I ask about, and what was the temperature in Celsius?");

    /** The bundled replay: what gpt-oss answered to {@link #QUESTIONS}. */
    public static final String REPLAY = "bot.replay";

    private AiServicesBot() {}

    /** Asks {@link #QUESTIONS} in one conversation; prints questions, tool calls and answers; returns the answers. */
    public static List<String> run(Backend backend, ReasoningEffort effort, PrintWriter out) {
        try (GptOssChatModel model = GptOssChatModel.builder()
                .backend(backend)
                .reasoningEffort(effort)
                .build()) {
            Units units = new Units(call -> out.println("  [tool] " + call));
            Assistant assistant = AiServices.builder(Assistant.class)
                    .chatModel(model)
                    .tools(units)
                    .chatMemory(MessageWindowChatMemory.withMaxMessages(30))
                    .build();
            List<String> answers = new ArrayList<>();
            for (String question : QUESTIONS) {
                out.println("> " + question);
                out.flush();
                String answer = assistant.chat(question);
                out.println(answer);
                out.flush();
                answers.add(answer);
            }
            return answers;
        }
    }

    /** The bundled replay's backend. */
    public static Backend replay() {
        return Replays.load(REPLAY);
    }
}
