package dev.gptoss4j.tools.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gptoss4j.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The browser against a real HTTP server on loopback (opened to it through the allow-list). */
class BrowserTest {

    private MockWebServer server;
    private Browser browser;

    @BeforeEach
    void start() throws Exception {
        server = TestSite.start(Map.of(
                "/slow",
                        r -> new MockResponse()
                                .setHeadersDelay(1500, TimeUnit.MILLISECONDS)
                                .setBody("late"),
                "/trickle", r -> new MockResponse().setBody("x".repeat(2000)).throttleBody(10, 1, TimeUnit.SECONDS)));
        browser = browser(2L * 1024 * 1024);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private Browser browser(long maxBytes) {
        return browser(maxBytes, java.time.Duration.ofSeconds(20));
    }

    private Browser browser(long maxBytes, java.time.Duration readTimeout) {
        return Browser.builder()
                .pageFetcher(HttpPageFetcher.builder()
                        .networkPolicy(NetworkPolicy.allowing("127.0.0.0/8", "::1/128"))
                        .readTimeout(readTimeout)
                        .maxBytes(maxBytes)
                        .build())
                .build();
    }

    private String url(String path) {
        return server.url(path).toString();
    }

    @Test
    void articleIsShownAsNumberedLinesWithHeaderAndScrollbar() {
        String shown = browser.open(url("/article"), -1, -1, -1, false);
        String[] lines = shown.split("\n", -1);
        assertEquals("[0] Tidal Energy in Norway – Field Notes (" + url("/article") + ")", lines[0]);
        assertEquals("**viewing lines [0 - 41] of 41**", lines[1]);
        assertEquals("", lines[2]);
        assertEquals("L0: ", lines[3]);
        assertEquals("L1: URL: " + url("/article"), lines[4]);
        assertTrue(shown.contains("\nL4: # Tidal Energy in Norway\n"), shown);
        assertTrue(shown.contains("\nL10: ## Why tides are predictable\n"), shown);
        assertTrue(shown.contains("\nL21: ### Installed capacity\n"), shown);
        // lists, tables, images, sub/sup
        assertTrue(shown.contains("\nL17:   * Kvalsund, near Hammerfest\n"), shown);
        assertTrue(shown.contains("\nL30:   1. Measure currents with ADCP buoys.\n"), shown);
        assertTrue(
                shown.contains("\nL23: | Site | Capacity (MW) | Since |\nL24: | --- | --- | --- |\n"
                        + "L25: | Kvalsund | 0.3 | 2003 |\n"),
                shown);
        assertTrue(shown.contains("H_{2}O at 10^{3} kg/m³"), shown);
        assertTrue(shown.contains("[Image 0: A turbine being lowered] and a [Image 1] thumbnail."), shown);
        assertTrue(shown.contains("\nL35: > Tides are the most reliable renewable we have.\n"), shown);
        // links: same site without domain, other sites with it, one id per URL; mailto and #anchors are text
        assertTrue(shown.contains("【2†Saltstraumen strait†en.wikipedia.org】"), shown);
        assertTrue(shown.contains("See 【3†our grid planning notes】 and the methods section."), shown);
        assertTrue(shown.contains("【2†Saltstraumen article†en.wikipedia.org】"), shown);
        assertTrue(shown.contains("Contact: the editor."), shown);
        assertTrue(shown.contains("Brackets 〖like these〗 are plain text."), shown);
        assertFalse(shown.contains("analytics") || shown.contains("font-family"), "script and style are dropped");
        Page page = browser.state().pages().get(0);
        assertEquals(
                Map.of(
                        "0",
                        url("/"),
                        "1",
                        url("/archive"),
                        "2",
                        "https://en.wikipedia.org/wiki/Saltstraumen",
                        "3",
                        url("/notes/grid-planning"),
                        "4",
                        "https://example.org/lofoten"),
                page.links());
    }

    @Test
    void wrappedLinesFollowPythonTextwrap() {
        String shown = browser.open(url("/article"), -1, -1, -1, false);
        // 80 columns, whitespace kept: the break before "grid" leaves the space at the start of the next line
        assertTrue(
                shown.contains(
                        "\nL12: Unlike wind, tides follow the moon. Operators can plan output years ahead, which\n"
                                + "L13:  grid operators value."),
                shown);
        assertEquals(List.of("well-", "known"), TextWrap.wrap("well-known", 6));
        assertEquals(List.of("abcdefgh", "ij"), TextWrap.wrap("abcdefghij", 8));
        assertEquals(List.of("a       b"), TextWrap.wrap("a\tb", 80));
    }

    @Test
    void followingALinkOpensItAsTheNextCursorAndRevisitsComeFromTheCache() throws Exception {
        browser.open(url("/article"), -1, -1, -1, false);
        String notes = browser.open(3, -1, -1, -1, false);
        assertTrue(notes.startsWith("[1] grid-planning (" + url("/notes/grid-planning") + ")\n"), notes);
        assertTrue(notes.contains("\nL2: Grid planning notes\n"), notes);
        int requests = server.getRequestCount();
        String again = browser.open(3, 0, -1, -1, false); // the same link from cursor 0
        assertTrue(again.startsWith("[2] grid-planning"), again);
        assertEquals(requests, server.getRequestCount(), "a page seen before is not fetched again");
        browser.open(url("/notes/grid-planning"), -1, -1, -1, false); // a URL opened directly is refreshed
        assertEquals(requests + 1, server.getRequestCount());
    }

    @Test
    void scrollingShowsTheAskedLinesAsANewCursor() {
        browser.open(url("/article"), -1, -1, -1, false);
        String shown = browser.open(-1, 0, 20, 5, false);
        String[] lines = shown.split("\n");
        assertEquals("[1] Tidal Energy in Norway – Field Notes (" + url("/article") + ")", lines[0]);
        assertEquals("**viewing lines [20 - 24] of 41**", lines[1]);
        assertEquals(8, lines.length);
        assertEquals("L20: ", lines[3]);
        assertEquals("L24: | --- | --- | --- |", lines[7]);
        assertEquals(2, browser.state().pages().size());
    }

    @Test
    void usageErrorsUseGptOssTexts() {
        assertEquals(
                "No pages to access!",
                assertThrows(BrowserException.class, () -> browser.open(1, -1, -1, -1, false))
                        .getMessage());
        browser.open(url("/article"), -1, -1, -1, false);
        assertEquals(
                "Cursor `7` is out of range. Available cursor indices: [0 - 0].",
                assertThrows(BrowserException.class, () -> browser.find("x", 7)).getMessage());
        assertEquals(
                "Invalid link id `99`.",
                assertThrows(BrowserException.class, () -> browser.open(99, -1, -1, -1, false))
                        .getMessage());
        assertEquals(
                "Invalid location parameter: `500`. Cannot exceed page maximum of 41.",
                assertThrows(BrowserException.class, () -> browser.open(-1, -1, 500, -1, false))
                        .getMessage());
        assertEquals(1, browser.state().pages().size(), "a display that failed takes no cursor");
    }

    @Test
    void findListsMatchesAndItsLinksScrollToThem() {
        browser.open(url("/article"), -1, -1, -1, false);
        String found = browser.find("SALTSTRAUMEN", -1);
        String[] lines = found.split("\n");
        assertEquals(
                "[1] Find results for text: `saltstraumen` in `Tidal Energy in Norway – Field Notes` ("
                        + url("/article") + "/find?pattern=saltstraumen)",
                lines[0]);
        assertEquals("L0: # 【0†match at L7】", lines[3]);
        assertEquals("L1: Saltstraumen strait alone moves roughly 400 million cubic ", lines[4]);
        assertTrue(found.contains("# 【1†match at L18】\nL7:   * Saltstraumen, near Bodø\n"), found);
        assertTrue(found.contains("# 【2†match at L26】"), found);
        assertTrue(found.contains("# 【3†match at L39】"), found);
        assertFalse(found.contains("【4†"), found);

        String opened = browser.open(1, -1, -1, -1, false);
        assertTrue(opened.startsWith("[2] Tidal Energy in Norway"), opened);
        assertTrue(opened.contains("**viewing lines [14 - 41] of 41**"), "4 lines above the match: " + opened);

        assertEquals(
                "Cannot run `find` on search results page or find results page",
                assertThrows(BrowserException.class, () -> browser.find("x", 1)).getMessage());
        String none = browser.find("geothermal", 0);
        assertTrue(none.endsWith("\nL0: No `find` results for pattern: `geothermal`"), none);
    }

    @Test
    void viewportHoldsAboutViewTokensOfText() {
        String shown = browser.open(url("/long"), -1, -1, -1, false);
        assertTrue(shown.contains("**viewing lines [0 - 102] of 4324**"), shown.substring(0, 200));
        List<String> lines = TextWrap.wrapLines(browser.state().pages().get(0).text());
        int end = 103;
        Tokenizer t = Tokenizer.o200kHarmony();
        assertTrue(t.encode(Viewport.joinNumbered(lines, 0, end - 1)).length <= Browser.DEFAULT_VIEW_TOKENS);
        assertTrue(t.encode(Viewport.joinNumbered(lines, 0, end)).length >= Browser.DEFAULT_VIEW_TOKENS);
        Browser small = Browser.builder()
                .viewTokens(100)
                .pageFetcher(HttpPageFetcher.builder()
                        .networkPolicy(NetworkPolicy.allowing("127.0.0.0/8", "::1/128"))
                        .build())
                .build();
        String few = small.open(url("/long"), -1, 50, -1, false);
        String scrollbar = few.split("\n")[1];
        int last = Integer.parseInt(scrollbar.replaceAll(".*\\[50 - (\\d+)\\].*", "$1"));
        assertTrue(t.encode(Viewport.joinNumbered(lines, 50, last)).length <= 100, scrollbar);
        // the line the 100-token budget ends in is shown whole; the next is not
        assertTrue(t.encode(Viewport.joinNumbered(lines, 50, last + 1)).length >= 100, scrollbar);
        assertTrue(t.encode(Viewport.joinNumbered(lines, 50, last + 2)).length > 100, scrollbar);
    }

    @Test
    void redirectsAreFollowedHopByHop() throws Exception {
        String shown = browser.open(url("/r1"), -1, -1, -1, false);
        assertTrue(shown.startsWith("[0] Tidal Energy in Norway – Field Notes (" + url("/article") + ")"), shown);
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 4; i++) paths.add(server.takeRequest().getPath());
        assertEquals(List.of("/r1", "/r2", "/r3", "/article"), paths);
        String loop = assertThrows(BrowserException.class, () -> browser.open(url("/loop"), -1, -1, -1, false))
                .getMessage();
        assertEquals("Error fetching URL `" + url("/loop") + "`: too many redirects (more than 10)", loop);
    }

