package dev.gptoss4j.tools.browser;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import okhttp3.HttpUrl;

/** URL text the way the browser shows and compares it (Python's {@code quote}/{@code unquote} semantics). */
final class Urls {

    private Urls() {}

    /** Python's {@code unquote}: {@code %XX} runs decoded as UTF-8, {@code +} kept, bad escapes kept as text. */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) return s;
        StringBuilder out = new StringBuilder();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < s.length()) {
            if (s.charAt(i) == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                bytes.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 3;
                continue;
            }
            if (bytes.size() > 0) {
                out.append(bytes.toString(StandardCharsets.UTF_8));
                bytes.reset();
            }
            out.append(s.charAt(i++));
        }
        if (bytes.size() > 0) out.append(bytes.toString(StandardCharsets.UTF_8));
        return out.toString();
    }

    /** Python's {@code quote(s)}: UTF-8 percent-encoding of all but letters, digits, {@code _.-~} and {@code /}. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '.'
                    || c == '-'
                    || c == '~'
                    || c == '/') {
                out.append((char) c);
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }

    static String truncate(String s, int max) {
        return s.length() > max ? s.substring(0, max - 3) + "..." : s;
    }

    /** The {@code host[:port]} of a URL (the port only when not the scheme's default), or empty. */
    static String domain(String url) {
        HttpUrl u = url == null ? null : HttpUrl.parse(url);
        if (u == null) return "";
        return u.port() == HttpUrl.defaultPort(u.scheme()) ? u.host() : u.host() + ":" + u.port();
    }

    /** {@code link} resolved against {@code base}, or {@code null} when it is not an http(s) URL. */
    static String resolve(String base, String link) {
        HttpUrl b = base == null || base.isEmpty() ? null : HttpUrl.parse(base);
        HttpUrl u = b != null ? b.resolve(link.strip()) : HttpUrl.parse(link.strip());
        return u == null ? null : u.toString();
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
