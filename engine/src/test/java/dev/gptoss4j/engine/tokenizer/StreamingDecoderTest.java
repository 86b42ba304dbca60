package dev.gptoss4j.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamingDecoderTest {

    private static final Tokenizer T = Tokenizer.o200kHarmony();

    /** Byte offsets in {@code text}'s UTF-8 where a character starts, plus the end. */
    private static List<Integer> characterBoundaries(String text) {
        List<Integer> boundaries = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < text.length(); ) {
            boundaries.add(offset);
            int cp = text.codePointAt(i);
            offset += new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            i += Character.charCount(cp);
        }
        boundaries.add(offset);
        return boundaries;
    }

    /**
     * Streams {@code text}'s tokens and checks after every token that exactly the characters whose bytes have
     * all arrived came out, and the rest is held. Returns how many tokens ended inside a character.
     */
    private static int streamAndCheck(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        List<Integer> boundaries = characterBoundaries(text);
        StreamingDecoder stream = T.streamingDecoder();
        StringBuilder out = new StringBuilder();
        int bytesIn = 0;
        int cuts = 0;
        for (int id : T.encode(text)) {
            out.append(stream.accept(id));
            bytesIn += T.tokenBytes(id).length;
            int lastBoundary = 0;
            for (int b : boundaries) if (b <= bytesIn) lastBoundary = b;
            if (lastBoundary != bytesIn) cuts++;
            String expected = new String(utf8, 0, lastBoundary, StandardCharsets.UTF_8);
            assertEquals(expected, out.toString(), "text out after " + bytesIn + " bytes of \"" + text + "\"");
            assertEquals(bytesIn - lastBoundary, stream.pendingBytes(), "bytes held after " + bytesIn);
        }
        assertEquals("", stream.finish(), "nothing left over once the text is complete");
        assertEquals(text, out.toString());
        assertFalse(out.toString().contains("\uFFFD"));
        return cuts;
    }

    @Test
    void charactersSplitAcrossTokensComeOutWhole() {
        // Rare characters take several tokens, each holding part of the UTF-8 bytes; the test finds the cuts
        // by the tokens' byte lengths rather than trusting a list of ids.
        String[] texts = {
            "Arabic letters: ڤ ڭ ﷺ ﷽ مرحبا بكم",
            "CJK: 龘 齉 麤 鱻 饕餮 今天天气很好",
            "Emoji: 👍🏽 👨‍👩‍👧‍👦 🇸🇦 🦩 🪿 ❤️",
            "Math letters: 𝕳𝖊𝖑𝖑𝖔",
        };
        for (String text : texts) {
            int cuts = streamAndCheck(text);
            assertTrue(cuts > 0, "expected some token of \"" + text + "\" to end inside a character");
        }
    }

    @Test
    void anUnfinishedCharacterIsHeldThenReportedByFinish() {
        int[] ids = T.encode("龘");
        assertTrue(ids.length >= 2);
        StreamingDecoder stream = T.streamingDecoder();
        assertEquals("", stream.accept(ids[0]));
        assertTrue(stream.pendingBytes() > 0);
        assertEquals("\uFFFD", stream.finish());
        assertEquals(0, stream.pendingBytes());
        // finish() starts a new stream: the decoder is usable again.
        StringBuilder again = new StringBuilder();
        for (int id : ids) again.append(stream.accept(id));
        assertEquals("龘", again.append(stream.finish()).toString());
    }

    @Test
    void invalidBytesComeOutAtOnceAsReplacement() {
        int strayContinuation = singleByteToken(0xBD);
        StreamingDecoder stream = T.streamingDecoder();
        assertEquals("\uFFFD", stream.accept(strayContinuation));
        assertEquals(0, stream.pendingBytes());
        int neverALead = singleByteToken(0xFF);
        assertEquals("\uFFFD", stream.accept(neverALead));
        assertEquals("", stream.finish());
    }

    @Test
    void aSpecialTokenCutsAnUnfinishedCharacter() {
        int[] ids = T.encode("龘");
        StreamingDecoder names = T.streamingDecoder();
        assertEquals("", names.accept(ids[0]));
        assertEquals("\uFFFD<|end|>", names.accept(SpecialTokens.END));

        // Skipped specials are invisible: the character around one still completes.
        StreamingDecoder skip = T.streamingDecoder(SpecialTokenMode.SKIP);
        StringBuilder out = new StringBuilder(skip.accept(ids[0]));
        out.append(skip.accept(SpecialTokens.END));
        for (int i = 1; i < ids.length; i++) out.append(skip.accept(ids[i]));
        assertEquals("龘", out.append(skip.finish()).toString());
    }

    @Test
    void specialTokensAsNamesSkippedOrRejected() {
        int[] hi = T.encode("hi");
        StreamingDecoder names = T.streamingDecoder();
        assertEquals("<|start|>", names.accept(SpecialTokens.START));
        assertEquals("<|reserved_200013|>", names.accept(200_013));

        StreamingDecoder skip = T.streamingDecoder(SpecialTokenMode.SKIP);
        assertEquals("", skip.accept(SpecialTokens.MESSAGE));

        StreamingDecoder reject = T.streamingDecoder(SpecialTokenMode.REJECT);
        assertEquals("hi", reject.accept(hi[0]));
        var e = assertThrows(IllegalArgumentException.class, () -> reject.accept(SpecialTokens.CALL));
        assertTrue(e.getMessage().contains("<|call|>") && e.getMessage().contains("position 1"), e.getMessage());
    }

    @Test
    void idsOutsideTheVocabularyAreNamedWithTheirStreamPosition() {
        StreamingDecoder stream = T.streamingDecoder();
        stream.accept(T.encode("a")[0]);
        var e = assertThrows(IllegalArgumentException.class, () -> stream.accept(201_088));
        assertTrue(e.getMessage().contains("201088") && e.getMessage().contains("position 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> stream.accept(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void piecesAlwaysAddUpToTheWholeDecode() {
        // Random id sequences rich in lone bytes (valid and invalid UTF-8), multi-byte pieces and specials.
        List<Integer> singleBytes = new ArrayList<>();
        for (int b = 0x80; b <= 0xFF; b++) singleBytes.add(singleByteToken(b));
        int[] multiByte = T.encode("龘 ڤ 🦩 𝕳 ﷺ é 今天");
        Random random = new Random(1234);
        for (SpecialTokenMode mode : new SpecialTokenMode[] {SpecialTokenMode.NAME, SpecialTokenMode.SKIP}) {
            for (int n = 0; n < 5_000; n++) {
                int[] ids = new int[1 + random.nextInt(12)];
                for (int i = 0; i < ids.length; i++) {
                    int kind = random.nextInt(10);
                    ids[i] = kind < 5
                            ? singleBytes.get(random.nextInt(singleBytes.size()))
                            : kind < 7
                                    ? multiByte[random.nextInt(multiByte.length)]
                                    : kind < 8
                                            ? SpecialTokens.FIRST_SPECIAL + random.nextInt(1090)
                                            : random.nextInt(SpecialTokens.FIRST_SPECIAL);
                }
                StreamingDecoder stream = T.streamingDecoder(mode);
                StringBuilder out = new StringBuilder();
                for (int id : ids) {
                    out.append(stream.accept(id));
                    assertTrue(stream.pendingBytes() <= 3, "held " + stream.pendingBytes() + " bytes");
                }
                out.append(stream.finish());
                assertEquals(T.decode(ids, mode), out.toString(), () -> "ids " + java.util.Arrays.toString(ids));
            }
        }
    }

    private static int singleByteToken(int value) {
        for (int id = 0; id < SpecialTokens.FIRST_SPECIAL; id++) {
            byte[] b = T.tokenBytes(id);
            if (b.length == 1 && (b[0] & 0xFF) == value) return id;
        }
        throw new AssertionError("o200k_base has a token for every byte, but none for " + value);
    }
}
