package dev.gptoss4j.agent.vision;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageTest {

    @Test
    void fileTypeComesFromContent(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("photo.jpg"); // misnamed: it is a PNG
        Files.write(f, TestImages.png(8, 8));
        Image img = Image.ofFile(f);
        assertEquals("image/png", img.mimeType());
        assertTrue(img.urlOrDataUrl().startsWith("data:image/png;base64,"));
        assertArrayEquals(Files.readAllBytes(f), Base64.getDecoder().decode(img.base64()));
        assertTrue(img.source().contains("photo.jpg"));
    }

    @Test
    void badInputsAreNamed(@TempDir Path dir) throws Exception {
        var e = assertThrows(IllegalArgumentException.class, () -> Image.ofFile(dir.resolve("missing.png")));
        assertTrue(e.getMessage().contains("missing.png"), e.getMessage());
        Path text = dir.resolve("notes.png");
        Files.writeString(text, "just text");
        e = assertThrows(IllegalArgumentException.class, () -> Image.ofFile(text));
        assertTrue(e.getMessage().contains("notes.png") && e.getMessage().contains("not a PNG, JPEG"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Image.ofUrl("ftp://x/y.png"));
        assertTrue(e.getMessage().contains("http"), e.getMessage());
    }

    @Test
    void urlsStayUrlsAndDataUrlsBecomeBytes() {
        Image remote = Image.ofUrl("https://example.com/cat.png");
        assertTrue(remote.isRemote());
        assertEquals("https://example.com/cat.png", remote.urlOrDataUrl());
        byte[] png = TestImages.png(4, 4);
        Image data = Image.ofUrl("data:image/png;base64," + Base64.getEncoder().encodeToString(png));
        assertFalse(data.isRemote());
        assertArrayEquals(png, data.bytes());
    }

    @Test
    void bigImagesAreDownscaledWithinTheLimits() throws Exception {
        Image big = Image.ofBytes(TestImages.png(3000, 1000));
        Image fit = new ImageLimits(8 * 1024 * 1024, 1024).fit(big);
        var decoded = ImageIO.read(new ByteArrayInputStream(fit.bytes()));
        assertEquals(1024, decoded.getWidth());
        assertEquals(341, decoded.getHeight(), 1);
        assertEquals("image/jpeg", fit.mimeType());

        Image small = Image.ofBytes(TestImages.png(100, 100));
        assertSame(small, ImageLimits.defaults().fit(small), "within limits: sent as is");

        byte[] noisy = TestImages.noisyPng(600, 600);
        assertTrue(noisy.length > 500_000);
        Image shrunk = new ImageLimits(100_000, 2048).fit(Image.ofBytes(noisy));
        assertTrue(shrunk.size() <= 100_000, "size " + shrunk.size());
    }

    @Test
    void undecodableBigImageIsRefusedClearly() {
        Image webp = Image.ofBytes(TestImages.fakeWebp(5000));
        assertEquals("image/webp", webp.mimeType());
        var e = assertThrows(IllegalArgumentException.class, () -> new ImageLimits(2048, 2048).fit(webp));
        assertTrue(
                e.getMessage().contains("5000 bytes")
                        && e.getMessage().contains("image/webp")
                        && e.getMessage().contains("cannot decode"),
                e.getMessage());
    }
}
