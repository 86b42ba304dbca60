package dev.gptoss4j.tools.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * Fetches pages over HTTP(S) with OkHttp, guarded: every host is checked against a {@link NetworkPolicy} (names
 * through a {@link GuardedDns}, IP literals directly), redirects are followed by hand so each hop is checked, bodies
 * are read up to a size cap (the rest is dropped, and the page says so), and only HTML, text and JSON are accepted.
 * Thread-safe; one instance can serve many browsers.
 */
public final class HttpPageFetcher implements PageFetcher {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final OkHttpClient client;
    private final NetworkPolicy policy;
    private final long maxBytes;
    private final int maxRedirects;
    private final String userAgent;
    private final Duration callTimeout;

    private HttpPageFetcher(Builder b) {
        this.policy = b.policy;
        this.maxBytes = b.maxBytes;
        this.maxRedirects = b.maxRedirects;
        this.userAgent = b.userAgent;
        this.callTimeout = b.callTimeout;
        this.client = new OkHttpClient.Builder()
                .dns(new GuardedDns(b.dns, b.policy))
                .proxy(Proxy.NO_PROXY) // a proxy would resolve names itself, out of the guard's sight
                .followRedirects(false)
                .followSslRedirects(false)
                .connectTimeout(b.connectTimeout)
                .readTimeout(b.readTimeout)
                .callTimeout(b.callTimeout)
                .addNetworkInterceptor(chain -> {
                    // second line of defence: the socket's actual peer, whatever led to it
                    InetAddress peer = chain.connection() == null
                            ? null
                            : chain.connection().route().socketAddress().getAddress();
                    String why = peer == null ? null : policy.refusal(peer);
                    if (why != null) {
                        throw new RefusedAddressException(
                                "refused to talk to " + peer.getHostAddress() + ": it is " + why);
                    }
                    return chain.proceed(chain.request());
                })
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Page fetch(String url, boolean viewSource) {
        HttpUrl current = HttpUrl.parse(url);
        if (current == null) throw new BrowserException("not an http or https URL");
        for (int hop = 0; ; hop++) {
            checkLiteralHost(current);
            Request request = new Request.Builder()
                    .url(current)
                    .header("User-Agent", userAgent)
                    .header(
                            "Accept",
                            "text/html,application/xhtml+xml,text/plain;q=0.9,application/json;q=0.9,*/*;q=0.5")
                    .build();
            try (Response response = client.newCall(request).execute()) {
                if (response.isRedirect()) {
                    if (hop >= maxRedirects) {
                        throw new BrowserException("too many redirects (more than " + maxRedirects + ")");
                    }
                    String location = response.header("Location");
                    if (location == null || location.isBlank()) {
                        throw new BrowserException("HTTP " + response.code() + " redirect without a Location header");
                    }
                    HttpUrl next = current.resolve(location.strip());
                    if (next == null) {
                        throw new BrowserException(
                                "redirected to " + location.strip() + ", which is not an http or https URL");
                    }
                    current = next;
                    continue;
                }
                if (!response.isSuccessful()) {
                    String reason = response.message().isBlank() ? "" : " " + response.message();
                    throw new BrowserException("HTTP " + response.code() + reason);
                }
                return page(current.toString(), response.body(), viewSource);
            } catch (RefusedAddressException e) {
                throw new BrowserException(e.getMessage(), e);
            } catch (InterruptedIOException e) {
                throw new BrowserException(
                        "timed out (no complete answer within " + seconds(callTimeout)
                                + " overall, or a stall past the read timeout)",
                        e);
            } catch (UnknownHostException e) {
                throw new BrowserException("could not resolve host " + current.host(), e);
            } catch (ConnectException e) {
                throw new BrowserException(
                        "could not connect to " + current.host() + ":" + current.port() + " (" + e.getMessage() + ")",
                        e);
            } catch (IOException e) {
                throw new BrowserException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
            }
        }
    }

    private void checkLiteralHost(HttpUrl url) {
        String host = url.host();
        boolean literal = host.contains(":") || host.matches("[0-9.]+");
        if (!literal) return;
        try {
            InetAddress a = InetAddress.getByName(host); // a literal: parsed, not looked up
            String why = policy.refusal(a);
            if (why != null) {
                throw new BrowserException("refused to connect to " + host + ": it is " + why
                        + "; only public internet addresses can be opened");
            }
        } catch (UnknownHostException e) {
            throw new BrowserException("not a valid IP address: " + host, e);
        }
    }

    private Page page(String url, ResponseBody body, boolean viewSource) throws IOException {
        if (body == null) throw new BrowserException("the response has no body");
        MediaType type = body.contentType();
        BufferedSource source = body.source();
        boolean truncated = source.request(maxBytes + 1);
        byte[] bytes =
                source.getBuffer().readByteArray(Math.min(source.getBuffer().size(), maxBytes));
        Kind kind = kind(type, bytes);
        Charset charset = charset(type);
        String note = truncated
                ? "\n\n[The page is longer than " + maxBytes + " bytes; only the first " + maxBytes + " were read.]"
                : "";
        String shownUrl = viewSource ? "view-source:" + url : url;
        if (kind == Kind.HTML) {
            Document doc = Jsoup.parse(new ByteArrayInputStream(bytes), charset == null ? null : charset.name(), url);
            if (viewSource) {
                String raw = new String(bytes, charset != null ? charset : doc.charset());
                return Page.document(shownUrl, doc.title().strip(), "\nURL: " + shownUrl + "\n" + raw + note, Map.of());
            }
            HtmlToText.Result r = HtmlToText.convert(doc, url);
            return Page.document(url, r.title(), "\nURL: " + url + "\n" + r.text() + note, r.links());
        }
        String text = new String(bytes, charset != null ? charset : StandardCharsets.UTF_8).replace("\r\n", "\n");
        if (kind == Kind.JSON && !truncated && !viewSource) text = prettyJson(text);
        return Page.document(
                shownUrl, title(url), "\nURL: " + shownUrl + "\n" + HtmlToText.clean(text) + note, Map.of());
    }

    private enum Kind {
        HTML,
        TEXT,
        JSON
    }

    private static Kind kind(MediaType type, byte[] bytes) {
        boolean binary = looksBinary(bytes);
        if (type == null) {
            if (binary)
                throw new BrowserException("the page has no content type and looks binary; only HTML, "
                        + "plain text and JSON pages can be opened");
            String head = new String(bytes, 0, Math.min(bytes.length, 512), StandardCharsets.UTF_8)
                    .strip()
                    .toLowerCase(Locale.ROOT);
            return head.startsWith("<") ? Kind.HTML : Kind.TEXT;
        }
        String t = type.type().toLowerCase(Locale.ROOT), s = type.subtype().toLowerCase(Locale.ROOT);
        Kind kind = null;
        if (s.equals("html") || s.equals("xhtml+xml")) kind = Kind.HTML;
        else if (s.equals("json") || s.endsWith("+json")) kind = Kind.JSON;
        else if (t.equals("text")
                || s.equals("xml")
                || s.endsWith("+xml")
                || s.equals("javascript")
                || s.equals("x-ndjson")
                || s.equals("x-yaml")
                || s.equals("yaml")) kind = Kind.TEXT;
        if (kind == null) {
            throw new BrowserException("unsupported content type " + t + "/" + s
                    + " (binary); only HTML, plain text and JSON pages can be opened");
        }
        if (binary) {
            throw new BrowserException("the page says it is " + t + "/" + s
                    + " but its content is binary; only HTML, plain text and JSON pages can be opened");
        }
        return kind;
    }

    /** NUL bytes do not occur in text in any charset a web page uses (UTF-16 pages are refused too). */
    private static boolean looksBinary(byte[] bytes) {
        int n = Math.min(bytes.length, 8192);
        for (int i = 0; i < n; i++) if (bytes[i] == 0) return true;
        return false;
    }

    private static Charset charset(MediaType type) {
        try {
            return type == null ? null : type.charset();
        } catch (RuntimeException unknownCharset) {
            return null;
        }
    }

    private static String prettyJson(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node == null ? text : JSON.writeValueAsString(node);
        } catch (IOException notJson) {
            return text;
        }
    }

