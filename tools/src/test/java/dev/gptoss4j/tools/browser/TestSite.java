package dev.gptoss4j.tools.browser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Function;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;

/** A small web site on loopback, from the pages in src/test/resources/browser. */
final class TestSite {

    static byte[] resource(String name) {
        try (InputStream in = TestSite.class.getResourceAsStream("/browser/" + name)) {
            if (in == null) throw new IllegalStateException("missing test resource " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MockResponse file(String name, String contentType) {
        return new MockResponse().setHeader("Content-Type", contentType).setBody(new Buffer().write(resource(name)));
    }

    static MockResponse redirect(int code, String location) {
        return new MockResponse().setResponseCode(code).setHeader("Location", location);
    }

    /** Serves the standard pages plus {@code extra} routes (path to response). */
    static MockWebServer start(Map<String, Function<RecordedRequest, MockResponse>> extra) throws IOException {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getPath() == null ? "/" : request.getPath();
                if (extra.containsKey(path)) return extra.get(path).apply(request);
                return switch (path) {
                    case "/article" -> file("article.html", "text/html; charset=utf-8");
                    case "/notes/grid-planning" -> file("notes.txt", "text/plain; charset=utf-8");
                    case "/data.json" -> file("data.json", "application/json");
                    case "/pixel.png" -> file("pixel.png", "image/png");
                    case "/pixel-as-text" -> file("pixel.png", "text/plain");
                    case "/long" -> file("long-report.html", "text/html");
                    case "/r1" -> redirect(301, "/r2");
                    case "/r2" -> redirect(302, "r3");
                    case "/r3" -> redirect(307, "/article");
                    case "/loop" -> redirect(302, "/loop");
                    default -> new MockResponse().setResponseCode(404).setBody("not here");
                };
            }
        });
        server.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
        return server;
    }

    private TestSite() {}
}
