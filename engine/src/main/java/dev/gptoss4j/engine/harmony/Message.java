package dev.gptoss4j.engine.harmony;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One harmony message: {@code <|start|>author[ to=recipient][<|channel|>channel][ contentType]<|message|>content<|end|>}.
 *
 * @param recipient   {@code to=} target: a tool for an assistant's tool call ({@code functions.get_weather}), or
 *                    {@code assistant} for a tool's answer; {@code null} (or {@code all}) for everyone
 * @param channel     {@code analysis}, {@code commentary}, {@code final}, or {@code null}
 * @param contentType such as {@code <|constrain|>json} or {@code code}; usually set only by the model
 */
public record Message(Author author, String recipient, String channel, String contentType, List<Content> content) {

    public Message {
        Objects.requireNonNull(author, "author");
        content = List.copyOf(content);
        if (recipient != null && recipient.isEmpty()) recipient = null;
        if (channel != null && channel.isEmpty()) channel = null;
        if (contentType != null && contentType.isEmpty()) contentType = null;
    }

    public static Message of(Author author, Content... content) {
        return new Message(author, null, null, null, List.of(content));
    }

    public static Message of(Role role, String text) {
        return of(Author.of(role), new TextContent(text));
    }

    public static Message system(SystemContent content) {
        return of(Author.of(Role.SYSTEM), content);
    }

    public static Message developer(DeveloperContent content) {
        return of(Author.of(Role.DEVELOPER), content);
    }

    public static Message user(String text) {
        return of(Role.USER, text);
    }

    public static Message assistant(String text) {
        return of(Role.ASSISTANT, text);
    }

    /** An assistant message on a channel ({@code analysis}, {@code commentary}, {@code final}). */
    public static Message assistant(String channel, String text) {
        return of(Role.ASSISTANT, text).withChannel(channel);
    }

    /** A tool's answer, written by {@code toolName} (such as {@code functions.get_weather}). */
    public static Message tool(String toolName, String text) {
        return of(Author.tool(toolName), new TextContent(text));
    }

    public static Builder builder(Role role) {
        return new Builder(Author.of(role));
    }

    public static Builder builder(Author author) {
        return new Builder(author);
    }

    public Message withChannel(String channel) {
        return new Message(author, recipient, channel, contentType, content);
    }

    public Message withRecipient(String recipient) {
        return new Message(author, recipient, channel, contentType, content);
    }

    public Message withContentType(String contentType) {
        return new Message(author, recipient, channel, contentType, content);
    }

    public Message withAuthor(Author author) {
        return new Message(author, recipient, channel, contentType, content);
    }

    public Role role() {
        return author.role();
    }

    /** The text content, concatenated (empty for a message with only structured content). */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Content c : content) {
            if (c instanceof TextContent(String text)) sb.append(text);
        }
        return sb.toString();
    }

    public static final class Builder {
        private Author author;
        private String recipient;
        private String channel;
        private String contentType;
        private final List<Content> content = new ArrayList<>();

        private Builder(Author author) {
            this.author = author;
        }

        public Builder author(Author author) {
            this.author = author;
            return this;
        }

        public Builder name(String name) {
            this.author = new Author(author.role(), name);
            return this;
        }

        public Builder recipient(String recipient) {
            this.recipient = recipient;
            return this;
        }

        public Builder channel(String channel) {
            this.channel = channel;
            return this;
        }

        public Builder contentType(String contentType) {
            this.contentType = contentType;
            return this;
        }

        public Builder text(String text) {
            content.add(new TextContent(text));
            return this;
        }

        public Builder content(Content c) {
            content.add(Objects.requireNonNull(c, "content"));
            return this;
        }

        public Message build() {
            return new Message(author, recipient, channel, contentType, content);
        }
    }
}
