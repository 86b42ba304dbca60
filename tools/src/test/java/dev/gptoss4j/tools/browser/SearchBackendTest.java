package dev.gptoss4j.tools.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/** The search API clients against a loopback server that answers as the real APIs document. */
class SearchBackendTest {

    private static final String BRAVE_ANSWER = """
            {"type":"search","query":{"original":"tidal power norway"},
             "web":{"type":"search","results":[
               {"title":"Tidal power in Norway","url":"https://energy.example/tidal","description":"The <strong>tidal</strong> plant at Kvalsund.","language":"en"},
               {"title":"Saltstraumen","url":"https://en.wikipedia.org/wiki/Saltstraumen","description":"A strait with one of the strongest tidal currents."},
               {"title":"no url"}]}}""";

    private static final String SEARXNG_ANSWER = """
            {"query":"tidal power norway","number_of_results":2,
             "results":[
               {"url":"https://energy.example/tidal","title":"Tidal power in Norway","content":"The tidal plant at Kvalsund.","engine":"duckduckgo"},
               {"url":"https://en.wikipedia.org/wiki/Saltstraumen","title":"Saltstraumen","content":"A strait."}]}""";

    @Test
    void braveSendsKeyAndCountAndReadsWebResults() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse()
                    .setHeader("Content-Type", "application/json")
                    .setBody(BRAVE_ANSWER));
            server.start();
            SearchBackend brave =
                    new BraveSearchBackend(server.url("/res/v1/web/search").toString(), "k-123", Duration.ofSeconds(5));
            List<SearchResult> results = brave.search("tidal power norway", 5);
            assertEquals(
                    List.of(
                            new SearchResult(
                                    "Tidal power in Norway",
                                    "https://energy.example/tidal",
                                    "The <strong>tidal</strong> plant at Kvalsund."),
                            new SearchResult(
                                    "Saltstraumen",
                                    "https://en.wikipedia.org/wiki/Saltstraumen",
                                    "A strait with one of the strongest tidal currents.")),
                    results);
            RecordedRequest r = server.takeRequest();
            assertEquals("GET", r.getMethod());
            assertEquals("/res/v1/web/search", r.getRequestUrl().encodedPath());
            assertEquals("tidal power norway", r.getRequestUrl().queryParameter("q"));
            assertEquals("5", r.getRequestUrl().queryParameter("count"));
            assertEquals("k-123", r.getHeader("X-Subscription-Token"));
            assertEquals("application/json", r.getHeader("Accept"));
        }
    }

    @Test
    void apiErrorsNameTheApiAndStatus() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(
                    new MockResponse().setResponseCode(401).setBody("{\"error\":\"invalid subscription token\"}"));
            server.enqueue(new MockResponse().setBody("<html>not json</html>"));
            server.start();
            SearchBackend brave = new BraveSearchBackend(server.url("/s").toString(), "bad", Duration.ofSeconds(5));
            assertEquals(
                    "Brave Search error 401: {\"error\":\"invalid subscription token\"}",
                    assertThrows(BrowserException.class, () -> brave.search("q", 3))
                            .getMessage());
            assertEquals(
                    "Brave Search answered with something that is not JSON",
                    assertThrows(BrowserException.class, () -> brave.search("q", 3))
                            .getMessage());
        }
    }

    @Test
    void searxngAsksForJsonAndReadsResults() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse()
                    .setHeader("Content-Type", "application/json")
                    .setBody(SEARXNG_ANSWER));
            server.start();
            SearchBackend searx =
                    new SearxngSearchBackend(server.url("/search").toString(), null, Duration.ofSeconds(5));
            List<SearchResult> results = searx.search("tidal power norway", 1);
            assertEquals(
                    List.of(new SearchResult(
                            "Tidal power in Norway", "https://energy.example/tidal", "The tidal plant at Kvalsund.")),
                    results);
            RecordedRequest r = server.takeRequest();
            assertEquals("json", r.getRequestUrl().queryParameter("format"));
            assertEquals("tidal power norway", r.getRequestUrl().queryParameter("q"));
            assertNull(r.getHeader("Authorization"));
        }
    }

    @Test
    void environmentPicksAndConfiguresTheBackend() {
        assertInstanceOf(BraveSearchBackend.class, SearchBackends.fromEnvironment(Map.of("GPTOSS_SEARCH_KEY", "k")));
        assertInstanceOf(
                SearxngSearchBackend.class,
                SearchBackends.fromEnvironment(Map.of("GPTOSS_SEARCH_URL", "http://localhost:8888/search")));
        assertEquals(
                "SearXNG needs GPTOSS_SEARCH_URL (like http://localhost:8888/search)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> SearchBackends.fromEnvironment(Map.of("GPTOSS_SEARCH_API", "searxng")))
                        .getMessage());
        assertEquals(
                "GPTOSS_SEARCH_API must be brave or searxng, got 'bing'",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> SearchBackends.fromEnvironment(
                                        Map.of("GPTOSS_SEARCH_API", "bing", "GPTOSS_SEARCH_KEY", "k")))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> SearchBackends.fromEnvironment(Map.of()));
    }
}
