package dev.gptoss4j.cli;

import dev.gptoss4j.engine.GptOss;
import dev.gptoss4j.engine.tokenizer.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns token ids into text for the commands: with o200k_harmony when the model has its 201088-token
 * vocabulary, else with the byte-level BPE strings a GGUF file carries, else not at all.
 */
final class TokenText {

    private final Tokenizer tokenizer;
    private final List<String> vocabulary;
    private final int[] byteOfChar;

    private TokenText(Tokenizer tokenizer, List<String> vocabulary) {
        this.tokenizer = tokenizer;
        this.vocabulary = vocabulary;
        this.byteOfChar = new int[512];
        java.util.Arrays.fill(byteOfChar, -1);
        // GPT-2's byte-to-unicode table: printable bytes stand for themselves, the others map to 256 + n
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174);
            if (printable) byteOfChar[b] = b;
            else byteOfChar[256 + n++] = b;
        }
    }

    static TokenText forModel(GptOss model) {
        if (model.config().vocabSize() == Tokenizer.VOCABULARY_SIZE) {
            return new TokenText(Tokenizer.o200kHarmony(), List.of());
        }
        return new TokenText(null, model.vocabulary());
    }

    boolean canEncode() {
        return tokenizer != null;
    }

    boolean canDecode() {
        return tokenizer != null || !vocabulary.isEmpty();
    }

    int[] encode(String text) {
        return tokenizer.encode(text);
    }

    String decode(int[] ids) {
        if (tokenizer != null) return tokenizer.decode(ids);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int id : ids) {
            if (id < 0 || id >= vocabulary.size()) continue;
            String piece = vocabulary.get(id);
            for (int i = 0; i < piece.length(); i++) {
                char c = piece.charAt(i);
                int b = c < byteOfChar.length ? byteOfChar[c] : -1;
                if (b >= 0) out.write(b);
                else out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
