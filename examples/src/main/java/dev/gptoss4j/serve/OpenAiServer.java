package dev.gptoss4j.serve;

import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.serve.http.HttpHost;
import dev.gptoss4j.serve.openai.ApiSettings;
import dev.gptoss4j.serve.openai.BackendPool;
import dev.gptoss4j.serve.openai.ChatCompletions;
import dev.gptoss4j.serve.openai.ConversationStore;
import dev.gptoss4j.serve.openai.Models;
import dev.gptoss4j.serve.openai.Responses;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An OpenAI-compatible HTTP server over {@link Backend}s: {@code /v1/models}, {@code /v1/chat/completions} and
 * {@code /v1/responses}, streaming or not. Requests share a {@link BackendPool}: as many run at once as there are
 * backends, a bounded number wait, the rest get 429.
 *
 * <pre>{@code
 * try (OpenAiServer server = OpenAiServer.builder()
 *         .backends(List.of(backendA, backendB))          // two generations at once
 *         .settings(ApiSettings.defaults("gpt-oss-20b"))
 *         .port(8000).apiKey(System.getenv("GPTOSS_API_KEY"))
 *         .build().start()) {
 *     Thread.currentThread().join();           // serve until the process ends
 * }
 * }</pre>
 */
public final class OpenAiServer implements AutoCloseable {

    private final BackendPool pool;
    private final HttpHost host;
    private final ApiSettings settings;
    private final ConversationStore conversations;

    private OpenAiServer(Builder b) {
        if (b.backends == null || b.backends.isEmpty())
            throw new IllegalArgumentException("the server needs a backend");
        this.settings = Objects.requireNonNull(b.settings, "settings");
        this.pool = new BackendPool(b.backends, b.maxQueued);
        Models models = new Models(settings);
        ChatCompletions chat = new ChatCompletions(settings, pool);
        this.conversations = new ConversationStore(b.maxConversations, b.conversationIdleTimeout);
        Responses responses = new Responses(settings, pool, conversations);
        this.host = HttpHost.builder()
                .host(b.host)
                .port(b.port)
                .apiKey(b.apiKey)
                .maxBodyBytes(b.maxBodyBytes)
                .requestTimeout(b.requestTimeout)
                .log(b.log)
                .route("GET", "/v1/models", models::list)
                .prefixRoute("GET", "/v1/models/", models::get)
                .route("POST", "/v1/chat/completions", chat)
                .route("POST", "/v1/responses", responses)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public OpenAiServer start() {
        host.start();
        return this;
    }

    public int port() {
        return host.port();
    }

    /** How long a client may take to send a request (the process's; see {@link HttpHost#requestTimeout()}). */
    public Duration requestTimeout() {
        return host.requestTimeout();
    }

    /** The base URL OpenAI clients take ({@code http://127.0.0.1:8000/v1}). */
    public String baseUrl() {
        String h = host.host();
        if (h.contains(":")) h = "[" + h + "]";
        return "http://" + h + ":" + port() + "/v1";
    }

    public ApiSettings settings() {
        return settings;
    }

    public BackendPool pool() {
        return pool;
    }

    /** The Responses conversations kept for {@code previous_response_id}, each with its tool scope. */
    public ConversationStore conversations() {
        return conversations;
    }

    /** Stops the server and closes the kept conversations' tool scopes; the backends stay open (the caller's). */
    @Override
    public void close() {
        host.close();
        conversations.close();
    }

    public static final class Builder {
        private List<? extends Backend> backends;
        private ApiSettings settings = ApiSettings.defaults("gpt-oss");
        private String host = "127.0.0.1";
        private int port = 8000;
        private String apiKey;
        private int maxQueued = 64;
        private PrintStream log = System.err;
        private int maxBodyBytes = 16 << 20;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private int maxConversations = ConversationStore.DEFAULT_MAX_LIVE;
        private Duration conversationIdleTimeout = ConversationStore.DEFAULT_IDLE_TIMEOUT;

        private Builder() {}

        /** One backend per concurrent generation; each is used by one request at a time. */
        public Builder backends(List<? extends Backend> backends) {
            this.backends = List.copyOf(backends);
            return this;
        }

        public Builder backend(Backend backend) {
            return backends(List.of(backend));
        }

        public Builder settings(ApiSettings settings) {
            this.settings = settings;
            return this;
        }

        /** The address to listen on: loopback unless told otherwise. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The port; 0 picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Requests must send {@code Authorization: Bearer KEY}; {@code null} for an open server. A blank key is
         * refused when the server is built (it would silently mean no authentication).
         */
        public Builder apiKey(String key) {
            this.apiKey = key;
            return this;
        }

        /** Request bodies larger than this get 413 (default 16 MiB). */
        public Builder maxBodyBytes(int max) {
            this.maxBodyBytes = max;
            return this;
        }

        /**
         * How long a client may take to send a request's headers and body before its connection is closed (default
         * 30 s; process-wide, see {@link HttpHost#requestTimeout()}).
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** Requests that may wait for a free backend; beyond that they get 429. */
        public Builder maxQueued(int max) {
            this.maxQueued = max;
            return this;
        }

        public Builder log(PrintStream log) {
            this.log = log;
            return this;
        }

        /**
         * Responses conversations kept at once for {@code previous_response_id}, each with its own tool scope; the
         * least recently used idle one is evicted (its sandboxes closed) to make room.
         */
        public Builder maxConversations(int max) {
            this.maxConversations = max;
            return this;
        }

        /** A kept conversation idle for this long is evicted and its tool scope closed. */
        public Builder conversationIdleTimeout(Duration timeout) {
            this.conversationIdleTimeout = timeout;
            return this;
        }

        public OpenAiServer build() {
            return new OpenAiServer(this);
        }
    }
}
