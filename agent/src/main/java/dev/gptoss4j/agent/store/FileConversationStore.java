package dev.gptoss4j.agent.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.HarmonyJson;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@link ConversationStore#files}: {@code ID.json} per conversation, holding {@code id}, {@code updated_at}, the
 * harmony JSON {@code conversation} and, when a call waits for approval, {@code pending_call} (for people and
 * tools reading the file; the conversation alone is what counts). Each save writes a temporary file in the same
 * directory and moves it over the old one atomically, so a crash mid-write leaves the previous version, never half
 * a document.
 */
final class FileConversationStore implements ConversationStore {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String SUFFIX = ".json";

    private final Path directory;

    FileConversationStore(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.directory);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create the session directory " + directory + ": " + e.getMessage(), e);
        }
    }

    private Path file(String id) {
        return directory.resolve(ConversationStore.checkId(id) + SUFFIX);
    }

    @Override
    public Optional<Conversation> load(String id) {
        Path file = file(id);
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read session " + file + ": " + e.getMessage(), e);
        }
        try {
            JsonNode doc = JSON.readTree(text);
            JsonNode conversation = doc.get("conversation");
            if (conversation == null || !conversation.isObject()) {
                throw new IllegalArgumentException("it has no \"conversation\" object");
            }
            return Optional.of(HarmonyJson.conversationFromJson(conversation.toString()));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "session " + file + " is not a stored conversation: " + e.getMessage(), e);
        }
    }

    @Override
    public void save(String id, Conversation conversation) {
        Path file = file(id);
        ObjectNode doc = JSON.createObjectNode();
        doc.put("id", id);
        doc.put("updated_at", Instant.now().toString());
        doc.set("conversation", HarmonyJson.toTree(conversation));
        Message last = conversation.messages().isEmpty()
                ? null
                : conversation.messages().getLast();
        if (last != null && last.role() == Role.ASSISTANT && last.recipient() != null) {
            // a call awaiting approval (the agent's PendingCall), shown for people and tools reading the file
            doc.putObject("pending_call").put("recipient", last.recipient()).put("arguments", last.text());
        }
        Path temp = null;
        try {
            temp = Files.createTempFile(directory, "." + id + ".", ".tmp");
            Files.writeString(temp, JSON.writeValueAsString(doc));
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + directory + " cannot replace files atomically", e);
            }
            temp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save session " + file + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a stray temporary file is harmless: it is never read as a session
                }
            }
        }
    }

    @Override
    public void delete(String id) {
        Path file = file(id);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete session " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> ids() {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(SUFFIX) && !n.startsWith("."))
                    .map(n -> n.substring(0, n.length() - SUFFIX.length()))
                    .filter(n -> ConversationStore.ID.matcher(n).matches())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list sessions in " + directory + ": " + e.getMessage(), e);
        }
    }
}
