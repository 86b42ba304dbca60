package dev.gptoss4j.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

class O200kBaseTest {

    private static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        Matcher m = O200kBase.PATTERN.matcher(text);
        while (m.find()) pieces.add(m.group());
        return pieces;
    }

    @Test
    void preTokenizerSplitsAsTheReferencePatternDoes() {
        // Cases worked out by hand from the pattern's alternatives, one per rule.
        assertEquals(List.of("Hello", ",", " world", "!"), pieces("Hello, world!"));
        assertEquals(List.of("They're", " HERE'S", " it's"), pieces("They're HERE'S it's"));
        assertEquals(List.of("Camel", "Case", "HTTPServer"), pieces("CamelCaseHTTPServer"));
        assertEquals(List.of("123", "456", "7"), pieces("1234567"));
        assertEquals(List.of("a", "  ", " b"), pieces("a   b"));
        assertEquals(List.of("x", "\r\n\r\n", "y"), pieces("x\r\n\r\ny"));
        assertEquals(List.of("x", ".\n", "y"), pieces("x.\ny"));
        assertEquals(List.of(" ://"), pieces(" ://"));
        assertEquals(List.of("a", "   "), pieces("a   "));
        assertEquals(List.of("\u00A0word"), pieces("\u00A0word"));
        assertEquals(List.of("don", "’t"), pieces("don’t"));
    }

    @Test
    void ranksLoadCompletely() {
        byte[][] ranks = O200kBase.loadRanks();
        assertEquals(O200kBase.RANK_COUNT, ranks.length);
        assertEquals("!", new String(ranks[0], StandardCharsets.US_ASCII));
    }

    @Test
    void malformedRankFilesAreRejectedWithTheLine() {
        var e = assertThrows(IllegalStateException.class, () -> O200kBase.parse(bytes("IQ== 0\nIg==\n")));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> O200kBase.parse(bytes("IQ== 0\nIg== 0\n")));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("twice"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> O200kBase.parse(bytes("I*Q 0\n")));
        assertTrue(e.getMessage().contains("base64"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> O200kBase.parse(bytes("IQ== 999999\n")));
        assertTrue(e.getMessage().contains("999999"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> O200kBase.parse(bytes("IQ== 0\nIg== 1\n")));
        assertTrue(e.getMessage().contains("rank 2 is missing"), e.getMessage());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
