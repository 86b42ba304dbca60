package dev.gptoss4j.engine.harmony;

/** Events of {@link HarmonyStreamParser}, in stream order. All methods default to doing nothing. */
public interface HarmonyParseListener {

    /** A header is complete (author, recipient, channel and content type are known); content follows. */
    default void onMessageStart(MessageHeader header) {}

    /** More content text; never splits a character, so deltas concatenate to the message's text. */
    default void onContentDelta(MessageHeader header, String delta) {}

    /** A message is complete. */
    default void onMessageDone(Message message, MessageStop stop) {}
}
