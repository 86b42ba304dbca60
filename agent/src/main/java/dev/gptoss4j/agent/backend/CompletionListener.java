package dev.gptoss4j.agent.backend;

import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.MessageHeader;

/**
 * Streaming view of a completion: each message's header (author, channel, recipient, content type) once it is
 * complete, its content in pieces, then the whole message.
 */
public interface CompletionListener {

    default void onMessageStart(MessageHeader header) {}

    default void onContentDelta(MessageHeader header, String delta) {}

    default void onMessageEnd(Message message) {}

    CompletionListener NONE = new CompletionListener() {};
}
