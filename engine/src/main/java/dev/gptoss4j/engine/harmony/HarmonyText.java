package dev.gptoss4j.engine.harmony;

import dev.gptoss4j.engine.tokenizer.Tokenizer;
import java.util.Arrays;

/**
 * Harmony text with special tokens written literally ({@code <|start|>user<|message|>Hi<|end|>}), as in the
 * reference's test data and in what a user pastes into {@code gptoss harmony parse}.
 *
 * <p>This is the one place where the spelling of a special token becomes the special token; never use it on
 * untrusted content (that would reopen prompt injection). Text between special tokens is tokenized piece by
 * piece, as tiktoken does with {@code allowed_special="all"}.
 */
public final class HarmonyText {

    private HarmonyText() {}

    public static int[] tokenize(String text) {
        return tokenize(text, Tokenizer.o200kHarmony());
    }

    public static int[] tokenize(String text, Tokenizer tokenizer) {
        int[] out = new int[Math.max(16, text.length() / 2)];
        int size = 0;
        int segmentStart = 0;
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf("<|", i);
            if (open < 0) break;
            int close = text.indexOf("|>", open + 2);
            if (close < 0) break;
            int special = specialOrMinusOne(text.substring(open, close + 2), tokenizer);
            if (special < 0) {
                i = open + 1;
                continue;
            }
            int[] piece = tokenizer.encode(text.substring(segmentStart, open));
            out = ensure(out, size + piece.length + 1);
            System.arraycopy(piece, 0, out, size, piece.length);
            size += piece.length;
            out[size++] = special;
            i = close + 2;
            segmentStart = i;
        }
        int[] piece = tokenizer.encode(text.substring(segmentStart));
        out = ensure(out, size + piece.length);
        System.arraycopy(piece, 0, out, size, piece.length);
        size += piece.length;
        return Arrays.copyOf(out, size);
    }

    /** The text of token ids, special tokens spelled out. */
    public static String detokenize(int[] tokens) {
        return Tokenizer.o200kHarmony().decode(tokens);
    }

    private static int specialOrMinusOne(String name, Tokenizer tokenizer) {
        if (name.length() > 32) return -1;
        try {
            return tokenizer.special(name);
        } catch (IllegalArgumentException notSpecial) {
            return -1;
        }
    }

    private static int[] ensure(int[] a, int n) {
        return n <= a.length ? a : Arrays.copyOf(a, Math.max(n, a.length * 2));
    }
}
