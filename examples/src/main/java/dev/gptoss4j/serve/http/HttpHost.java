package dev.gptoss4j.serve.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small HTTP server on the JDK's {@code com.sun.net.httpserver}: one virtual thread per request (a request that
 * waits for the model blocks only itself), routes by method and path, an optional bearer API key, and errors as
 * JSON. It knows nothing about what the routes do.
 */
public final class HttpHost implements AutoCloseable {

    /** Handles one request; throws {@link ApiException} for an error response. */
    @FunctionalInterface
    public interface Handler {
        void handle(HttpCall call);
    }

    private record Route(String method, String path, boolean prefix, Handler handler) {
        boolean matches(String p) {
            return prefix ? p.startsWith(path) && p.length() > path.length() : p.equals(path);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The JDK server's limit on reading one request's headers and body, in seconds: read once per process. */
    static final String MAX_REQUEST_SECONDS = "sun.net.httpserver.maxReqTime";
    /** How often the JDK server looks for connections that sent nothing (default 10 s: too coarse for the limit). */
    static final String IDLE_CHECK_MILLIS = "sun.net.httpserver.clockTick";
    /** The request timeout of the first server started in this process, which every later one shares. */
    private static Duration processRequestTimeout;

    private final List<Route> routes;
    private final byte[] apiKey;
    private final int maxBodyBytes;
    private final PrintStream log;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Duration requestTimeout;

    private HttpHost(Builder b) {
        this.routes = List.copyOf(b.routes);
        this.apiKey = b.apiKey == null ? null : b.apiKey.getBytes(StandardCharsets.UTF_8);
        this.maxBodyBytes = b.maxBodyBytes;
        this.log = b.log;
        this.requestTimeout = applyRequestTimeout(b.requestTimeout, b.log);
        try {
            this.server = HttpServer.create(new InetSocketAddress(b.host, b.port), b.backlog);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + b.host + ":" + b.port + ": " + e.getMessage(), e);
        }
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts accepting connections; returns at once. */
    public HttpHost start() {
        server.start();
        return this;
    }

    /** The port listened on (the one chosen by the system when the builder asked for port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    public String host() {
        return server.getAddress().getHostString();
    }

    /**
     * How long a client may take to send a request's headers and body before the connection is closed (a connection
     * that sends nothing at all is closed after it too): slow and half-open clients cannot hold connections.
     */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * The JDK server reads its request time limit from a system property once, when its first server starts, so the
     * limit is the process's: the first server's (or {@code -Dsun.net.httpserver.maxReqTime=SECONDS}) holds for all.
     */
    private static synchronized Duration applyRequestTimeout(Duration wanted, PrintStream log) {
        if (processRequestTimeout == null) {
            if (System.getProperty(MAX_REQUEST_SECONDS) == null) {
                System.setProperty(MAX_REQUEST_SECONDS, Long.toString(Math.max(1, wanted.toSeconds())));
            }
            if (System.getProperty(IDLE_CHECK_MILLIS) == null) System.setProperty(IDLE_CHECK_MILLIS, "1000");
            long seconds = Long.getLong(MAX_REQUEST_SECONDS, -1);
            processRequestTimeout = seconds > 0 ? Duration.ofSeconds(seconds) : Duration.ZERO;
        }
        if (!processRequestTimeout.equals(Duration.ofSeconds(Math.max(1, wanted.toSeconds())))) {
            log.println("gptoss serve: the request timeout is " + processRequestTimeout.toSeconds() + " s for the "
                    + "whole process (set by the first server or -D" + MAX_REQUEST_SECONDS + "), not "
                    + wanted.toSeconds() + " s");
        }
        return processRequestTimeout;
    }

    /** Stops listening and ends open requests. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void dispatch(HttpExchange exchange) {
        HttpCall call = new HttpCall(exchange, maxBodyBytes);
        try {
            String path = call.path();
            Route route = null;
            boolean pathKnown = false;
            for (Route r : routes) {
                if (!r.matches(path)) continue;
                pathKnown = true;
                if (r.method.equals(call.method())) {
                    route = r;
                    break;
                }
            }
            checkApiKey(call);
            if (route == null) {
                if (pathKnown) {
                    call.responseHeader(
                            "Allow",
                            String.join(
                                    ", ",
                                    routes.stream()
                                            .filter(r -> r.matches(path))
                                            .map(Route::method)
                                            .toList()));
                    throw new ApiException(
                            405,
                            "invalid_request_error",
                            "method_not_allowed",
                            null,
                            call.method() + " is not allowed on " + path);
                }
                throw ApiException.notFound("unknown_url", "Invalid URL (" + call.method() + " " + path + ")");
            }
            route.handler.handle(call);
        } catch (ApiException e) {
            writeError(call, e);
        } catch (ClientGoneException e) {
            // the client left; its work was cancelled where the write failed
        } catch (RuntimeException e) {
            log.println("gptoss serve: " + call.method() + " " + call.path() + " failed: " + e);
            String message =
                    e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            writeError(call, ApiException.server("internal_error", message));
        } finally {
            call.close();
        }
    }

    private void checkApiKey(HttpCall call) {
        if (apiKey == null) return;
        String auth = call.header("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiException.unauthorized("missing API key: send the header 'Authorization: Bearer KEY'");
        }
        byte[] given = auth.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, apiKey)) { // constant time: the key is not guessable byte by byte
            throw ApiException.unauthorized("incorrect API key");
        }
    }

    /**
     * Writes an error: a JSON error body with its status when nothing was sent yet, or one last {@code error}
     * event when an event stream is already under way.
     */
    static void writeError(HttpCall call, ApiException e) {
        String body = errorJson(e);
        try {
            if (!call.committed()) {
                if (e.status() == 429) call.responseHeader("Retry-After", "1");
                call.respondJson(e.status(), body);
            } else if (call.sse() != null && call.sse().isOpen()) {
                call.sse().send(null, body);
            }
        } catch (ClientGoneException ignored) {
            // nobody left to tell
        }
    }

    /** {@code {"error": {"message", "type", "param", "code"}}}. */
    public static String errorJson(ApiException e) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", e.getMessage());
        error.put("type", e.type());
        error.put("param", e.param());
        error.put("code", e.code());
        return root.toString();
    }

    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8000;
        private int backlog = 256;
        private String apiKey;
        private int maxBodyBytes = 16 << 20;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private PrintStream log = System.err;
        private final List<Route> routes = new ArrayList<>();

