package dev.gptoss4j.engine.harmony;

import dev.gptoss4j.engine.harmony.HarmonyParseException.Kind;
import dev.gptoss4j.engine.tokenizer.SpecialTokens;
import dev.gptoss4j.engine.tokenizer.Tokenizer;
import dev.gptoss4j.engine.tokenizer.Utf8StreamDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Parses harmony output one token at a time, as the model samples it.
 *
 * <pre>{@code
 * var parser = HarmonyStreamParser.builder().startRole(Role.ASSISTANT).listener(myListener).build();
 * for (int token : sampled) parser.accept(token);
 * parser.finish();
 * List<Message> messages = parser.messages();
 * }</pre>
 *
 * <p>A completion usually starts inside the assistant's header (the prompt ended with {@code <|start|>assistant}):
 * give {@link Builder#startRole}. Headers are accepted in every order the model produces (see {@link HeaderParser}).
 * Content is decoded byte-exactly: a character split over tokens is held back until complete.
 *
 * <p>Malformed output throws {@link HarmonyParseException} (never another exception), after which the parser
 * drops the broken message and resumes at the next {@code <|start|>}. Strict mode (the default, as in
 * openai/harmony) also rejects a special token inside content; lenient mode accepts what openai/harmony's
 * non-strict mode accepts: a header ended by a stop token without {@code <|message|>} becomes a message whose text
 * is the header's words, and stray special tokens in content become their spelled-out names. Memory is bounded
 * by {@link Builder#maxHeaderTokens} and {@link Builder#maxMessageTokens} (plus the parsed messages, when kept).
 * Not thread-safe: one parser per stream.
 */
public final class HarmonyStreamParser {

    /** Where the parser is in the stream. */
    public enum State {
        /** Between messages: the next token must be {@code <|start|>}. */
        EXPECT_START,
        /** Reading a header, up to {@code <|message|>}. */
        HEADER,
        /** Reading content, up to a stop token. */
        CONTENT,
        /** After an error: skipping to the next {@code <|start|>}. */
        RESYNC
    }

    /** openai/harmony's limit on a message (2^20 context minus 2^19 action length). */
    public static final int DEFAULT_MAX_MESSAGE_TOKENS = 524_288;

    public static final int DEFAULT_MAX_HEADER_TOKENS = 1_024;

    private static final HarmonyParseListener NO_LISTENER = new HarmonyParseListener() {};
    private static final byte[] CHANNEL_BYTES = HeaderParser.CHANNEL.getBytes(StandardCharsets.UTF_8);
    private static final byte[] CONSTRAIN_BYTES = HeaderParser.CONSTRAIN.getBytes(StandardCharsets.UTF_8);

    private final Tokenizer tokenizer;
    private final TokenPieces pieces;
    private final boolean strict;
    private final int maxHeaderTokens;
    private final int maxMessageTokens;
    private final HarmonyParseListener listener;
    private final boolean keepMessages;

    private final List<Message> messages = new ArrayList<>();
    private State state;
    private Role presetRole;
    private long position;

    private byte[] headerBytes = new byte[64];
    private int headerLength;
    private int headerTokens;

    private MessageHeader header;
    private final StringBuilder content = new StringBuilder();
    private final Utf8StreamDecoder utf8 = new Utf8StreamDecoder();
    private int contentTokens;

    private HarmonyStreamParser(Builder b) {
        this.tokenizer = b.tokenizer;
        this.pieces = TokenPieces.of(b.tokenizer);
        this.strict = b.strict;
        this.maxHeaderTokens = b.maxHeaderTokens;
        this.maxMessageTokens = b.maxMessageTokens;
        this.listener = b.listener == null ? NO_LISTENER : b.listener;
        this.keepMessages = b.keepMessages;
        this.presetRole = b.startRole;
        this.state = b.startRole == null ? State.EXPECT_START : State.HEADER;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A strict parser for a completion that starts inside an assistant header (after {@code <|start|>assistant}). */
    public static HarmonyStreamParser forAssistant() {
        return builder().startRole(Role.ASSISTANT).build();
    }

    /** Parses a whole token sequence (strict), ending it with end-of-stream; {@code startRole} may be null. */
    public static List<Message> parse(int[] tokens, Role startRole) {
        HarmonyStreamParser parser = builder().startRole(startRole).build();
        for (int token : tokens) parser.accept(token);
        parser.finish();
        return parser.messages();
    }

    /** Feeds one token. */
    public void accept(int token) {
        long at = position++;
        switch (state) {
            case EXPECT_START -> {
                if (token != SpecialTokens.START) {
                    throw fail(Kind.EXPECTED_START, at, token, "expected <|start|> but got " + describe(token));
                }
                beginHeader(null);
            }
            case RESYNC -> {
                if (token == SpecialTokens.START) beginHeader(null);
            }
            case HEADER -> acceptHeader(token, at);
            case CONTENT -> acceptContent(token, at);
        }
    }

    /** Ends the stream: completes a message whose content was being read; an unfinished header is an error. */
    public void finish() {
        long at = position;
        switch (state) {
            case EXPECT_START, RESYNC -> state = State.EXPECT_START;
            case HEADER -> {
                if (presetRole != null && headerTokens == 0) {
                    state = State.EXPECT_START; // nothing was generated at all
                    return;
                }
                throw fail(Kind.END_OF_STREAM_IN_HEADER, at, -1, "the stream ended inside a message header");
            }
            case CONTENT -> completeMessage(MessageStop.END_OF_STREAM);
        }
    }

    /** The messages completed so far (empty when built with {@code keepMessages(false)}). */
    public List<Message> messages() {
        return List.copyOf(messages);
    }

    public State state() {
        return state;
    }

    /** The header of the message being read, or null outside content. */
    public MessageHeader currentHeader() {
        return state == State.CONTENT ? header : null;
    }

    /** The content of the message being read so far (complete characters only). */
    public String currentContent() {
        return state == State.CONTENT ? content.toString() : "";
    }

    /** How many tokens were fed. */
    public long position() {
        return position;
    }

    /** Tokens held for the message being read (header or content); bounded by the limits. */
    public int bufferedTokens() {
        return switch (state) {
            case HEADER -> headerTokens;
            case CONTENT -> contentTokens;
            default -> 0;
        };
    }

    // --- header ---------------------------------------------------------------------------------------------

    private void beginHeader(Role role) {
        state = State.HEADER;
        presetRole = role;
        headerLength = 0;
        headerTokens = 0;
    }

    private void acceptHeader(int token, long at) {
        if (token == SpecialTokens.MESSAGE) {
            MessageHeader parsed = parseHeader(at, token);
            presetRole = null;
            startContent(parsed);
            return;
        }
        if (++headerTokens > maxHeaderTokens) {
            throw fail(
                    Kind.HEADER_TOO_LONG,
                    at,
                    token,
                    "message header longer than " + maxHeaderTokens + " tokens without <|message|>");
        }
        if (token == SpecialTokens.CHANNEL) {
            appendHeader(CHANNEL_BYTES);
        } else if (token == SpecialTokens.CONSTRAIN) {
            appendHeader(CONSTRAIN_BYTES);
        } else if (MessageStop.ofToken(token) != null) {
            if (strict) {
                throw fail(
                        Kind.MISSING_MESSAGE_TOKEN,
                        at,
                        token,
                        describe(token) + " ends a message header that has no <|message|>");
            }
            recoverHeaderWithoutMessage(token, at);
        } else if (token < 0 || token >= Tokenizer.VOCABULARY_SIZE) {
            throw fail(Kind.INVALID_TOKEN, at, token, "token id " + token + " is outside the vocabulary");
        } else if (tokenizer.isSpecial(token)) {
            throw fail(
                    Kind.UNEXPECTED_SPECIAL_TOKEN,
                    at,
                    token,
                    "unexpected " + describe(token) + " inside a message header");
        } else {
            appendHeader(pieces.piece(token).bytes());
        }
    }

    /** openai/harmony's non-strict recovery: with a preset role, the header's words become the text. */
    private void recoverHeaderWithoutMessage(int stopToken, long at) {
        Role role = presetRole;
        if (role != null && headerLength > 0) {
            String text = decodeHeader(at, stopToken);
            HeaderParser.Parsed parsed;
            try {
                parsed = HeaderParser.parse(text, role, false);
            } catch (IllegalArgumentException e) {
                throw fail(Kind.MALFORMED_HEADER, at, stopToken, e.getMessage());
            }
            MessageHeader h = parsed.header();
            String body = parsed.remaining() == null ? "" : parsed.remaining();
            listener.onMessageStart(h);
            if (!body.isEmpty()) listener.onContentDelta(h, body);
            Message m = h.withText(body);
            if (keepMessages) messages.add(m);
            listener.onMessageDone(m, MessageStop.ofToken(stopToken));
        }
        presetRole = null;
        state = State.EXPECT_START;
    }

    private MessageHeader parseHeader(long at, int token) {
        String text = decodeHeader(at, token);
        try {
            return HeaderParser.parse(text, presetRole, true).header();
        } catch (IllegalArgumentException e) {
            throw fail(Kind.MALFORMED_HEADER, at, token, e.getMessage() + " in header '" + text + "'");
        }
    }

    private String decodeHeader(long at, int token) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(headerBytes, 0, headerLength))
                    .toString();
        } catch (CharacterCodingException e) {
            throw fail(Kind.MALFORMED_HEADER, at, token, "message header is not valid UTF-8");
        }
    }

    private void appendHeader(byte[] bytes) {
        if (headerLength + bytes.length > headerBytes.length) {
            headerBytes = Arrays.copyOf(headerBytes, Math.max(headerBytes.length * 2, headerLength + bytes.length));
        }
        System.arraycopy(bytes, 0, headerBytes, headerLength, bytes.length);
        headerLength += bytes.length;
    }

    // --- content --------------------------------------------------------------------------------------------

    private void startContent(MessageHeader parsed) {
        header = parsed;
        content.setLength(0);
        utf8.reset();
        contentTokens = 0;
        state = State.CONTENT;
        listener.onMessageStart(parsed);
    }

    private void acceptContent(int token, long at) {
        MessageStop stop = MessageStop.ofToken(token);
        if (stop != null) {
            completeMessage(stop);
            return;
        }
        if (++contentTokens > maxMessageTokens) {
            throw fail(Kind.MESSAGE_TOO_LONG, at, token, "message content longer than " + maxMessageTokens + " tokens");
        }
        int before = content.length();
        if (token < 0 || token >= Tokenizer.VOCABULARY_SIZE) {
            if (strict) throw fail(Kind.INVALID_TOKEN, at, token, "token id " + token + " is outside the vocabulary");
            utf8.finish(content);
            content.append('\uFFFD');
        } else if (tokenizer.isSpecial(token)) {
            if (strict) {
                throw fail(
                        Kind.UNEXPECTED_SPECIAL_TOKEN,
                        at,
                        token,
                        "unexpected " + describe(token) + " inside message content");
            }
            utf8.feed(SpecialTokens.name(token).getBytes(StandardCharsets.UTF_8), content);
        } else {
            TokenPieces.Piece piece = pieces.piece(token);
            if (piece.text() != null && utf8.isIdle()) {
                content.append(piece.text());
            } else {
                utf8.feed(piece.bytes(), content);
            }
        }
        if (content.length() > before && listener != NO_LISTENER) {
            listener.onContentDelta(header, content.substring(before));
        }
    }

    private void completeMessage(MessageStop stop) {
        int before = content.length();
        utf8.finish(content);
        if (content.length() > before && listener != NO_LISTENER) {
            listener.onContentDelta(header, content.substring(before));
        }
        Message m = header.withText(content.toString());
        if (keepMessages) messages.add(m);
        state = State.EXPECT_START;
        header = null;
        content.setLength(0);
        contentTokens = 0;
        listener.onMessageDone(m, stop);
    }

    // --- errors ---------------------------------------------------------------------------------------------

    /** Drops the broken message and positions the parser to resume; returns the exception to throw. */
    private HarmonyParseException fail(Kind kind, long at, int token, String message) {
        header = null;
        content.setLength(0);
        contentTokens = 0;
        utf8.reset();
        presetRole = null;
        headerLength = 0;
        headerTokens = 0;
        boolean atEndOfStream = token == -1 && at == position;
        if (token == SpecialTokens.START) {
            state = State.HEADER; // the offending <|start|> begins the next message
        } else if (atEndOfStream) {
            state = State.EXPECT_START; // finish(): the stream is over, ready for a new one
        } else {
            state = State.RESYNC;
        }
        return new HarmonyParseException(kind, at, token, message);
    }

    private String describe(int token) {
        if (token >= SpecialTokens.FIRST_SPECIAL && token < Tokenizer.VOCABULARY_SIZE) return SpecialTokens.name(token);
        if (token < 0 || token >= Tokenizer.VOCABULARY_SIZE) return "invalid token id " + token;
        return "text token " + token + " '" + escape(tokenizer.decode(new int[] {token})) + "'";
    }

    private static String escape(String s) {
        return s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    }

    public static final class Builder {
        private Tokenizer tokenizer = Tokenizer.o200kHarmony();
        private boolean strict = true;
        private Role startRole;
        private int maxHeaderTokens = DEFAULT_MAX_HEADER_TOKENS;
        private int maxMessageTokens = DEFAULT_MAX_MESSAGE_TOKENS;
        private HarmonyParseListener listener;
        private boolean keepMessages = true;

        private Builder() {}

        /** The role of a stream that begins inside a header (after the prompt's {@code <|start|>role}); null: starts with {@code <|start|>}. */
        public Builder startRole(Role role) {
            this.startRole = role;
            return this;
        }

        /** Strict (default) or lenient, see the class comment. */
        public Builder strict(boolean strict) {
            this.strict = strict;
            return this;
        }

        public Builder listener(HarmonyParseListener listener) {
            this.listener = listener;
            return this;
        }

        public Builder maxHeaderTokens(int max) {
            if (max < 1) throw new IllegalArgumentException("maxHeaderTokens must be positive, got " + max);
            this.maxHeaderTokens = max;
            return this;
        }

        public Builder maxMessageTokens(int max) {
            if (max < 1) throw new IllegalArgumentException("maxMessageTokens must be positive, got " + max);
            this.maxMessageTokens = max;
            return this;
        }

        /** Whether {@link #messages()} collects the messages (default true); turn off for endless streams. */
        public Builder keepMessages(boolean keep) {
            this.keepMessages = keep;
            return this;
        }

        public Builder tokenizer(Tokenizer tokenizer) {
            this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
            return this;
        }

        public HarmonyStreamParser build() {
            return new HarmonyStreamParser(this);
        }
    }
}
