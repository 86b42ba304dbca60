package dev.gptoss4j.agent.store;

import dev.gptoss4j.engine.harmony.Conversation;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where conversations live between runs, by id: {@code Agent.run(sessionId, input)} loads one, runs the user's
 * turn and saves the result, so a chat goes on in another process or another day. A suspended run's waiting call
 * is stored with it (it is the conversation's last message). Implementations must be safe for concurrent use.
 */
public interface ConversationStore {

    /** The conversation stored under {@code id}, if any. */
    Optional<Conversation> load(String id);

    /** Stores {@code conversation} under {@code id}, replacing what was there, all or nothing. */
    void save(String id, Conversation conversation);

    /** Forgets {@code id}; nothing happens when it is not stored. */
    void delete(String id);

    /** The stored ids, sorted. */
    List<String> ids();

    /** A store in this process's memory. */
    static ConversationStore inMemory() {
        return new InMemoryConversationStore();
    }

    /** One JSON document per conversation in {@code directory} (created when missing), written atomically. */
    static ConversationStore files(java.nio.file.Path directory) {
        return new FileConversationStore(directory);
    }

    /** Ids become file names: letters, digits, '.', '_' and '-', 1 to 128 characters, not starting with '.'. */
    Pattern ID = Pattern.compile("[A-Za-z0-9_\\-][A-Za-z0-9._\\-]{0,127}");

    /** {@code id}, checked against {@link #ID}. */
    static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a session id is 1-128 letters, digits, '.', '_' or '-' and does not "
                    + "start with '.', got " + (id == null ? "null" : "'" + id + "'"));
        }
        return id;
    }
}
