package dev.gptoss4j.engine.tokenizer;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.GptBytePairEncodingParams;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * gpt-oss's o200k_harmony encoding: o200k_base's byte-pair ranks and pre-tokenizer ({@link O200kBase}) plus
 * the harmony special tokens ({@link SpecialTokens}), {@value #VOCABULARY_SIZE} ids in all.
 *
 * <p>{@link #encode} treats every character as ordinary text: a user who types {@code <|start|>} gets the
 * tokens of those nine characters, never the control token. Special tokens enter a sequence only through
 * {@link #special(String)} or the {@link SpecialTokens} constants. Thread-safe; share the one instance.
 */
public final class Tokenizer {

    /** Ids 0..201087: o200k_base's ranks, then the special and reserved tokens. */
    public static final int VOCABULARY_SIZE = 201088;

    private static final Tokenizer O200K_HARMONY = new Tokenizer();

    private final Encoding bpe;
    /** Bytes of every id: the rank's bytes for ordinary ids, the UTF-8 name for special ones. */
    private final byte[][] bytesById = new byte[VOCABULARY_SIZE][];

    private final Map<String, Integer> specialsByName = new HashMap<>();

    private Tokenizer() {
        byte[][] ranks = O200kBase.loadRanks();
        Map<byte[], Integer> encoder = new HashMap<>(ranks.length * 2);
        for (int rank = 0; rank < ranks.length; rank++) {
            bytesById[rank] = ranks[rank];
            encoder.put(ranks[rank], rank);
        }
        for (int id = SpecialTokens.FIRST_SPECIAL; id < VOCABULARY_SIZE; id++) {
            String name = SpecialTokens.name(id);
            specialsByName.put(name, id);
            bytesById[id] = name.getBytes(StandardCharsets.UTF_8);
        }
        // JTokkit does the byte-pair merging; the pattern is ours (the reference one) and no special tokens are
        // registered with it, so it has nothing to recognise in text even if asked.
        this.bpe = Encodings.newLazyEncodingRegistry()
                .registerGptBytePairEncoding(
                        new GptBytePairEncodingParams("o200k_harmony", O200kBase.PATTERN, encoder, Map.of()))
                .getEncoding("o200k_harmony")
                .orElseThrow();
    }

    /** The o200k_harmony tokenizer (loaded once, shared). */
    public static Tokenizer o200kHarmony() {
        return O200K_HARMONY;
    }

    /**
     * Token ids of ordinary text; special-token spellings in the text stay ordinary text. A lone UTF-16
     * surrogate (not valid Unicode, so it has no UTF-8 form) is encoded as U+FFFD, as tiktoken does.
     */
    public int[] encode(String text) {
        Objects.requireNonNull(text, "text to encode is null");
        return bpe.encodeOrdinary(withoutLoneSurrogates(text)).toArray();
    }

    /** The id of a special token by its name, such as {@code <|start|>} or {@code <|reserved_200013|>}. */
    public int special(String name) {
        Integer id = specialsByName.get(name);
        if (id == null) {
            throw new IllegalArgumentException("unknown special token: " + name
                    + " (o200k_harmony has <|start|>, <|message|>, <|end|>, ... and <|reserved_N|> for the other ids"
                    + " in [" + SpecialTokens.FIRST_SPECIAL + ", " + VOCABULARY_SIZE + "))");
        }
        return id;
    }

    public boolean isSpecial(int id) {
        return id >= SpecialTokens.FIRST_SPECIAL && id < VOCABULARY_SIZE;
    }

    public int vocabularySize() {
        return VOCABULARY_SIZE;
    }

    /**
     * The bytes of one token (a fresh copy). An ordinary token may hold part of a multi-byte UTF-8 character;
     * a special token gives the UTF-8 of its name.
     */
    public byte[] tokenBytes(int id) {
        return bytes(id, -1).clone();
    }

    /** One token as text, for display: bytes of a partial UTF-8 character show as U+FFFD. */
    public String tokenText(int id) {
        return Utf8StreamDecoder.decode(bytes(id, -1));
    }

    /** The bytes of a sequence; special tokens contribute their names. */
    public byte[] decodeBytes(int[] ids) {
        return decodeBytes(ids, SpecialTokenMode.NAME);
    }

    /** The bytes of a sequence, with special tokens handled as {@code specials} says. */
    public byte[] decodeBytes(int[] ids, SpecialTokenMode specials) {
        Objects.requireNonNull(ids, "ids to decode are null");
        Objects.requireNonNull(specials, "special token mode is null");
        int length = 0;
        for (int i = 0; i < ids.length; i++) {
            byte[] b = bytes(ids[i], i);
            if (isSpecial(ids[i])) {
                if (specials == SpecialTokenMode.REJECT) throw specialRejected(ids[i], i);
                if (specials == SpecialTokenMode.SKIP) continue;
            }
            length += b.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (int id : ids) {
            if (specials == SpecialTokenMode.SKIP && isSpecial(id)) continue;
            byte[] b = bytesById[id];
            System.arraycopy(b, 0, out, at, b.length);
            at += b.length;
        }
        return out;
    }

    /** The text of a sequence (invalid UTF-8, e.g. a cut multi-byte character, becomes U+FFFD). */
    public String decode(int[] ids) {
        return Utf8StreamDecoder.decode(decodeBytes(ids));
    }

    /** The text of a sequence, with special tokens handled as {@code specials} says. */
    public String decode(int[] ids, SpecialTokenMode specials) {
        return Utf8StreamDecoder.decode(decodeBytes(ids, specials));
    }

    /** A decoder for one token stream that writes special tokens as their names. */
    public StreamingDecoder streamingDecoder() {
        return new StreamingDecoder(this, SpecialTokenMode.NAME);
    }

    /** A decoder for one token stream, with special tokens handled as {@code specials} says. */
    public StreamingDecoder streamingDecoder(SpecialTokenMode specials) {
        return new StreamingDecoder(this, Objects.requireNonNull(specials, "special token mode is null"));
    }

    /** The shared (not copied) bytes of an id; {@code position} is its index in a sequence, or -1. */
    byte[] bytes(int id, int position) {
        if (id < 0 || id >= VOCABULARY_SIZE) {
            throw new IllegalArgumentException("token id " + id + (position >= 0 ? " at position " + position : "")
                    + " is outside the vocabulary [0, " + VOCABULARY_SIZE + ")");
        }
        return bytesById[id];
    }

    static IllegalArgumentException specialRejected(int id, int position) {
        return new IllegalArgumentException("special token " + SpecialTokens.name(id) + " (id " + id + ")"
                + (position >= 0 ? " at position " + position : "") + " where only ordinary text is allowed");
    }

    /** The text with every unpaired surrogate replaced by U+FFFD; the same instance when there is none. */
    static String withoutLoneSurrogates(String text) {
        StringBuilder fixed = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isSurrogate(c)) continue;
            boolean paired = Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                i++;
                continue;
            }
            if (fixed == null) fixed = new StringBuilder(text);
            fixed.setCharAt(i, '\uFFFD');
        }
        return fixed == null ? text : fixed.toString();
    }
}
