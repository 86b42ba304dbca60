package dev.gptoss4j.engine.tokenizer;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * gpt-oss's o200k_harmony encoding: o200k_base's byte-pair ranks and pre-tokenizer (from JTokkit, which
 * ships the ranks in its jar, so nothing is fetched at run time) plus the harmony special tokens.
 *
 * <p>{@link #encode} treats every character as ordinary text: a user who types {@code <|start|>} gets the
 * tokens of those nine characters, never the control token. Thread-safe; share the one instance.
 */
public final class Tokenizer {

    /** Ids 0..201087: o200k_base's ranks, then the special and reserved tokens. */
    public static final int VOCABULARY_SIZE = 201088;

    private static final Tokenizer O200K_HARMONY = new Tokenizer();

    private final Encoding bpe;
    private final Map<String, Integer> specialsByName = new HashMap<>();

    private Tokenizer() {
        this.bpe = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
        for (int id = SpecialTokens.FIRST_SPECIAL; id < VOCABULARY_SIZE; id++) {
            specialsByName.put(SpecialTokens.name(id), id);
        }
    }

    /** The o200k_harmony tokenizer (loaded once, shared). */
    public static Tokenizer o200kHarmony() {
        return O200K_HARMONY;
    }

    /** Token ids of ordinary text; special-token spellings in the text stay ordinary text. */
    public int[] encode(String text) {
        return bpe.encodeOrdinary(text).toArray();
    }

    /** The id of a special token by its name, such as {@code <|start|>}. */
    public int special(String name) {
        Integer id = specialsByName.get(name);
        if (id == null) throw new IllegalArgumentException("unknown special token: " + name);
        return id;
    }

    public boolean isSpecial(int id) {
        return id >= SpecialTokens.FIRST_SPECIAL && id < VOCABULARY_SIZE;
    }

    public int vocabularySize() {
        return VOCABULARY_SIZE;
    }

    /** The bytes of a sequence; special tokens contribute their names. */
    public byte[] decodeBytes(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        IntArrayList run = new IntArrayList();
        for (int id : ids) {
            if (id < 0 || id >= VOCABULARY_SIZE) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + VOCABULARY_SIZE + ")");
            }
            if (isSpecial(id)) {
                flush(run, out);
                out.writeBytes(SpecialTokens.name(id).getBytes(StandardCharsets.UTF_8));
            } else {
                run.add(id);
            }
        }
        flush(run, out);
        return out.toByteArray();
    }

    /** The text of a sequence (invalid UTF-8, e.g. a cut multi-byte character, becomes U+FFFD). */
    public String decode(int[] ids) {
        return new String(decodeBytes(ids), StandardCharsets.UTF_8);
    }

    private void flush(IntArrayList run, ByteArrayOutputStream out) {
        if (!run.isEmpty()) {
            out.writeBytes(bpe.decodeBytes(run));
            run.clear();
        }
    }
}
