package dev.gptoss4j.engine.harmony;

/**
 * Incremental UTF-8 decoding of token bytes: a character split over tokens is held back until its last byte
 * arrives; each invalid sequence becomes one U+FFFD (the "maximal subpart" rule, as Rust's
 * {@code from_utf8_lossy} and the reference parser use). Holds at most 3 bytes.
 */
final class Utf8Assembler {

    private static final char REPLACEMENT = '\uFFFD';

    private int need; // continuation bytes still expected
    private int codePoint;
    private int lower = 0x80;
    private int upper = 0xBF;

    boolean isIdle() {
        return need == 0;
    }

    void feed(byte[] bytes, StringBuilder out) {
        for (byte value : bytes) feed(value & 0xFF, out);
    }

    private void feed(int b, StringBuilder out) {
        if (need > 0) {
            if (b >= lower && b <= upper) {
                codePoint = (codePoint << 6) | (b & 0x3F);
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

    /** Ends the text: an unfinished character becomes U+FFFD. */
    void finish(StringBuilder out) {
        if (need > 0) out.append(REPLACEMENT);
        reset();
    }

    void reset() {
        need = 0;
        lower = 0x80;
        upper = 0xBF;
    }
}
