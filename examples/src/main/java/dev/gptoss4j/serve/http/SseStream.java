package dev.gptoss4j.serve.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A server-sent event stream: each event is written and flushed at once (one HTTP chunk), so the client sees a
 * token when the model writes it. A failed write means the client is gone: {@link #send} throws
 * {@link ClientGoneException} then, and every later send is dropped, so the caller can cancel its work.
 */
public final class SseStream {

    private final OutputStream out;
    private volatile boolean open = true;

    SseStream(OutputStream out) {
        this.out = out;
    }

    /**
     * Sends one event.
     *
     * @param event the {@code event:} name, or {@code null} for a bare {@code data:} event
     * @param data  one line of data (JSON here); must not contain a line break
     */
    public synchronized void send(String event, String data) {
        if (!open) throw new ClientGoneException(null);
        StringBuilder sb = new StringBuilder(data.length() + 32);
        if (event != null) sb.append("event: ").append(event).append('\n');
        sb.append("data: ").append(data).append("\n\n");
        try {
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            open = false;
            throw new ClientGoneException(e);
        }
    }

    /** Whether every event so far reached the socket (a closed client is noticed at the next write). */
    public boolean isOpen() {
        return open;
    }
}
