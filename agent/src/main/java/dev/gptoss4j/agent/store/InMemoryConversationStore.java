package dev.gptoss4j.agent.store;

import dev.gptoss4j.engine.harmony.Conversation;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** {@link ConversationStore#inMemory()}: conversations are immutable, so the map holds them as they are. */
final class InMemoryConversationStore implements ConversationStore {

    private final ConcurrentMap<String, Conversation> conversations = new ConcurrentHashMap<>();

    @Override
    public Optional<Conversation> load(String id) {
        return Optional.ofNullable(conversations.get(ConversationStore.checkId(id)));
    }

    @Override
    public void save(String id, Conversation conversation) {
        conversations.put(ConversationStore.checkId(id), conversation);
    }

    @Override
    public void delete(String id) {
        conversations.remove(ConversationStore.checkId(id));
    }

    @Override
    public List<String> ids() {
        return conversations.keySet().stream().sorted().toList();
    }
}