    @Test
    void httpErrorsTimeoutsAndBinaryAreReportedNotThrownFurther() {
        assertEquals(
                "Error fetching URL `" + url("/missing") + "`: HTTP 404 Client Error",
                assertThrows(BrowserException.class, () -> browser.open(url("/missing"), -1, -1, -1, false))
                        .getMessage());
        String png = assertThrows(BrowserException.class, () -> browser.open(url("/pixel.png"), -1, -1, -1, false))
                .getMessage();
        assertEquals(
                "Error fetching URL `" + url("/pixel.png") + "`: unsupported content type image/png (binary); "
                        + "only HTML, plain text and JSON pages can be opened",
                png);
        String disguised = assertThrows(
                        BrowserException.class, () -> browser.open(url("/pixel-as-text"), -1, -1, -1, false))
                .getMessage();
        assertTrue(
                disguised.endsWith("says it is text/plain but its content is binary; only HTML, plain text and "
                        + "JSON pages can be opened"),
                disguised);
        Browser impatient = browser(1024 * 1024, java.time.Duration.ofMillis(300));
        String slow = assertThrows(BrowserException.class, () -> impatient.open(url("/slow"), -1, -1, -1, false))
                .getMessage();
        assertTrue(slow.startsWith("Error fetching URL `" + url("/slow") + "`: timed out"), slow);
        // a body that keeps trickling in under the read timeout is stopped by the call timeout
        Browser bounded = Browser.builder()
                .pageFetcher(HttpPageFetcher.builder()
                        .networkPolicy(NetworkPolicy.allowing("127.0.0.0/8", "::1/128"))
                        .callTimeout(java.time.Duration.ofMillis(800))
                        .build())
                .build();
        String trickle = assertThrows(BrowserException.class, () -> bounded.open(url("/trickle"), -1, -1, -1, false))
                .getMessage();
        assertTrue(trickle.startsWith("Error fetching URL `" + url("/trickle") + "`: timed out"), trickle);
        String ftp = assertThrows(BrowserException.class, () -> browser.open("ftp://example.org/x", -1, -1, -1, false))
                .getMessage();
        assertEquals("Error fetching URL `ftp://example.org/x`: not an http or https URL", ftp);
        assertTrue(browser.state().pages().isEmpty());
    }

