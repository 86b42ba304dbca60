package dev.gptoss4j.engine.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The two facts that define o200k_base: its byte-pair ranks and its pre-tokenizer pattern.
 *
 * <p>The ranks are the {@code o200k_base.tiktoken} file that JTokkit ships in its jar (so nothing is fetched at
 * run time); its SHA-256 is checked against the hash openai/harmony pins for the same file, so a JTokkit
 * upgrade that changed the file would fail loudly instead of silently shifting ids.
 */
final class O200kBase {

    /** Where JTokkit's jar holds the ranks. */
    static final String RANKS_RESOURCE = "/com/knuddels/jtokkit/o200k_base.tiktoken";

    /** SHA-256 of o200k_base.tiktoken as pinned in openai/harmony (src/tiktoken_ext/public_encodings.rs). */
    static final String RANKS_SHA256 = "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d";

    /** Number of ordinary tokens; ids from here on are special or reserved. */
    static final int RANK_COUNT = 199_998;

    /**
     * The pre-tokenizer, alternative by alternative exactly as in openai/harmony's public_encodings.rs. Java's
     * regex engine is, like fancy-regex there, a leftmost-first backtracking engine, so the same alternation
     * splits text the same way; UNICODE_CHARACTER_CLASS makes {@code \s} the Unicode White_Space property and
     * the {@code (?i:...)} contractions fold case by Unicode rules, as Rust's regex crate does.
     */
    static final String PATTERN_SOURCE = String.join(
            "|",
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
            "\\p{N}{1,3}",
            " ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*",
            "\\s*[\\r\\n]+",
            "\\s+(?!\\S)",
            "\\s+");

    static final Pattern PATTERN = Pattern.compile(PATTERN_SOURCE, Pattern.UNICODE_CHARACTER_CLASS);

    private O200kBase() {}

    /** The bytes of every ordinary token, indexed by rank. */
    static byte[][] loadRanks() {
        byte[] file;
        try (InputStream in = O200kBase.class.getResourceAsStream(RANKS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("o200k_base ranks not found on the class path at " + RANKS_RESOURCE
                        + " (they ship in the com.knuddels:jtokkit jar)");
            }
            file = in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read o200k_base ranks from " + RANKS_RESOURCE, e);
        }
        String sha = sha256(file);
        if (!sha.equals(RANKS_SHA256)) {
            throw new IllegalStateException("o200k_base ranks at " + RANKS_RESOURCE + " have SHA-256 " + sha
                    + ", expected " + RANKS_SHA256 + " (a different JTokkit build?)");
        }
        return parse(file);
    }

    /** Lines of {@code base64(token) rank}; every rank in [0, RANK_COUNT) exactly once. */
    static byte[][] parse(byte[] file) {
        // Byte-level on purpose: this runs at every start of the app, and a String per line doubles the time.
        byte[][] tokens = new byte[RANK_COUNT][];
        Base64.Decoder base64 = Base64.getDecoder();
        int lineNo = 0;
        for (int start = 0; start < file.length; ) {
            lineNo++;
            int end = start;
            while (end < file.length && file[end] != '\n') end++;
            int next = end + 1;
            if (end > start && file[end - 1] == '\r') end--;
            if (end > start) {
                int space = start;
                while (space < end && file[space] != ' ') space++;
                if (space == end) throw badLine(lineNo, "expected '<base64> <rank>'");
                int rank = parseRank(file, space + 1, end, lineNo);
                if (tokens[rank] != null) throw badLine(lineNo, "rank " + rank + " appears twice");
                try {
                    tokens[rank] = base64.decode(Arrays.copyOfRange(file, start, space));
                } catch (IllegalArgumentException e) {
                    throw badLine(lineNo, "token is not base64");
                }
            }
            start = next;
        }
        for (int rank = 0; rank < RANK_COUNT; rank++) {
            if (tokens[rank] == null) {
                throw new IllegalStateException("o200k_base ranks: rank " + rank + " is missing");
            }
        }
        return tokens;
    }

    private static int parseRank(byte[] file, int from, int to, int lineNo) {
        if (from == to || to - from > 9) throw badLine(lineNo, "rank is not a number of at most 9 digits");
        int rank = 0;
        for (int i = from; i < to; i++) {
            int digit = file[i] - '0';
            if (digit < 0 || digit > 9) throw badLine(lineNo, "rank is not a number");
            rank = rank * 10 + digit;
        }
        if (rank >= RANK_COUNT) throw badLine(lineNo, "rank " + rank + " outside [0, " + RANK_COUNT + ")");
        return rank;
    }

    private static IllegalStateException badLine(int lineNo, String why) {
        return new IllegalStateException("o200k_base ranks " + RANKS_RESOURCE + " line " + lineNo + ": " + why);
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
