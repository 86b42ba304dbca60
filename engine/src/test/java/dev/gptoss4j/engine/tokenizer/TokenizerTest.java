package dev.gptoss4j.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenizerTest {

    private static final Tokenizer T = Tokenizer.o200kHarmony();

    private static void assertRoundTrips(String text) {
        assertEquals(text, T.decode(T.encode(text)), () -> "round trip of a " + text.length() + "-char text");
    }

    @Test
    void emptyTextIsNoTokens() {
        assertArrayEquals(new int[0], T.encode(""));
        assertEquals("", T.decode(new int[0]));
    }

    @Test
    void longWhitespaceRunsRoundTrip() {
        assertRoundTrips(" ".repeat(10_000));
        assertRoundTrips("\n".repeat(5_000));
        assertRoundTrips("\t".repeat(3_000) + "x");
        assertRoundTrips("a" + " \t\n\r\u00A0\u3000".repeat(2_000) + "b");
        assertRoundTrips("x" + " ".repeat(4_097) + "y" + " ".repeat(4_097));
    }

    @Test
    void digitsAreSplitIntoGroupsOfAtMostThree() {
        String digits = "12345678901234567890";
        int[] ids = T.encode(digits);
        assertEquals(digits, T.decode(ids));
        for (int id : ids) {
            String piece = T.tokenText(id);
            assertTrue(piece.matches("[0-9]{1,3}"), "number token " + id + " is \"" + piece + "\"");
        }
        assertRoundTrips("3.14159 -0.0 1e-10 0xDEADBEEF 1_000_000 ١٢٣ ٤٥٦ 一二三 ½ ⅞ ²³");
    }

    @Test
    void contractionsWithAsciiAndUnicodeApostrophesRoundTrip() {
        assertRoundTrips("don't won’t it‘s they’re we’ve I’m you’ll he’d");
        assertRoundTrips("DON'T WON’T IT'S THEY'RE ſ'S I'M 'S 's ''s");
        assertRoundTrips("ʼtis rock ʼnʼ roll — l’été d’un garçon");
    }

    @Test
    void lineEndingsRoundTrip() {
        assertRoundTrips("a\r\nb\r\n\r\nc\rd\n\re");
        assertRoundTrips("\r\n".repeat(1_000));
        assertRoundTrips("  \r\n\t\r\n  x\u2028y\u2029z\u0085w");
    }

    @Test
    void veryLongWordsRoundTrip() {
        assertRoundTrips("a".repeat(20_000));
        assertRoundTrips("supercalifragilisticexpialidocious".repeat(500));
        Random random = new Random(7);
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < 5_000; i++) word.append((char) ('a' + random.nextInt(26)));
        assertRoundTrips(word.toString());
        assertRoundTrips("漢字".repeat(3_000));
        assertRoundTrips("🙂".repeat(2_000));
    }

    @Test
    void loneSurrogatesEncodeAsReplacementCharacters() {
        String[] broken = {"a\uD800b", "\uDC00", "end\uD83D", "\uDE00\uD83D", "\uD83D\uD83D\uDE00"};
        String[] meant = {"a\uFFFDb", "\uFFFD", "end\uFFFD", "\uFFFD\uFFFD", "\uFFFD\uD83D\uDE00"};
        for (int i = 0; i < broken.length; i++) {
            assertArrayEquals(T.encode(meant[i]), T.encode(broken[i]), "encoding of case " + i);
            assertEquals(meant[i], T.decode(T.encode(broken[i])), "round trip of case " + i);
        }
        assertRoundTrips("paired surrogates stay: 😀 𝕳");
    }

    @Test
    void randomUnicodeTextRoundTrips() {
        Random random = new Random(42);
        int[][] ranges = {
            {0x20, 0x7E},
            {0x09, 0x0D},
            {0xA0, 0x24F},
            {0x370, 0x4FF},
            {0x590, 0x6FF},
            {0x900, 0x97F},
            {0xE00, 0xE7F},
            {0x3040, 0x30FF},
            {0x4E00, 0x9FFF},
            {0xAC00, 0xD7A3},
            {0x1F300, 0x1FAFF},
            {0x1D400, 0x1D7FF},
            {0x300, 0x36F},
            {0x2000, 0x206F},
            {0xE000, 0xF8FF},
            {0x10000, 0x10FFFF}
        };
        for (int n = 0; n < 400; n++) {
            StringBuilder s = new StringBuilder();
            int length = 1 + random.nextInt(60);
            for (int i = 0; i < length; i++) {
                int[] r = ranges[random.nextInt(ranges.length)];
                int cp = r[0] + random.nextInt(r[1] - r[0] + 1);
                if (Character.getType(cp) == Character.SURROGATE) cp = 'x';
                s.appendCodePoint(cp);
            }
            assertRoundTrips(s.toString());
        }
    }

    @Test
    void tokenBytesAndTextOfOneToken() {
        int[] hello = T.encode("Hello");
        assertEquals(1, hello.length);
        assertArrayEquals("Hello".getBytes(StandardCharsets.UTF_8), T.tokenBytes(hello[0]));
        assertEquals("Hello", T.tokenText(hello[0]));
        assertEquals("<|start|>", T.tokenText(SpecialTokens.START));
        assertArrayEquals("<|reserved_200013|>".getBytes(StandardCharsets.UTF_8), T.tokenBytes(200013));
        // A copy: a caller that scribbles on it does not change the vocabulary.
        byte[] scratch = T.tokenBytes(hello[0]);
        scratch[0] = 'J';
        assertEquals("Hello", T.tokenText(hello[0]));
    }

    @Test
    void everyOrdinaryTokenHasBytesAndTheyConcatenateToTheDecode() {
        int total = 0;
        for (int id = 0; id < SpecialTokens.FIRST_SPECIAL; id++) {
            int length = T.tokenBytes(id).length;
            assertTrue(length > 0, "token " + id + " has no bytes");
            total += length;
        }
        int[] all = new int[SpecialTokens.FIRST_SPECIAL];
        for (int i = 0; i < all.length; i++) all[i] = i;
        assertEquals(total, T.decodeBytes(all).length);
    }

    @Test
    void aTokenThatCutsACharacterShowsReplacementInTokenText() {
        // Find a token whose bytes are not whole characters by encoding a rare character.
        int[] ids = T.encode("龘");
        assertTrue(ids.length > 1, "expected 龘 to take several tokens");
        assertTrue(T.tokenText(ids[0]).contains("\uFFFD"));
        assertEquals("龘", T.decode(ids));
    }

    @Test
    void idsOutsideTheVocabularyAreNamedWithTheirPosition() {
        var e = assertThrows(IllegalArgumentException.class, () -> T.decode(new int[] {1, 2, 201_088}));
        assertTrue(
                e.getMessage().contains("201088")
                        && e.getMessage().contains("position 2")
                        && e.getMessage().contains("[0, 201088)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> T.decodeBytes(new int[] {-5}));
        assertTrue(e.getMessage().contains("-5") && e.getMessage().contains("position 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> T.tokenBytes(Integer.MAX_VALUE));
        assertTrue(e.getMessage().contains(String.valueOf(Integer.MAX_VALUE)), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> T.tokenText(-1));
    }

    @Test
    void specialTokensByNameAndBack() {
        assertEquals(SpecialTokens.START, T.special("<|start|>"));
        assertEquals(SpecialTokens.END, T.special("<|end|>"));
        assertEquals(SpecialTokens.MESSAGE, T.special("<|message|>"));
        assertEquals(SpecialTokens.CHANNEL, T.special("<|channel|>"));
        assertEquals(SpecialTokens.CONSTRAIN, T.special("<|constrain|>"));
        assertEquals(SpecialTokens.RETURN, T.special("<|return|>"));
        assertEquals(SpecialTokens.CALL, T.special("<|call|>"));
        assertEquals(SpecialTokens.START_OF_TEXT, T.special("<|startoftext|>"));
        assertEquals(SpecialTokens.END_OF_TEXT, T.special("<|endoftext|>"));
        assertEquals(200_000, T.special("<|reserved_200000|>"));
        assertEquals(201_087, T.special("<|reserved_201087|>"));
        for (int id = SpecialTokens.FIRST_SPECIAL; id < Tokenizer.VOCABULARY_SIZE; id++) {
            assertEquals(id, T.special(SpecialTokens.name(id)));
        }
        for (String unknown : new String[] {"<|reserved_201088|>", "<|reserved_199998|>", "start", "<|START|>", ""}) {
            var e = assertThrows(IllegalArgumentException.class, () -> T.special(unknown));
            assertTrue(e.getMessage().contains(unknown), e.getMessage());
        }
    }

    @Test
    void specialIdsAreExactlyTheTopOfTheVocabulary() {
        assertEquals(201_088, T.vocabularySize());
        assertFalse(T.isSpecial(SpecialTokens.FIRST_SPECIAL - 1));
        assertTrue(T.isSpecial(SpecialTokens.FIRST_SPECIAL));
        assertTrue(T.isSpecial(Tokenizer.VOCABULARY_SIZE - 1));
        assertFalse(T.isSpecial(Tokenizer.VOCABULARY_SIZE));
        assertFalse(T.isSpecial(-1));
    }

    @Test
    void decodeWithSpecialTokenModes() {
        int[] ids = concat(
                new int[] {SpecialTokens.START},
                T.encode("user"),
                new int[] {SpecialTokens.MESSAGE},
                T.encode("hi"),
                new int[] {SpecialTokens.END});
        assertEquals("<|start|>user<|message|>hi<|end|>", T.decode(ids));
        assertEquals("<|start|>user<|message|>hi<|end|>", T.decode(ids, SpecialTokenMode.NAME));
        assertEquals("userhi", T.decode(ids, SpecialTokenMode.SKIP));
        var e = assertThrows(IllegalArgumentException.class, () -> T.decode(ids, SpecialTokenMode.REJECT));
        assertTrue(e.getMessage().contains("<|start|>") && e.getMessage().contains("position 0"), e.getMessage());
        assertEquals("hi", T.decode(T.encode("hi"), SpecialTokenMode.REJECT));
    }

    static int[] concat(int[]... parts) {
        int length = 0;
        for (int[] p : parts) length += p.length;
        int[] all = new int[length];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
