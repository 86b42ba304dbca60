package dev.gptoss4j.engine.tokenizer;

/**
 * Incremental UTF-8 decoding of a byte stream that arrives in pieces (token bytes): a character split over pieces
 * is held back until its last byte arrives; each invalid sequence becomes one U+FFFD by the Unicode "maximal
 * subpart" rule (as Rust's {@code from_utf8_lossy}, Python's {@code errors="replace"} and the reference harmony
 * parser do; an encoded surrogate such as {@code ED A0 80} is three of them). Holds at most 3 bytes.
 *
 * <p>The one UTF-8 decoder of the engine: {@link Tokenizer#decode}, {@link StreamingDecoder} and the harmony
 * stream parser all use it, so a streamed text is always exactly the whole-sequence decode. Not thread-safe.
 */
public final class Utf8StreamDecoder {

    private static final char REPLACEMENT = '\uFFFD';

    private int need; // continuation bytes still expected
    private int held; // bytes of the unfinished character seen so far
    private int codePoint;
    private int lower = 0x80;
    private int upper = 0xBF;

    /** The whole of {@code bytes} as text, by the same rules as the streamed pieces. */
    public static String decode(byte[] bytes) {
        Utf8StreamDecoder decoder = new Utf8StreamDecoder();
        StringBuilder out = new StringBuilder(bytes.length);
        decoder.feed(bytes, out);
        decoder.finish(out);
        return out.toString();
    }

    /** Whether no character is in progress (the next byte starts a new one). */
    public boolean isIdle() {
        return need == 0;
    }

    /** How many bytes of an unfinished character are held back (0 to 3). */
    public int pendingBytes() {
        return need == 0 ? 0 : held;
    }

    /** Decodes {@code bytes}, appending every character they complete to {@code out}. */
    public void feed(byte[] bytes, StringBuilder out) {
        feed(bytes, 0, bytes.length, out);
    }

    /** Decodes {@code length} bytes from {@code offset}, appending every character they complete to {@code out}. */
    public void feed(byte[] bytes, int offset, int length, StringBuilder out) {
        for (int i = offset; i < offset + length; i++) feed(bytes[i] & 0xFF, out);
    }

    private void feed(int b, StringBuilder out) {
        if (need > 0) {
            if (b >= lower && b <= upper) {
                codePoint = (codePoint << 6) | (b & 0x3F);
                held++;
                lower = 0x80;
                upper = 0xBF;
                if (--need == 0) out.appendCodePoint(codePoint);
                return;
            }
            out.append(REPLACEMENT);
            need = 0;
            lower = 0x80;
            upper = 0xBF;
        }
        held = 1;
        if (b < 0x80) {
            out.append((char) b);
        } else if (b >= 0xC2 && b <= 0xDF) {
            need = 1;
            codePoint = b & 0x1F;
        } else if (b >= 0xE0 && b <= 0xEF) {
            need = 2;
            codePoint = b & 0x0F;
            if (b == 0xE0) lower = 0xA0;
            if (b == 0xED) upper = 0x9F;
        } else if (b >= 0xF0 && b <= 0xF4) {
            need = 3;
            codePoint = b & 0x07;
            if (b == 0xF0) lower = 0x90;
            if (b == 0xF4) upper = 0x8F;
        } else {
            out.append(REPLACEMENT);
        }
    }

    /** Ends the text: an unfinished character becomes one U+FFFD; the decoder is then ready for a new text. */
    public void finish(StringBuilder out) {
        if (need > 0) out.append(REPLACEMENT);
        reset();
    }

    /** Forgets an unfinished character without reporting it. */
    public void reset() {
        need = 0;
        held = 0;
        lower = 0x80;
        upper = 0xBF;
    }
}
