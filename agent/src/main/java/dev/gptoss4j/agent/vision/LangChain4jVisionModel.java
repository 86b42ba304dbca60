package dev.gptoss4j.agent.vision;

import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.net.URI;
import java.util.Objects;

/**
 * Any LangChain4j {@link ChatModel} that accepts images (OpenAI, Gemini, Anthropic, Ollama... through their
 * LangChain4j modules) as the vision model: the question and the image go as one user message with a text and an
 * image content.
 */
public final class LangChain4jVisionModel implements VisionModel {

    private final ChatModel model;
    private final ImageLimits limits;

    public LangChain4jVisionModel(ChatModel model) {
        this(model, ImageLimits.defaults());
    }

    public LangChain4jVisionModel(ChatModel model, ImageLimits limits) {
        this.model = Objects.requireNonNull(model, "model");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public String analyze(Image image, String question) {
        Image sent = limits.fitForQuestion(image, question);
        ImageContent picture = sent.isRemote()
                ? ImageContent.from(URI.create(sent.url()))
                : ImageContent.from(sent.base64(), sent.mimeType());
        ChatResponse response;
        try {
            response = model.chat(UserMessage.from(TextContent.from(question), picture));
        } catch (RuntimeException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new VisionException("vision model " + name() + " failed: " + why, e);
        }
        String text = response == null || response.aiMessage() == null
                ? null
                : response.aiMessage().text();
        if (text == null || text.isBlank()) throw new VisionException("vision model " + name() + " gave no text");
        return text;
    }

    @Override
    public String name() {
        return "langchain4j " + model.getClass().getSimpleName();
    }
}