    private static String title(String url) {
        HttpUrl u = HttpUrl.parse(url);
        if (u == null) return url;
        for (int i = u.pathSegments().size() - 1; i >= 0; i--) {
            if (!u.pathSegments().get(i).isEmpty()) return u.pathSegments().get(i);
        }
        return Urls.domain(url);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    public static final class Builder {
        private NetworkPolicy policy = NetworkPolicy.publicInternetOnly();
        private Dns dns = Dns.SYSTEM;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(20);
        private Duration callTimeout = Duration.ofSeconds(30);
        private long maxBytes = 2L * 1024 * 1024;
        private int maxRedirects = 10;
        private String userAgent = "gptoss4j-browser/0.1";

        private Builder() {}

        /** Which addresses may be reached; public internet only by default. */
        public Builder networkPolicy(NetworkPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The resolver the guard wraps (the system's by default). */
        public Builder dns(Dns dns) {
            this.dns = Objects.requireNonNull(dns, "dns");
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive(d, "connect timeout");
            return this;
        }

        public Builder readTimeout(Duration d) {
            this.readTimeout = positive(d, "read timeout");
            return this;
        }

        /** The most one fetch may take, redirects and body included. */
        public Builder callTimeout(Duration d) {
            this.callTimeout = positive(d, "call timeout");
            return this;
        }

        /** Bytes of a body read at most (after decompression); the rest is dropped. 2 MiB by default. */
        public Builder maxBytes(long maxBytes) {
            if (maxBytes < 1) throw new IllegalArgumentException("max bytes must be positive, got " + maxBytes);
            this.maxBytes = maxBytes;
            return this;
        }

        public Builder maxRedirects(int maxRedirects) {
            if (maxRedirects < 0) throw new IllegalArgumentException("max redirects must be >= 0, got " + maxRedirects);
            this.maxRedirects = maxRedirects;
            return this;
        }

        public Builder userAgent(String userAgent) {
            this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
            return this;
        }

        public HttpPageFetcher build() {
            return new HttpPageFetcher(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + d);
            }
            return d;
        }
    }
}