    @Test
    void aPageOverTheSizeCapIsCutAndSaysSo() {
        Browser capped = browser(64 * 1024);
        capped.open(url("/long"), -1, -1, -1, false);
        String text = capped.state().pages().get(0).text();
        assertTrue(text.contains("Paragraph 0: measurements"), "the head is kept");
        assertFalse(text.contains("THE-END-MARKER"), "the tail is dropped");
        assertTrue(
                text.endsWith("[The page is longer than 65536 bytes; only the first 65536 were read.]"),
                text.substring(text.length() - 200));
    }

    @Test
    void jsonIsPrettyPrintedAndViewSourceShowsTheMarkup() {
        String json = browser.open(url("/data.json"), -1, -1, -1, false);
        assertTrue(json.startsWith("[0] data.json (" + url("/data.json") + ")"), json);
        assertTrue(json.contains("\nL3:   \"site\" : \"Saltstraumen\",\n"), json);
        String source = browser.open(url("/article"), -1, -1, -1, true);
        assertTrue(
                source.startsWith("[1] Tidal Energy in Norway – Field Notes (view-source:" + url("/article") + ")"),
                source);
        assertTrue(source.contains("<title>Tidal Energy in Norway – Field Notes</title>"), source);
    }

    @Test
    void searchResultsPageLinksOpenTheResults() {
        List<String> queries = new ArrayList<>();
        SearchBackend backend = (query, count) -> {
            queries.add(query + "/" + count);
            return List.of(
                    new SearchResult(
                            "Tidal Energy in Norway", url("/article"), "Field notes on <strong>tides</strong>."),
                    new SearchResult("Saltstraumen", "https://en.wikipedia.org/wiki/Saltstraumen", "A strait."));
        };
        Browser b = Browser.builder()
                .searchBackend(backend)
                .pageFetcher(HttpPageFetcher.builder()
                        .networkPolicy(NetworkPolicy.allowing("127.0.0.0/8", "::1/128"))
                        .build())
                .build();
        String shown = b.search("tidal energy norway", 5);
        assertEquals(List.of("tidal energy norway/5"), queries);
        String domain = server.getHostName() + ":" + server.getPort();
        assertEquals(
                "[0] tidal energy norway\n"
                        + "**viewing lines [0 - 5] of 5**\n\n"
                        + "L0: \n"
                        + "L1: URL: \n"
                        + "L2: # Search Results\n"
                        + "L3: \n"
                        + "L4:   * 【0†Tidal Energy in Norway†" + domain + "】 Field notes on tides.\n"
                        + "L5:   * 【1†Saltstraumen†en.wikipedia.org】 A strait.",
                shown);
        String opened = b.open(0, -1, -1, -1, false);
        assertTrue(opened.startsWith("[1] Tidal Energy in Norway – Field Notes"), opened);
        b.search("x", 500);
        assertEquals("x/20", queries.get(1), "topn is capped at the maximum");

        Browser failing = Browser.builder()
                .searchBackend((q, n) -> {
                    throw new BrowserException("Brave Search error 429: rate limited");
                })
                .build();
        assertEquals(
                "Error during search for `q`: Brave Search error 429: rate limited",
                assertThrows(BrowserException.class, () -> failing.search("q", 3))
                        .getMessage());
    }

    @Test
    void citationsBecomeLinksToTheCitedPages() {
        browser.open(url("/article"), -1, -1, -1, false);
        CitedText cited = browser.normalizeCitations("Tides are predictable【0†L12-L13】 and strong【5†L1】.");
        String domain = server.getHostName() + ":" + server.getPort();
        assertEquals(
                "Tides are predictable ([" + domain + "](" + url("/article") + "))  and strong【5†L1】.", cited.text());
        assertEquals(1, cited.citations().size());
        Citation c = cited.citations().get(0);
        assertEquals(0, c.cursor());
        assertEquals(12, c.lineStart());
        assertEquals(13, c.lineEnd());
        assertEquals(url("/article"), c.url());
        assertEquals(
                " ([" + domain + "](" + url("/article") + ")) ", cited.text().substring(c.start(), c.end()));
    }
}
