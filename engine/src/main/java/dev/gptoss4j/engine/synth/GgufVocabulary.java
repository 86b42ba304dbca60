package dev.gptoss4j.engine.synth;

import dev.gptoss4j.engine.tokenizer.SpecialTokens;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code tokenizer.ggml.*} metadata of a gpt-oss GGUF, as llama.cpp's converter writes it: model
 * {@code gpt2} (byte-level BPE, each byte shown as GPT-2's printable stand-in character), pre-tokenizer
 * {@code gpt-4o}, the token strings, their types (1 normal, 3 control) and the merges in rank order.
 *
 * @param tokens the token strings, by id
 * @param types  the token types, by id
 * @param merges {@code "left right"} pairs, highest priority first
 * @param bos    {@code tokenizer.ggml.bos_token_id}
 * @param eos    {@code tokenizer.ggml.eos_token_id}
 * @param pad    {@code tokenizer.ggml.padding_token_id}, or -1 for none
 */
record GgufVocabulary(List<String> tokens, int[] types, List<String> merges, int bos, int eos, int pad) {

    static final int NORMAL = 1;
    static final int CONTROL = 3;

    private static final String O200K_RANKS = "/com/knuddels/jtokkit/o200k_base.tiktoken";
    private static final String[] SMALL_SPECIALS = {
        "<|startoftext|>",
        "<|endoftext|>",
        "<|return|>",
        "<|constrain|>",
        "<|channel|>",
        "<|start|>",
        "<|end|>",
        "<|message|>",
        "<|call|>",
        "<|reserved_a|>",
        "<|reserved_b|>",
        "<|reserved_c|>"
    };
    private static final String LETTERS_BY_FREQUENCY = "etaoinshrdlucmfwypvbgkqjxz";

    private static volatile GgufVocabulary o200kHarmony;

    /**
     * The vocabulary of a model: gpt-oss's own o200k_harmony for 201088 tokens, otherwise a made-up
     * byte-level vocabulary of that size shaped like the small conformance model's.
     */
    static GgufVocabulary forSize(int vocab) {
        return vocab == SynthConfig.O200K_HARMONY_VOCAB ? o200kHarmony() : small(vocab);
    }

    /**
     * o200k_harmony: o200k_base's ranks (read from JTokkit's jar) as byte-level tokens, merges recovered
     * from the ranks, then the harmony special and reserved tokens; bos {@code <|startoftext|>}, eos
     * {@code <|return|>}, padding {@code <|endoftext|>} as in gpt-oss's tokenizer_config.json.
     */
    static GgufVocabulary o200kHarmony() {
        GgufVocabulary v = o200kHarmony;
        if (v == null) {
            synchronized (GgufVocabulary.class) {
                if (o200kHarmony == null) o200kHarmony = buildO200kHarmony();
                v = o200kHarmony;
            }
        }
        return v;
    }

    /** A fixture-like vocabulary: 256 byte tokens, letter-pair merges, then 12 harmony-style special tokens. */
    static GgufVocabulary small(int vocab) {
        int specials = SMALL_SPECIALS.length;
        int mergeable = vocab - 256 - specials;
        if (mergeable < 0) {
            throw new IllegalArgumentException(
                    "vocab_size " + vocab + " is too small: a byte-level vocabulary with the " + specials
                            + " harmony special tokens needs at least " + (256 + specials));
        }
        String[] byteChars = byteLevelChars();
        List<String> tokens = new ArrayList<>(vocab);
        List<String> merges = new ArrayList<>();
        for (int b : byteLevelOrder()) tokens.add(byteChars[b]);
        int letters = LETTERS_BY_FREQUENCY.length();
        for (int i = 0; i < mergeable; i++) {
            if (i < letters * letters) {
                String left = String.valueOf(LETTERS_BY_FREQUENCY.charAt(i / letters));
                String right = String.valueOf(LETTERS_BY_FREQUENCY.charAt(i % letters));
                tokens.add(left + right);
                merges.add(left + " " + right);
            } else {
                // Beyond the letter pairs, ids are padding like llama.cpp's [PADn] for ids a tokenizer lacks.
                tokens.add("[PAD" + tokens.size() + "]");
            }
        }
        int[] types = new int[vocab];
        Arrays.fill(types, NORMAL);
        int firstSpecial = vocab - specials;
        for (int i = 0; i < specials; i++) {
            tokens.add(SMALL_SPECIALS[i]);
            types[firstSpecial + i] = CONTROL;
        }
        return new GgufVocabulary(List.copyOf(tokens), types, List.copyOf(merges), firstSpecial, firstSpecial + 2, -1);
    }

    /** The end-of-sequence id {@link #forSize} gives a vocabulary of this size ({@code <|return|>}). */
    static int eosId(int vocab) {
        return vocab == SynthConfig.O200K_HARMONY_VOCAB ? SpecialTokens.RETURN : vocab - SMALL_SPECIALS.length + 2;
    }

    /** The padding id of a vocabulary of this size ({@code <|endoftext|>}). */
    static int padId(int vocab) {
        return vocab == SynthConfig.O200K_HARMONY_VOCAB ? SpecialTokens.END_OF_TEXT : vocab - SMALL_SPECIALS.length + 1;
    }

    private static GgufVocabulary buildO200kHarmony() {
        byte[][] byRank = readO200kRanks();
        String[] byteChars = byteLevelChars();
        Map<Bytes, Integer> ranks = new HashMap<>(byRank.length * 2);
        for (int r = 0; r < byRank.length; r++) ranks.put(new Bytes(byRank[r]), r);

        List<String> tokens = new ArrayList<>(SynthConfig.O200K_HARMONY_VOCAB);
        List<String> merges = new ArrayList<>(byRank.length);
        for (int r = 0; r < byRank.length; r++) {
            byte[] token = byRank[r];
            tokens.add(byteLevel(token, 0, token.length, byteChars));
            if (token.length < 2) continue;
            int split = lastMerge(token, r, ranks);
            if (split > 0) {
                merges.add(
                        byteLevel(token, 0, split, byteChars) + " " + byteLevel(token, split, token.length, byteChars));
            }
        }
        int[] types = new int[SynthConfig.O200K_HARMONY_VOCAB];
        Arrays.fill(types, NORMAL);
        for (int id = SpecialTokens.FIRST_SPECIAL; id < SynthConfig.O200K_HARMONY_VOCAB; id++) {
            tokens.add(SpecialTokens.name(id));
            types[id] = CONTROL;
        }
        return new GgufVocabulary(
                List.copyOf(tokens),
                types,
                List.copyOf(merges),
                SpecialTokens.START_OF_TEXT,
                SpecialTokens.RETURN,
                SpecialTokens.END_OF_TEXT);
    }

    /**
     * Recovers the merge that made a token: byte-pair encode its bytes using only merges ranked below it; a
     * mergeable token ends as exactly two parts, and those two are its merge. Returns the split position,
     * or -1 when the token is not the product of one merge (such tokens get no merge, as in the Hugging
     * Face conversion of tiktoken vocabularies).
     */
    private static int lastMerge(byte[] token, int rank, Map<Bytes, Integer> ranks) {
        // parts are [starts[i], starts[i + 1]); start with single bytes.
        int[] starts = new int[token.length + 1];
        for (int i = 0; i <= token.length; i++) starts[i] = i;
        int parts = token.length;
        while (parts > 2) {
            int best = -1;
            int bestRank = rank;
            for (int i = 0; i + 1 < parts; i++) {
                Integer pr = ranks.get(new Bytes(Arrays.copyOfRange(token, starts[i], starts[i + 2])));
                if (pr != null && pr < bestRank) {
                    bestRank = pr;
                    best = i;
                }
            }
            if (best < 0) return -1;
            System.arraycopy(starts, best + 2, starts, best + 1, parts - best - 1);
            parts--;
        }
        return parts == 2 ? starts[1] : -1;
    }

    private static byte[][] readO200kRanks() {
        InputStream in = GgufVocabulary.class.getResourceAsStream(O200K_RANKS);
        if (in == null) {
            throw new IllegalStateException(
                    "o200k_base ranks not found on the class path at " + O200K_RANKS + " (they ship in JTokkit's jar)");
        }
        int expected = SpecialTokens.FIRST_SPECIAL;
        byte[][] byRank = new byte[expected][];
        Base64.Decoder base64 = Base64.getDecoder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String line;
            int lineNo = 0;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                int space = line.indexOf(' ');
                int rank;
                try {
                    rank = Integer.parseInt(line.substring(space + 1).trim());
                } catch (RuntimeException e) {
                    throw new IllegalStateException(
                            O200K_RANKS + " line " + lineNo + ": expected 'base64 rank', got '" + line + "'");
                }
                if (space < 0 || rank < 0 || rank >= expected || byRank[rank] != null) {
                    throw new IllegalStateException(O200K_RANKS + " line " + lineNo + ": rank " + rank
                            + " is out of [0, " + expected + ") or repeated");
                }
                byRank[rank] = base64.decode(line.substring(0, space));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + O200K_RANKS + ": " + e.getMessage(), e);
        }
        for (int r = 0; r < expected; r++) {
            if (byRank[r] == null) throw new IllegalStateException(O200K_RANKS + ": rank " + r + " is missing");
        }
        return byRank;
    }

    /**
     * GPT-2's byte-to-character table: printable Latin-1 bytes stand for themselves, the other 68 bytes get
     * the characters from U+0100 on, so every byte string becomes a printable string without spaces.
     */
    static String[] byteLevelChars() {
        String[] chars = new String[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            chars[b] = String.valueOf((char) (printable(b) ? b : next++));
        }
        return chars;
    }

    /** Bytes in the order of GPT-2's table: the printable ones first, then the rest. */
    static int[] byteLevelOrder() {
        int[] order = new int[256];
        int n = 0;
        for (int b = 0; b < 256; b++) if (printable(b)) order[n++] = b;
        for (int b = 0; b < 256; b++) if (!printable(b)) order[n++] = b;
        return order;
    }

    private static boolean printable(int b) {
        return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    }

    private static String byteLevel(byte[] bytes, int from, int to, String[] chars) {
        StringBuilder sb = new StringBuilder(to - from);
        for (int i = from; i < to; i++) sb.append(chars[bytes[i] & 0xff]);
        return sb.toString();
    }

    /** A byte string as a hash key. */
    private record Bytes(byte[] b) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes other && Arrays.equals(b, other.b);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(b);
        }
    }
}
