package dev.gptoss4j.serve.openai;

import dev.gptoss4j.agent.tool.ToolScope;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.serve.http.ApiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The Responses conversations the server keeps, so that a request can go on with {@code previous_response_id}: each
 * one's messages, the call ids of its function calls, and its {@link ToolScope} (python variables and files, browser
 * history). Only a request that continues a conversation ever sees its scope; two conversations never share one.
 *
 * <p>Bounded: at most {@code maxLive} conversations hold a scope at once (the least recently used idle one is
 * evicted to make room; when every one is busy the request gets 429), and a conversation idle for longer than
 * {@code idleTimeout} is evicted by a background sweep. Evicting closes the scope, which closes its sandboxes.
 * A conversation goes on in a straight line: continuing it moves it to the new response's id, and only one request
 * at a time may continue it (another gets 409).
 */
public final class ConversationStore implements AutoCloseable {

    /** The defaults of {@code gptoss serve}: 64 conversations, evicted after 10 minutes idle. */
    public static final int DEFAULT_MAX_LIVE = 64;

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);

    private final int maxLive;
    private final long idleNanos;
    /** Kept conversations by the id of their latest response, least recently used first. */
    private final LinkedHashMap<String, Entry> kept = new LinkedHashMap<>(16, 0.75f, true);
    /** New conversations whose first request is still running: they hold a scope too. */
    private int starting;

    private boolean closed;
    private final ScheduledExecutorService sweeper;

    private static final class Entry {
        final ToolScope scope = ToolScope.create();
        List<Message> body = List.of();
        Map<String, String> callNames = Map.of();
        long lastUsed = System.nanoTime();
        boolean busy;
    }

    public ConversationStore(int maxLive, Duration idleTimeout) {
        if (maxLive < 1) throw new IllegalArgumentException("at least 1 live conversation is needed, got " + maxLive);
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("the idle timeout must be positive, got " + idleTimeout);
        }
        this.maxLive = maxLive;
        this.idleNanos = idleTimeout.toNanos();
        long period = Math.clamp(idleTimeout.toMillis() / 4, 10, 30_000);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gptoss-serve-conversation-sweeper");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::evictIdle, period, period, TimeUnit.MILLISECONDS);
    }

    public static ConversationStore defaults() {
        return new ConversationStore(DEFAULT_MAX_LIVE, DEFAULT_IDLE_TIMEOUT);
    }

    /** A new conversation, with a fresh scope; room is made by evicting the least recently used idle one. */
    public Turn start() {
        List<Entry> evicted = new ArrayList<>();
        try {
            synchronized (this) {
                if (closed) throw ApiException.server("shutting_down", "the server is shutting down");
                while (kept.size() + starting >= maxLive) {
                    Entry lru = removeLeastRecentlyUsedIdle();
                    if (lru == null) {
                        throw ApiException.busy("all " + maxLive + " live conversations are busy; try again shortly");
                    }
                    evicted.add(lru);
                }
                starting++;
            }
        } finally {
            closeAll(evicted);
        }
        Entry e = new Entry();
        e.busy = true;
        return new Turn(e, null);
    }

    /**
     * Goes on with the conversation whose latest response is {@code responseId}.
     *
     * @throws ApiException 400 when no such conversation is kept (never was, expired, evicted, or already continued
     *                      by a later response), 409 when another request is continuing it right now
     */
    public synchronized Turn resume(String responseId) {
        Entry e = kept.get(responseId);
        if (e == null) {
            throw ApiException.badRequest(
                    "previous_response_id",
                    "'previous_response_id' is '" + responseId
                            + "', which is not the latest response of a conversation this server keeps (unknown, already "
                            + "continued by a later response, or evicted: at most " + maxLive
                            + " conversations are kept, "
                            + "each until " + Duration.ofNanos(idleNanos).toSeconds() + " s idle)");
        }
        if (e.busy) {
            throw new ApiException(
                    409,
                    "invalid_request_error",
                    "conversation_busy",
                    "previous_response_id",
                    "another request is going on with the conversation of '" + responseId + "'; wait for it");
        }
        e.busy = true;
        return new Turn(e, responseId);
    }

    /** Conversations holding a scope now (kept or starting). */
    public synchronized int live() {
        return kept.size() + starting;
    }

    /** Evicts the conversations idle for longer than the idle timeout; the sweeper calls this. */
    public void evictIdle() {
        List<Entry> evicted = new ArrayList<>();
        synchronized (this) {
            long now = System.nanoTime();
            for (Iterator<Entry> it = kept.values().iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (!e.busy && now - e.lastUsed >= idleNanos) {
                    it.remove();
                    evicted.add(e);
                }
            }
        }
        closeAll(evicted);
    }

    /** Closes every kept conversation's scope; requests running now close theirs when they end. */
    @Override
    public void close() {
        List<Entry> all;
        synchronized (this) {
            if (closed) return;
            closed = true;
            all = new ArrayList<>(kept.values());
            kept.clear();
        }
        sweeper.shutdownNow();
        closeAll(all);
    }

    private Entry removeLeastRecentlyUsedIdle() {
        for (Iterator<Map.Entry<String, Entry>> it = kept.entrySet().iterator(); it.hasNext(); ) {
            Entry e = it.next().getValue();
            if (!e.busy) {
                it.remove();
                return e;
            }
        }
        return null;
    }

    private static void closeAll(List<Entry> entries) {
        for (Entry e : entries) {
            try {
                e.scope.close();
            } catch (RuntimeException ignored) {
                // a sandbox that fails to close is dropped all the same; nothing else holds it
            }
        }
    }

    /** One request's use of a conversation: its history and scope, then either {@link #keep} or just close. */
    public final class Turn implements AutoCloseable {
        private final Entry entry;
        private final String previousId;
        private boolean done;

        private Turn(Entry entry, String previousId) {
            this.entry = entry;
            this.previousId = previousId;
        }

        public ToolScope scope() {
            return entry.scope;
        }

        /** The conversation so far, without system and developer preamble (empty for a new one). */
        public List<Message> history() {
            return entry.body;
        }

        /** Function call ids of the conversation so far, to the function's name. */
        public Map<String, String> callNames() {
            return entry.callNames;
        }

        /**
         * Keeps the conversation, as it is after this request, under {@code responseId}: a later request may go on
         * from there. The previous response id no longer continues it.
         */
        public void keep(String responseId, List<Message> body, Map<String, String> callNames) {
            List<Entry> evicted = new ArrayList<>();
            synchronized (ConversationStore.this) {
                if (done) throw new IllegalStateException("this turn already ended");
                done = true;
                entry.body = List.copyOf(body);
                entry.callNames = Map.copyOf(callNames);
                entry.lastUsed = System.nanoTime();
                entry.busy = false;
                if (previousId != null) kept.remove(previousId);
                else starting--;
                if (closed) {
                    evicted.add(entry);
                } else {
                    kept.put(responseId, entry);
                }
            }
            closeAll(evicted);
        }

        /** Ends the request's use: a new conversation that was not kept is closed; a resumed one stays as it was. */
        @Override
        public void close() {
            boolean closeScope;
            synchronized (ConversationStore.this) {
                if (done) return;
                done = true;
                entry.busy = false;
                entry.lastUsed = System.nanoTime();
                closeScope = previousId == null || closed;
                if (previousId == null) starting--;
            }
            if (closeScope) closeAll(List.of(entry));
        }
    }
}