        private Builder() {}

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port; 0 lets the system choose a free one ({@link HttpHost#port()} tells which). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, got " + port);
            this.port = port;
            return this;
        }

        /**
         * Requests must carry {@code Authorization: Bearer KEY}; {@code null} for a server without authentication.
         *
         * @throws IllegalArgumentException for a blank key, which would silently mean no authentication
         */
        public Builder apiKey(String key) {
            if (key != null && key.isBlank()) {
                throw new IllegalArgumentException(
                        "the API key is blank; give a key, or none (null) for a server " + "without authentication");
            }
            this.apiKey = key;
            return this;
        }

        /** Larger request bodies get 413 (default 16 MiB). */
        public Builder maxBodyBytes(int max) {
            if (max < 1024)
                throw new IllegalArgumentException("the body limit must be at least 1024 bytes, got " + max);
            this.maxBodyBytes = max;
            return this;
        }

        /**
         * How long a client may take to send a request's headers and body (default 30 s, whole seconds; see
         * {@link HttpHost#requestTimeout()}: the first server of a process sets it for all).
         */
        public Builder requestTimeout(Duration timeout) {
            if (timeout == null || timeout.toSeconds() < 1) {
                throw new IllegalArgumentException("the request timeout must be at least 1 s, got " + timeout);
            }
            this.requestTimeout = timeout;
            return this;
        }

        /** Where failures of handlers are logged. */
        public Builder log(PrintStream log) {
            this.log = Objects.requireNonNull(log, "log");
            return this;
        }

        public Builder route(String method, String path, Handler handler) {
            routes.add(new Route(method, path, false, handler));
            return this;
        }

        /** A route for every path below {@code prefix} ({@code /v1/models/} for {@code /v1/models/ID}). */
        public Builder prefixRoute(String method, String prefix, Handler handler) {
            routes.add(new Route(method, prefix, true, handler));
            return this;
        }

        public HttpHost build() {
            return new HttpHost(this);
        }
    }
}
