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

    /**
     * A token the model generated, with its log-probability: only when the request asked for them
     * ({@link CompletionRequest#topLogprobs()} &gt;= 0) and the backend samples itself. Called for every token,
     * special ones included, before the token is parsed: a content token's text reaches {@link #onContentDelta}
     * after it, a header-ending token's {@link #onMessageStart} after it.
     */
    default void onToken(TokenLogprob token) {}

    CompletionListener NONE = new CompletionListener() {};
}
