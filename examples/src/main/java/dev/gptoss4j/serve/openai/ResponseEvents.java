package dev.gptoss4j.serve.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.serve.http.ClientGoneException;
import dev.gptoss4j.serve.http.SseStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Responses API's typed event stream ({@code event: response.output_text.delta} with a JSON body carrying the
 * same {@code type} and a {@code sequence_number}). Without a stream (a non-streaming request) events are dropped.
 * A failed write sets {@link #cancelled()}, which the backend polls between tokens.
 */
final class ResponseEvents {

    private final SseStream sse;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private int sequence;

    ResponseEvents(SseStream sse) {
        this.sse = sse;
    }

    void emit(String type, ObjectNode payload) {
        if (sse == null || cancelled.get()) return;
        ObjectNode event = Fields.JSON.createObjectNode();
        event.put("type", type);
        event.put("sequence_number", sequence++);
        event.setAll(payload);
        try {
            sse.send(type, event.toString());
        } catch (ClientGoneException e) {
            cancelled.set(true);
        }
    }

    boolean cancelled() {
        return cancelled.get();
    }

    static ObjectNode node() {
        return Fields.JSON.createObjectNode();
    }
}
