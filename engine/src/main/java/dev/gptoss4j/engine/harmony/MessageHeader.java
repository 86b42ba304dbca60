package dev.gptoss4j.engine.harmony;

import java.util.Objects;

/** A parsed message header: everything between {@code <|start|>} and {@code <|message|>}. */
public record MessageHeader(Author author, String recipient, String channel, String contentType) {

    public MessageHeader {
        Objects.requireNonNull(author, "author");
    }

    public Role role() {
        return author.role();
    }

    Message withText(String text) {
        return new Message(author, recipient, channel, contentType, java.util.List.of(new TextContent(text)));
    }
}
