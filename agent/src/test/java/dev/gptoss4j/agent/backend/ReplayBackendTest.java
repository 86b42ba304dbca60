package dev.gptoss4j.agent.backend;

import static org.junit.jupiter.api.Assertions.*;

import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.Message;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayBackendTest {

    private static final CompletionRequest REQUEST =
            new CompletionRequest(Conversation.of(Message.user("Hi")), 1000, () -> false);

    @Test
    void separatorIsALineHoldingExactlyThreeDashes() {
        List<String> parts = ReplayBackend.split("a\n---\nb\n----\n --- \nc\r\n---\r\n\n---\nd\n");
        assertEquals(List.of("a", "b\n----\n --- \nc", "d"), parts);
    }

    @Test
    void completionIsTokenizedAndParsedWithStopAndUsage() {
        ReplayBackend b = ReplayBackend.of("<|start|>assistant<|channel|>final<|message|>Hello there<|return|>");
        Completion c = b.complete(REQUEST, CompletionListener.NONE);
        assertEquals(Completion.Finish.RETURN, c.finish());
        assertEquals(List.of(Message.assistant("final", "Hello there")), c.messages());
        assertEquals(6, c.completionTokens(), "<|channel|> final <|message|> Hello ' there' <|return|>");
        assertTrue(c.promptTokens() > 3);
        assertEquals(0, b.remaining());
    }

    @Test
    void tokenLimitDropsTheUnfinishedMessage() {
        ReplayBackend b = ReplayBackend.of("<|channel|>analysis<|message|>a<|end|><|start|>assistant<|channel|>final"
                + "<|message|>one two three four<|return|>");
        Completion c =
                b.complete(new CompletionRequest(REQUEST.conversation(), 10, () -> false), CompletionListener.NONE);
        assertEquals(Completion.Finish.LENGTH, c.finish());
        assertEquals(List.of(Message.assistant("analysis", "a")), c.messages());
    }

    @Test
    void missingStopTokenIsMalformed() {
        MalformedCompletionException e = assertThrows(
                MalformedCompletionException.class,
                () -> ReplayBackend.of("<|channel|>final<|message|>no end").complete(REQUEST, CompletionListener.NONE));
        assertTrue(e.getMessage().contains("without <|return|> or <|call|>"), e.getMessage());
    }

    @Test
    void callWithoutRecipientIsMalformed() {
        MalformedCompletionException e = assertThrows(
                MalformedCompletionException.class,
                () -> ReplayBackend.of("<|channel|>commentary<|message|>{}<|call|>")
                        .complete(REQUEST, CompletionListener.NONE));
        assertTrue(e.getMessage().contains("no recipient"), e.getMessage());
    }
}
