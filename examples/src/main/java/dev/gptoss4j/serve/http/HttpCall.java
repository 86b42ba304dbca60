package dev.gptoss4j.serve.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** One HTTP request and its response: the request's parts, and a response sent at most once. */
public final class HttpCall {

    private final HttpExchange exchange;
    private final int maxBodyBytes;
    private boolean committed;
    private SseStream sse;

    HttpCall(HttpExchange exchange, int maxBodyBytes) {
        this.exchange = exchange;
        this.maxBodyBytes = maxBodyBytes;
    }

    public String method() {
        return exchange.getRequestMethod();
    }

    /** The path without the query string. */
    public String path() {
        return exchange.getRequestURI().getPath();
    }

    /** A request header, or {@code null}. */
    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** The whole request body; a body over the size limit is refused with 413. */
    public byte[] body() {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                throw new ApiException(
                        413,
                        "invalid_request_error",
                        "request_too_large",
                        null,
                        "the request body is larger than " + maxBodyBytes + " bytes");
            }
            return body;
        } catch (IOException e) {
            throw new ClientGoneException(e);
        }
    }

    /** Adds a response header; only before the response is sent. */
    public void responseHeader(String name, String value) {
        exchange.getResponseHeaders().add(name, value);
    }

    /** Sends a complete JSON response. */
    public void respondJson(int status, String json) {
        respond(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    public void respond(int status, String contentType, byte[] body) {
        commit();
        exchange.getResponseHeaders().set("Content-Type", contentType);
        try {
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            throw new ClientGoneException(e);
        }
    }

    /** Starts a {@code text/event-stream} response (status 200, chunked): events follow through the stream. */
    public SseStream startSse() {
        commit();
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        try {
            exchange.sendResponseHeaders(200, 0);
        } catch (IOException e) {
            throw new ClientGoneException(e);
        }
        sse = new SseStream(exchange.getResponseBody());
        return sse;
    }

    /** Whether the status line was sent (an error can then no longer change it). */
    public boolean committed() {
        return committed;
    }

    /** The event stream, if {@link #startSse} was called. */
    SseStream sse() {
        return sse;
    }

    private void commit() {
        if (committed)
            throw new IllegalStateException("the response to " + method() + " " + path() + " was already sent");
        committed = true;
    }

    void close() {
        try {
            exchange.close();
        } catch (RuntimeException e) {
            // closing a connection the client already dropped: nothing left to do
        }
    }
}
