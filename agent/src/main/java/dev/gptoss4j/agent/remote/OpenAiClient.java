package dev.gptoss4j.agent.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.agent.backend.ContextOverflowException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * JSON over HTTP to an OpenAI-style API ({@code https://api.openai.com/v1}, a vLLM or Ollama server, a proxy):
 * bearer authentication, timeouts, retries with backoff on 429 and 5xx honouring {@code Retry-After}, and
 * server-sent event streams. Shared by the remote backends and the vision providers.
 *
 * <p>The API key goes into the {@code Authorization} header and nowhere else: it is never logged, and it is cut
 * out of every error message (servers sometimes echo what they were sent). Thread-safe.
 *
 * <p>HTTP is the JDK's {@code HttpClient}: the agent module then needs no HTTP library (OkHttp would bring the
 * Kotlin standard library with it); {@link SseReader} reads the event streams and {@link ReadTimeoutInputStream}
 * gives bodies the read timeout the JDK's client lacks.
 */
public final class OpenAiClient {

    static final ObjectMapper JSON = new ObjectMapper();
    /**
     * How servers word a prompt longer than the model's context in a 400: OpenAI's {@code context_length_exceeded},
     * vLLM's "maximum context length is N tokens", llama.cpp's "exceeds the available context size".
     */
    private static final Pattern CONTEXT_OVERFLOW =
            Pattern.compile("(?i)context[ _](length|window|size)|maximum context|exceeds? (the )?(model's )?context");

    private static final int MAX_ERROR_BODY = 600;

    private final String baseUrl;
    private final String apiKey;
    private final HttpSettings settings;
    private final HttpClient http;

    /**
     * @param baseUrl  the API root, such as {@code http://localhost:8000/v1}; a bare server address gets
     *                 {@code /v1} appended
     * @param apiKey   sent as a bearer token; {@code null} or blank for servers without authentication
     */
    public OpenAiClient(String baseUrl, String apiKey, HttpSettings settings) {
        this.baseUrl = normalize(baseUrl);
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
        this.settings = Objects.requireNonNull(settings, "settings");
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                // plain http: HTTP/1.1 without an h2c upgrade offer, which some servers and proxies mishandle
                .version(this.baseUrl.startsWith("https:") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** The API root calls go to, such as {@code http://localhost:8000/v1}. */
    public String baseUrl() {
        return baseUrl;
    }

    public HttpSettings settings() {
        return settings;
    }

    static String normalize(String baseUrl) {
        if (baseUrl == null || baseUrl.isBlank()) throw new IllegalArgumentException("the base URL must not be blank");
        String url = baseUrl.strip();
        while (url.endsWith("/")) url = url.substring(0, url.length() - 1);
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("base URL '" + url + "' is not a URL: " + e.getReason());
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("base URL '" + url + "' must start with http:// or https://");
        }
        if (uri.getHost() == null) throw new IllegalArgumentException("base URL '" + url + "' names no host");
        // the OpenAI convention is a root ending in /v1; a bare host:port is what users of vLLM/Ollama often type
        if (uri.getPath() == null || uri.getPath().isEmpty()) url += "/v1";
        return url;
    }

    /** POSTs {@code body} to {@code path} (such as {@code /chat/completions}) and returns the JSON answer. */
    public JsonNode post(String path, JsonNode body) {
        return execute(path, body, () -> false, true, response -> {
            String text = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            try {
                return JSON.readTree(text);
            } catch (JsonProcessingException e) {
                throw new HttpCallException(
                        "POST " + url(path) + " answered with malformed JSON (" + e.getOriginalMessage() + "): "
                                + redact(snippet(text)),
                        response.status());
            }
        });
    }

    /** How a stream ended. */
    public enum StreamEnd {
        /** The server sent {@code data: [DONE]} (or a whole JSON answer instead of a stream). */
        DONE,
        /** The body ended without {@code [DONE]}: the caller decides whether what came was complete. */
        EOF,
        /** {@code cancelled} turned true; the connection was closed. */
        CANCELLED
    }

    /**
     * POSTs {@code body} and reads the answer as server-sent events, handing each event's JSON to {@code onEvent}
     * as it arrives. Failures before the stream starts are retried; a stream that breaks off is not (the events
     * already handed out cannot be taken back): it fails with an {@link HttpCallException} saying how far it got.
     * A server that ignores {@code "stream": true} and answers with one JSON object is read as a one-event stream.
     *
     * @param cancelled polled between events
     */
    public StreamEnd stream(String path, JsonNode body, BooleanSupplier cancelled, Consumer<JsonNode> onEvent) {
        return execute(path, body, cancelled, false, response -> readEvents(path, response, cancelled, onEvent));
    }

    private StreamEnd readEvents(String path, Answer response, BooleanSupplier cancelled, Consumer<JsonNode> onEvent)
            throws IOException {
        String type = response.headers().firstValue("Content-Type").orElse("");
        String mediaType = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (mediaType.endsWith("/json") || mediaType.endsWith("+json")) {
            String text = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            onEvent.accept(parseEvent(path, text, 1));
            return StreamEnd.DONE;
        }
        SseReader events = new SseReader(response.body());
        int count = 0;
        while (true) {
            if (cancelled.getAsBoolean()) return StreamEnd.CANCELLED;
            String data;
            try {
                data = events.next();
            } catch (IOException e) {
                throw new HttpCallException(
                        "the stream from " + url(path) + " broke off after " + count + " event"
                                + (count == 1 ? "" : "s") + ": " + describe(e),
                        0,
                        e);
            }
            if (data == null) return StreamEnd.EOF;
            if (dispatch(path, data, ++count, onEvent)) return StreamEnd.DONE;
        }
    }

    /** Hands one event out; returns whether it was the {@code [DONE]} marker. */
    private boolean dispatch(String path, String data, int index, Consumer<JsonNode> onEvent) {
        String text = data.strip();
        if (text.equals("[DONE]")) return true;
        onEvent.accept(parseEvent(path, text, index));
        return false;
    }

    private JsonNode parseEvent(String path, String text, int index) {
        JsonNode event;
        try {
            event = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new HttpCallException(
                    "event " + index + " of the stream from " + url(path) + " is malformed JSON ("
                            + e.getOriginalMessage() + "): " + redact(snippet(text)),
                    0);
        }
        if (event == null || !event.isObject()) {
            throw new HttpCallException(
                    "event " + index + " of the stream from " + url(path) + " is not a JSON object: "
                            + redact(snippet(text)),
                    0);
        }
        if (event.hasNonNull("error")) {
            throw new HttpCallException(
                    "the stream from " + url(path) + " reported an error: " + redact(errorText(event.get("error"))), 0);
        }
        return event;
    }

    /** A response whose status says it can be read: its headers and its (timed) body. */
    private record Answer(int status, HttpHeaders headers, InputStream body) {}

    @FunctionalInterface
    private interface ResponseReader<T> {
        T read(Answer response) throws IOException;
    }

    private <T> T execute(
            String path,
            JsonNode body,
            BooleanSupplier cancelled,
            boolean retryReadFailures,
            ResponseReader<T> reader) {
        String url = url(path);
        byte[] payload;
        try {
            payload = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body for " + url + " cannot be written as JSON", e);
        }
        URI uri = URI.create(url);
        long deadline = System.nanoTime() + settings.overallTimeout().toNanos();
        for (int attempt = 0; ; attempt++) {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw overall(url, attempt);
            HttpRequest.Builder rb = HttpRequest.newBuilder(uri)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    // until the headers come: the read timeout, bounded by what is left of the overall one
                    .timeout(Duration.ofNanos(
                            Math.min(left, settings.readTimeout().toNanos())));
            if (apiKey != null) rb.header("Authorization", "Bearer " + apiKey);
            HttpResponse<InputStream> response;
            try {
                response = http.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HttpCallException("POST " + url + " was interrupted", 0, e);
            } catch (IOException e) {
                if (cancelled.getAsBoolean()) throw new HttpCallException("POST " + url + " was cancelled", 0, e);
                if (deadline - System.nanoTime() <= 0) throw overall(url, attempt + 1);
                if (attempt < settings.maxRetries()) {
                    pause(backoff(attempt), deadline, url, cancelled);
                    continue;
                }
                throw new HttpCallException("POST " + url + " failed" + attempts(attempt) + ": " + describe(e), 0, e);
            }
            InputStream in = new ReadTimeoutInputStream(response.body(), settings.readTimeout(), deadline);
            try {
                int status = response.statusCode();
                if (status < 200 || status > 299) {
                    String error = errorMessage(in);
                    if (retryable(status) && attempt < settings.maxRetries()) {
                        Duration wait = retryAfter(response.headers());
                        if (wait != null && wait.compareTo(settings.maxRetryWait()) > 0) {
                            throw new HttpCallException(
                                    "POST " + url + ": HTTP " + status + " asks to retry after "
                                            + seconds(wait) + ", longer than the " + seconds(settings.maxRetryWait())
                                            + " this client waits: " + error,
                                    status);
                        }
                        pause(wait != null ? wait : backoff(attempt), deadline, url, cancelled);
                        continue;
                    }
                    if (status == 400 && CONTEXT_OVERFLOW.matcher(error).find()) {
                        throw new ContextOverflowException("POST " + url + ": HTTP 400: " + error, -1, -1);
                    }
                    throw new HttpCallException(
                            "POST " + url + ": HTTP " + status + attempts(attempt) + ": " + error, status);
                }
                try {
                    return reader.read(new Answer(status, response.headers(), in));
                } catch (IOException e) {
                    if (retryReadFailures && attempt < settings.maxRetries() && !cancelled.getAsBoolean()) {
                        pause(backoff(attempt), deadline, url, cancelled);
                        continue;
                    }
                    if (deadline - System.nanoTime() <= 0) throw overall(url, attempt + 1);
                    throw new HttpCallException(
                            "reading the answer of POST " + url + attempts(attempt) + " failed: " + describe(e),
                            status,
                            e);
                }
            } finally {
                closeQuietly(in); // unread rest (a cancelled stream): the connection is dropped, not reused
            }
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing more to read from it either way
        }
    }

    private HttpCallException overall(String url, int attempts) {
        return new HttpCallException(
                "POST " + url + " did not finish within the overall timeout of "
                        + seconds(settings.overallTimeout()) + " (" + attempts + " attempt" + (attempts == 1 ? "" : "s")
                        + ")",
                0);
    }

    private static String attempts(int attempt) {
        return attempt == 0 ? "" : " (after " + (attempt + 1) + " attempts)";
    }

    static boolean retryable(int status) {
        return status == 429 || status == 408 || status >= 500;
    }

    /** Exponential backoff with full jitter in the upper half, so parallel clients spread out. */
    private Duration backoff(int attempt) {
        long base = settings.initialBackoff().toMillis() << Math.min(attempt, 16);
        long capped = Math.min(base, settings.maxRetryWait().toMillis());
        long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        return Duration.ofMillis(Math.max(1, jittered));
    }

    /** {@code retry-after-ms} (OpenAI) or {@code Retry-After} in seconds or as an HTTP date; null when absent. */
    static Duration retryAfter(HttpHeaders headers) {
        String ms = headers.firstValue("retry-after-ms").orElse(null);
        if (ms != null) {
            try {
                return Duration.ofMillis(Math.max(0, (long) Double.parseDouble(ms.strip())));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        String value = headers.firstValue("Retry-After").orElse(null);
        if (value == null || value.isBlank()) return null;
        String v = value.strip();
        try {
            return Duration.ofMillis(Math.max(0, (long) (Double.parseDouble(v) * 1000)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(when.getZone()), when);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }

    private void pause(Duration wait, long deadline, String url, BooleanSupplier cancelled) {
        long until = System.nanoTime() + wait.toNanos();
        if (until > deadline) {
            throw new HttpCallException(
                    "POST " + url + ": the next retry (in " + seconds(wait) + ") would pass the overall timeout of "
                            + seconds(settings.overallTimeout()),
                    0);
        }
        while (System.nanoTime() < until) {
            if (cancelled.getAsBoolean()) throw new HttpCallException("POST " + url + " was cancelled", 0);
            try {
                Thread.sleep(Math.max(1, Math.min(50, (until - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HttpCallException("POST " + url + " was interrupted while waiting to retry", 0, e);
            }
        }
    }

    private String errorMessage(InputStream body) {
        String text;
        try {
            text = new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            text = "";
        }
        try {
            JsonNode json = JSON.readTree(text);
            if (json != null && json.has("error")) return redact(errorText(json.get("error")));
            if (json != null && json.has("message"))
                return redact(json.get("message").asText());
        } catch (JsonProcessingException notJson) {
            // a proxy's HTML page or plain text: show its start
        }
        String s = snippet(text);
        return redact(s.isBlank() ? "(no body)" : s);
    }

    private static String errorText(JsonNode error) {
        if (error.isTextual()) return error.asText();
        StringBuilder sb = new StringBuilder(error.path("message").asText(error.toString()));
        String type = error.path("type").asText("");
        if (!type.isEmpty()) sb.append(" (").append(type).append(')');
        return sb.toString();
    }

    private static String snippet(String text) {
        String t = text.strip().replaceAll("\\s+", " ");
        return t.length() > MAX_ERROR_BODY ? t.substring(0, MAX_ERROR_BODY) + "..." : t;
    }

    /** Cuts the key (and any bearer token) out of text that may reach users or logs. */
    public String redact(String text) {
        if (text == null) return null;
        String t = text;
        if (apiKey != null) t = t.replace(apiKey, "[redacted]");
        return t.replaceAll("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]{6,}", "$1[redacted]");
    }

    private String describe(IOException e) {
        String what;
        if (e instanceof SocketTimeoutException
                || e instanceof HttpTimeoutException
                || (e instanceof InterruptedIOException && "timeout".equals(e.getMessage()))) {
            what = "timed out (connect " + seconds(settings.connectTimeout()) + ", read "
                    + seconds(settings.readTimeout()) + ")";
        } else if (e instanceof UnknownHostException
                || e.getCause() instanceof java.nio.channels.UnresolvedAddressException) {
            what = "unknown host " + URI.create(baseUrl).getHost();
        } else if (e instanceof ConnectException) {
            what = "cannot connect (" + (e.getMessage() != null ? e.getMessage() : "refused") + ")";
        } else {
            what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return redact(what);
    }

    private String url(String path) {
        return baseUrl + (path.startsWith("/") ? path : "/" + path);
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    @Override
    public String toString() {
        return "OpenAiClient[" + baseUrl + (apiKey != null ? ", key set" : "") + "]";
    }
}
