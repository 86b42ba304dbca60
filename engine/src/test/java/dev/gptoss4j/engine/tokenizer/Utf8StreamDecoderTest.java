package dev.gptoss4j.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8StreamDecoderTest {

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) b[i] = (byte) values[i];
        return b;
    }

    @Test
    void validTextDecodesAsTheJdkDoes() {
        String text = "plain, é, 中文, العربية, 😀 and 𝕳";
        assertEquals(text, Utf8StreamDecoder.decode(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void eachMaximalSubpartOfAnInvalidSequenceIsOneReplacement() {
        // Unicode's recommended practice (Rust from_utf8_lossy, Python errors="replace"): an encoded surrogate is
        // three bad bytes, an overlong form two, a truncated character followed by ASCII one.
        assertEquals("\uFFFD\uFFFD\uFFFD", Utf8StreamDecoder.decode(bytes(0xED, 0xA0, 0x80)));
        assertEquals("\uFFFD\uFFFD", Utf8StreamDecoder.decode(bytes(0xC0, 0x80)));
        assertEquals("\uFFFD\uFFFD\uFFFD\uFFFD", Utf8StreamDecoder.decode(bytes(0xF4, 0x90, 0x80, 0x80)));
        assertEquals("\uFFFDA", Utf8StreamDecoder.decode(bytes(0xE4, 0xB8, 'A')));
        assertEquals("a\uFFFD", Utf8StreamDecoder.decode(bytes('a', 0xF0, 0x9F, 0x98)));
        assertEquals("\uFFFD", Utf8StreamDecoder.decode(bytes(0xFF)));
    }

    @Test
    void aCharacterSplitOverPiecesIsHeldUntilComplete() {
        byte[] emoji = "😀".getBytes(StandardCharsets.UTF_8);
        Utf8StreamDecoder d = new Utf8StreamDecoder();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            d.feed(emoji, i, 1, out);
            assertEquals("", out.toString());
            assertEquals(i + 1, d.pendingBytes());
        }
        d.feed(emoji, 3, 1, out);
        assertEquals("😀", out.toString());
        assertEquals(0, d.pendingBytes());
        assertTrue(d.isIdle());
    }

    @Test
    void anyCutOfAnyBytesGivesTheWholeDecode() {
        Random random = new Random(17);
        int[] interesting = {
            0x00, 0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xA0, 0xED, 0x9F, 0xEF, 0xF0, 0x90, 0xF4, 0x8F, 0xF5,
            0xFF
        };
        for (int round = 0; round < 2000; round++) {
            byte[] b = new byte[random.nextInt(12)];
            for (int i = 0; i < b.length; i++) b[i] = (byte) interesting[random.nextInt(interesting.length)];
            String whole = Utf8StreamDecoder.decode(b);
            Utf8StreamDecoder d = new Utf8StreamDecoder();
            StringBuilder pieces = new StringBuilder();
            for (int at = 0; at < b.length; ) {
                int n = 1 + random.nextInt(b.length - at);
                d.feed(b, at, n, pieces);
                assertTrue(d.pendingBytes() <= 3);
                at += n;
            }
            d.finish(pieces);
            assertEquals(
                    whole, pieces.toString(), () -> java.util.HexFormat.of().formatHex(b));
        }
    }
}
