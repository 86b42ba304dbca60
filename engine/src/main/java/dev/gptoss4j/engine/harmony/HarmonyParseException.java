package dev.gptoss4j.engine.harmony;

/**
 * Malformed harmony in a token stream. The parser that threw it stays usable: it drops the broken message and
 * resumes at the next {@code <|start|>} (or at the offending token itself when that is a {@code <|start|>}).
 */
public final class HarmonyParseException extends RuntimeException {

    /** What went wrong. */
    public enum Kind {
        /** A token other than {@code <|start|>} where a message must begin. */
        EXPECTED_START,
        /** A stop token ({@code <|end|>}, {@code <|call|>}, {@code <|return|>}) before the header's {@code <|message|>}. */
        MISSING_MESSAGE_TOKEN,
        /** A special token that has no place here (e.g. {@code <|start|>} or a reserved token inside a header). */
        UNEXPECTED_SPECIAL_TOKEN,
        /** A token id outside the vocabulary. */
        INVALID_TOKEN,
        /** The header text does not parse (unknown role, empty channel, stray words, invalid UTF-8). */
        MALFORMED_HEADER,
        /** The header is longer than the parser's limit. */
        HEADER_TOO_LONG,
        /** The content is longer than the parser's limit. */
        MESSAGE_TOO_LONG,
        /** The stream ended inside a header. */
        END_OF_STREAM_IN_HEADER
    }

    private final Kind kind;
    private final long position;
    private final int token;

    public HarmonyParseException(Kind kind, long position, int token, String message) {
        super(message + " (at token " + position + (token >= 0 || token < -1 ? ", id " + token : "") + ")");
        this.kind = kind;
        this.position = position;
        this.token = token;
    }

    public Kind kind() {
        return kind;
    }

    /** Index of the offending token in the stream (0-based); for an end-of-stream error, the stream's length. */
    public long position() {
        return position;
    }

    /** The offending token id, or -1 at end of stream. */
    public int token() {
        return token;
    }
}
