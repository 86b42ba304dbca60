package dev.gptoss4j.examples.research;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * A tiny offline web for the research bot when no search API is configured: a few pages written for this example
 * (in the jar, under {@code research/web/}) and a SearXNG-style JSON search over them, served on a loopback port.
 * The browser reaches it through its real HTTP fetcher, with loopback put on the network allow-list.
 */
public final class DemoWeb implements AutoCloseable {

    /** The pages, by file name. */
    public static final List<String> PAGES = List.of("gpt-oss-models.html", "harmony-format.html", "mxfp4.html");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, byte[]> pages = new LinkedHashMap<>();

    private DemoWeb() throws IOException {
        for (String name : PAGES) pages.put(name, page(name));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts serving on a free loopback port. */
    public static DemoWeb start() {
        try {
            return new DemoWeb();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the offline demo web on loopback", e);
        }
    }

    /** One page's HTML, as bundled. */
    public static byte[] page(String name) {
        try (InputStream in = DemoWeb.class.getResourceAsStream("web/" + name)) {
            if (in == null) throw new IllegalStateException("the demo page " + name + " is missing from the jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the demo page " + name, e);
        }
    }

    /** {@code http://127.0.0.1:PORT} */
    public String baseUrl() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":"
                + server.getAddress().getPort();
    }

    /** The SearXNG-style endpoint: {@code GET /search?q=...&format=json}. */
    public String searchUrl() {
        return baseUrl() + "/search";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/search")) {
                String q = query(exchange.getRequestURI().getRawQuery()).getOrDefault("q", "");
                send(exchange, 200, "application/json", JSON.writeValueAsBytes(search(q)));
                return;
            }
            byte[] page = path.startsWith("/") ? pages.get(path.substring(1)) : null;
            if (page == null) {
                send(exchange, 404, "text/plain", "no such page".getBytes(StandardCharsets.UTF_8));
                return;
            }
            send(exchange, 200, "text/html; charset=utf-8", page);
        }
    }

    /** Pages ranked by how many of the query's words they contain (title words count double). */
    private ObjectNode search(String q) {
        List<String> words = List.of(q.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}-]+"));
        record Hit(String name, String title, String content, int score) {}
        List<Hit> hits = new ArrayList<>();
        pages.forEach((name, html) -> {
            Document doc = Jsoup.parse(new String(html, StandardCharsets.UTF_8));
            String title = doc.title();
            String text = doc.body().text();
            int score = 0;
            for (String w : words) {
                if (w.isBlank()) continue;
                if (title.toLowerCase(Locale.ROOT).contains(w)) score += 2;
                if (text.toLowerCase(Locale.ROOT).contains(w)) score += 1;
            }
            String firstParagraph =
                    doc.selectFirst("p") == null ? text : doc.selectFirst("p").text();
            if (score > 0) hits.add(new Hit(name, title, firstParagraph, score));
        });
        hits.sort(Comparator.comparingInt(Hit::score).reversed());
        ObjectNode root = JSON.createObjectNode().put("query", q);
        ArrayNode results = root.putArray("results");
        for (Hit h : hits) {
            results.addObject()
                    .put("title", h.title())
                    .put("url", baseUrl() + "/" + h.name())
                    .put("content", h.content());
        }
        return root;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) return out;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) continue;
            out.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
