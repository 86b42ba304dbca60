package dev.gptoss4j.agent.remote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent events from a response body, one event's {@code data} at a time (the WHATWG event-stream format as
 * OpenAI-style APIs use it: {@code data:} lines, joined with newlines, ended by a blank line; comments and the
 * {@code event:}, {@code id:} and {@code retry:} fields carry nothing these streams need).
 */
final class SseReader {

    private final BufferedReader lines;
    private final StringBuilder data = new StringBuilder();
    private boolean ended;

    SseReader(InputStream body) {
        this.lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    /** The next event's data, or {@code null} at the end of the body (a last event without a blank line counts). */
    String next() throws IOException {
        while (!ended) {
            String line = lines.readLine();
            if (line == null) {
                ended = true;
                break;
            }
            if (line.isEmpty()) {
                if (!data.isEmpty()) return take();
                continue;
            }
            if (line.startsWith(":")) continue; // a comment: keep-alive
            if (line.startsWith("data:")) {
                String d = line.substring(5);
                if (d.startsWith(" ")) d = d.substring(1);
                if (!data.isEmpty()) data.append('\n');
                data.append(d);
            }
        }
        return data.isEmpty() ? null : take();
    }

    private String take() {
        String event = data.toString();
        data.setLength(0);
        return event;
    }
}
