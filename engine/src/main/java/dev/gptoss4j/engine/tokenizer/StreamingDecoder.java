package dev.gptoss4j.engine.tokenizer;

/**
 * Decodes one token stream as it is generated: each {@link #accept} returns the text that is complete so far.
 * A token can end in the middle of a multi-byte UTF-8 character (CJK, Arabic, emoji are often split across
 * tokens); those bytes are held back until the tokens that complete the character arrive, so a caller never
 * prints half a character as U+FFFD. {@link #finish} ends the stream and reports what could never be completed
 * as U+FFFD. The bytes go through the engine's one {@link Utf8StreamDecoder}.
 *
 * <p>The pieces add up to the whole-sequence decode: the concatenation of every {@code accept} result and
 * {@code finish()} equals {@link Tokenizer#decode(int[], SpecialTokenMode)} of the same ids. One instance per
 * stream; not thread-safe. Obtain one from {@link Tokenizer#streamingDecoder()}.
 */
public final class StreamingDecoder {

    private final Tokenizer tokenizer;
    private final SpecialTokenMode specials;
    private final Utf8StreamDecoder utf8 = new Utf8StreamDecoder();
    /** Index of the next token in this stream, for error messages. */
    private int position;

    StreamingDecoder(Tokenizer tokenizer, SpecialTokenMode specials) {
        this.tokenizer = tokenizer;
        this.specials = specials;
    }

    /**
     * Takes the next token and returns the text it completes (possibly empty, when the token only starts a
     * character or is a skipped special token).
     *
     * @throws IllegalArgumentException for an id outside the vocabulary, or a special token under
     *     {@link SpecialTokenMode#REJECT}; the decoder's state is unchanged then
     */
    public String accept(int id) {
        byte[] bytes = tokenizer.bytes(id, position);
        if (tokenizer.isSpecial(id)) {
            if (specials == SpecialTokenMode.REJECT) throw Tokenizer.specialRejected(id, position);
            if (specials == SpecialTokenMode.SKIP) {
                position++;
                return "";
            }
        }
        position++;
        StringBuilder text = new StringBuilder(bytes.length);
        utf8.feed(bytes, text);
        return text.toString();
    }

    /**
     * Ends the stream: returns the held-back bytes (an unfinished character, reported as U+FFFD; empty when
     * every character was complete) and resets the decoder for a new stream.
     */
    public String finish() {
        StringBuilder rest = new StringBuilder(1);
        utf8.finish(rest);
        position = 0;
        return rest.toString();
    }

    /** How many bytes are held back waiting for the rest of a character (0 to 3). */
    public int pendingBytes() {
        return utf8.pendingBytes();
    }
}
