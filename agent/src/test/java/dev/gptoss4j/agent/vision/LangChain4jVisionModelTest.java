package dev.gptoss4j.agent.vision;

import static org.junit.jupiter.api.Assertions.*;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class LangChain4jVisionModelTest {

    /** A LangChain4j model that records what it is asked. */
    static final class Recorder implements ChatModel {
        final List<ChatRequest> requests = new ArrayList<>();
        RuntimeException failure;

        @Override
        public ChatResponse doChat(ChatRequest request) {
            requests.add(request);
            if (failure != null) throw failure;
            return ChatResponse.builder()
                    .aiMessage(AiMessage.from("Two squares."))
                    .build();
        }
    }

    @Test
    void sendsTextAndImageContentInOneUserMessage() {
        Recorder chat = new Recorder();
        byte[] png = TestImages.png(16, 16);
        String answer = new LangChain4jVisionModel(chat).analyze(Image.ofBytes(png), "What is drawn?");
        assertEquals("Two squares.", answer);
        UserMessage m = (UserMessage) chat.requests.getFirst().messages().getFirst();
        assertEquals("What is drawn?", ((TextContent) m.contents().get(0)).text());
        ImageContent img = (ImageContent) m.contents().get(1);
        assertEquals("image/png", img.image().mimeType());
        assertEquals(Base64.getEncoder().encodeToString(png), img.image().base64Data());
    }

    @Test
    void remoteImagesGoAsUrlsAndFailuresAreVisionExceptions() {
        Recorder chat = new Recorder();
        new LangChain4jVisionModel(chat).analyze(Image.ofUrl("https://example.com/a.png"), "?");
        ImageContent img = (ImageContent)
                ((UserMessage) chat.requests.getFirst().messages().getFirst())
                        .contents()
                        .get(1);
        assertEquals("https://example.com/a.png", img.image().url().toString());

        chat.failure = new IllegalStateException("model does not support images");
        VisionException e = assertThrows(
                VisionException.class,
                () -> new LangChain4jVisionModel(chat).analyze(Image.ofBytes(TestImages.png(4, 4)), "?"));
        assertTrue(e.getMessage().contains("does not support images"), e.getMessage());
    }
}
