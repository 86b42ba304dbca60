package dev.gptoss4j.agent.vision;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;

/**
 * An image a user attached: bytes (from memory or a file) with their media type, or a URL the vision provider
 * fetches itself. gpt-oss never sees it; a vision model looks at it when asked (see {@link AnalyzeImageTool}).
 */
public final class Image {

    private final byte[] bytes;
    private final String mimeType;
    private final String url;
    private final String source;

    private Image(byte[] bytes, String mimeType, String url, String source) {
        this.bytes = bytes;
        this.mimeType = mimeType;
        this.url = url;
        this.source = source;
    }

    /** An image in memory; the media type is read from its first bytes (PNG, JPEG, GIF or WebP). */
    public static Image ofBytes(byte[] bytes) {
        return ofBytes(bytes, null);
    }

    /** An image in memory with its media type ({@code image/png}); {@code null} to detect it. */
    public static Image ofBytes(byte[] bytes, String mimeType) {
        return of(bytes, mimeType, "image bytes");
    }

    /** Reads an image file; its media type comes from its content, not its name. */
    public static Image ofFile(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("image file " + file + " not found");
        try {
            return of(Files.readAllBytes(file), null, "image file " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image file " + file + ": " + e.getMessage(), e);
        }
    }

    /** An image the vision provider fetches itself: {@code https://...}, or a {@code data:image/...;base64,} URL. */
    public static Image ofUrl(String url) {
        if (url == null || url.isBlank()) throw new IllegalArgumentException("image URL must not be blank");
        String u = url.strip();
        if (u.startsWith("data:")) {
            int comma = u.indexOf(',');
            String meta = comma < 0 ? "" : u.substring(5, comma);
            if (comma < 0 || !meta.endsWith(";base64")) {
                throw new IllegalArgumentException("data URL images must be base64 (data:image/png;base64,...)");
            }
            byte[] data;
            try {
                data = Base64.getDecoder().decode(u.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("data URL image is not valid base64: " + e.getMessage());
            }
            return of(data, meta.substring(0, meta.length() - ";base64".length()), "data URL image");
        }
        URI uri;
        try {
            uri = URI.create(u);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("image URL '" + u + "' is not a URL");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("image URL '" + u + "' must be http(s):// or data:");
        }
        return new Image(null, null, u, "image URL " + u);
    }

    private static Image of(byte[] bytes, String mimeType, String source) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length == 0) throw new IllegalArgumentException(source + " is empty");
        String detected = sniff(bytes);
        String type = mimeType == null || mimeType.isBlank()
                ? detected
                : mimeType.strip().toLowerCase(Locale.ROOT);
        if (type == null) {
            throw new IllegalArgumentException(
                    source + " is not a PNG, JPEG, GIF or WebP image (unrecognized content)");
        }
        if (!type.startsWith("image/")) {
            throw new IllegalArgumentException(source + ": media type '" + type + "' is not an image type");
        }
        return new Image(bytes.clone(), type, null, source);
    }

    /** The media type from the magic bytes, or null. */
    static String sniff(byte[] b) {
        if (starts(b, 0x89, 'P', 'N', 'G')) return "image/png";
        if (starts(b, 0xFF, 0xD8, 0xFF)) return "image/jpeg";
        if (starts(b, 'G', 'I', 'F', '8')) return "image/gif";
        if (b.length >= 12
                && starts(b, 'R', 'I', 'F', 'F')
                && b[8] == 'W'
                && b[9] == 'E'
                && b[10] == 'B'
                && b[11] == 'P') {
            return "image/webp";
        }
        return null;
    }

    private static boolean starts(byte[] b, int... prefix) {
        if (b.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if ((b[i] & 0xFF) != prefix[i]) return false;
        return true;
    }

    /** Whether the provider fetches the image from {@link #url()} (no bytes here). */
    public boolean isRemote() {
        return url != null;
    }

    /** The bytes (a copy); empty for a remote image. */
    public byte[] bytes() {
        return bytes == null ? new byte[0] : bytes.clone();
    }

    /** The size in bytes; 0 for a remote image. */
    public int size() {
        return bytes == null ? 0 : bytes.length;
    }

    /** The media type, such as {@code image/png}; null for a remote image. */
    public String mimeType() {
        return mimeType;
    }

    /** The URL of a remote image, null otherwise. */
    public String url() {
        return url;
    }

    /** The bytes as base64 (no line breaks); null for a remote image. */
    public String base64() {
        return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
    }

    /** What to send as an OpenAI {@code image_url}: the remote URL, or a {@code data:} URL of the bytes. */
    public String urlOrDataUrl() {
        return url != null ? url : "data:" + mimeType + ";base64," + base64();
    }

    /** Where the image came from, for messages ({@code image file photo.png}). */
    public String source() {
        return source;
    }

    /** A copy with other bytes (a downscaled version), keeping the source for messages. */
    Image withBytes(byte[] newBytes, String newMimeType) {
        return new Image(newBytes.clone(), newMimeType, null, source);
    }

    @Override
    public String toString() {
        return url != null
                ? "Image[" + url + "]"
                : "Image[" + source + ", " + mimeType + ", " + bytes.length + " bytes]";
    }
}
