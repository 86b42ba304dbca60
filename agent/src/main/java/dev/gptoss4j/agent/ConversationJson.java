package dev.gptoss4j.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.HarmonyJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Saving and resuming conversations: files in harmony's JSON conversation form ({@link HarmonyJson}, the shape of
 * openai/harmony's {@code to_dict}), so a run can go on after a restart or be handed to other harmony tools.
 */
public final class ConversationJson {

    private ConversationJson() {}

    public static String write(Conversation conversation) {
        return HarmonyJson.toPrettyJson(conversation);
    }

    public static Conversation read(String json) {
        return HarmonyJson.conversationFromJson(json);
    }

    /** The messages as a JSON array, for reports such as {@code gptoss run --json}. */
    public static ArrayNode messages(Conversation conversation) {
        return (ArrayNode) HarmonyJson.toTree(conversation).get("messages");
    }

    public static void save(Conversation conversation, Path file) {
        try {
            Files.writeString(file, write(conversation));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write conversation to " + file + ": " + e.getMessage(), e);
        }
    }

    public static Conversation load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read conversation " + file + ": " + e.getMessage(), e);
        }
        try {
            return read(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}
