package dev.gptoss4j.agent.backend;

import dev.gptoss4j.engine.harmony.Message;

/**
 * Streaming view of a completion. {@code header} is the message being written, without content: its author,
 * channel, recipient and content type, known once the header is complete.
 */
public interface CompletionListener {

    default void onMessageStart(Message header) {}

    default void onContentDelta(Message header, String delta) {}

    default void onMessageEnd(Message message) {}

    CompletionListener NONE = new CompletionListener() {};
}
