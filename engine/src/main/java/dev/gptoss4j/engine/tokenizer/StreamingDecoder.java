package dev.gptoss4j.engine.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes one token stream as it is generated: each {@link #accept} returns the text that is complete so far.
 * A token can end in the middle of a multi-byte UTF-8 character (CJK, Arabic, emoji are often split across
 * tokens); those bytes are held back until the tokens that complete the character arrive, so a caller never
 * prints half a character as U+FFFD. {@link #finish} ends the stream and reports what could never be completed
 * as U+FFFD.
 *
 * <p>The pieces add up to the whole-sequence decode: the concatenation of every {@code accept} result and
 * {@code finish()} equals {@link Tokenizer#decode(int[], SpecialTokenMode)} of the same ids. One instance per
 * stream; not thread-safe. Obtain one from {@link Tokenizer#streamingDecoder()}.
 */
public final class StreamingDecoder {

    private final Tokenizer tokenizer;
    private final SpecialTokenMode specials;
    /** Bytes not yet returned: at most an unfinished character (3 bytes) after each accept. */
    private byte[] pending = new byte[64];
    private int pendingLength;
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
        append(bytes);
        int complete = pendingLength - unfinishedTail(pending, pendingLength);
        if (complete == 0) return "";
        String text = new String(pending, 0, complete, StandardCharsets.UTF_8);
        System.arraycopy(pending, complete, pending, 0, pendingLength - complete);
        pendingLength -= complete;
        return text;
    }

    /**
     * Ends the stream: returns the held-back bytes (an unfinished character, reported as U+FFFD; empty when
     * every character was complete) and resets the decoder for a new stream.
     */
    public String finish() {
        String rest = new String(pending, 0, pendingLength, StandardCharsets.UTF_8);
        pendingLength = 0;
        position = 0;
        return rest;
    }

    /** How many bytes are held back waiting for the rest of a character (0 to 3). */
    public int pendingBytes() {
        return pendingLength;
    }

    private void append(byte[] bytes) {
        if (pendingLength + bytes.length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + bytes.length));
        }
        System.arraycopy(bytes, 0, pending, pendingLength, bytes.length);
        pendingLength += bytes.length;
    }

    /**
     * Length of the trailing bytes that begin one UTF-8 sequence still missing bytes, or 0. Only what the JDK's
     * decoder would still read as one sequence is held; anything else is already malformed and goes out (as
     * U+FFFD) at once, exactly where the whole-sequence decode puts it, so the pieces add up to that decode.
     */
    static int unfinishedTail(byte[] b, int length) {
        for (int k = 1; k <= Math.min(3, length); k++) {
            int lead = b[length - k] & 0xFF;
            if ((lead & 0xC0) == 0x80) continue; // continuation byte: the lead is further back
            int need = lead >= 0xC2 && lead <= 0xDF ? 2
                    : lead >= 0xE0 && lead <= 0xEF ? 3
                    : lead >= 0xF0 && lead <= 0xF4 ? 4
                    : 0; // ASCII, or a byte that never starts a character
            if (need <= k) return 0;
            if (k >= 2 && !validSecondByte(lead, b[length - k + 1] & 0xFF)) return 0;
            return k;
        }
        return 0;
    }

    /**
     * UTF-8's limits on the byte after a lead (no overlong forms, nothing above U+10FFFF) as the JDK's decoder
     * applies them to a sequence in progress. It lets ED A0..BF (an encoded surrogate) run to three bytes and
     * then replaces all three with one U+FFFD, so those are held too.
     */
    private static boolean validSecondByte(int lead, int second) {
        return switch (lead) {
            case 0xE0 -> second >= 0xA0 && second <= 0xBF;
            case 0xF0 -> second >= 0x90 && second <= 0xBF;
            case 0xF4 -> second >= 0x80 && second <= 0x8F;
            default -> second >= 0x80 && second <= 0xBF;
        };
    }
}
