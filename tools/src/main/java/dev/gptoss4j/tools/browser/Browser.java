package dev.gptoss4j.tools.browser;

import dev.gptoss4j.agent.tool.Tool;
import dev.gptoss4j.agent.tool.ToolScope;
import dev.gptoss4j.engine.harmony.ToolNamespaceConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The gpt-oss {@code browser} tool for one conversation: {@code search}, {@code open} and {@code find} over a
 * numbered history of pages (the cursor), shown through a line-numbered viewport, with link ids the model can open
 * and citations ({@code 【cursor†Lx-Ly】}) it can write. Display formats and error texts follow
 * openai/gpt-oss's simple_browser, so the model sees what it was trained on.
 *
 * <pre>{@code
 * Browser browser = Browser.builder().searchBackend(new BraveSearchBackend(key)).build();
 * Agent agent = Agent.builder().backend(backend).tools(browser.tools()).build();
 * }</pre>
 *
 * <p>The history is the conversation's. The {@link #tools()} keep one browser per {@link ToolScope} (a copy of this
 * one with an empty history, dropped when the scope closes), so one set of tools serves many conversations; calls
 * outside any scope use this browser's own history. Called directly, use one {@code Browser} per conversation (or
 * {@link #reset()} between them). Calls are serialized. Failures throw {@link BrowserException}; the tools turn them into results the
 * model reads.
 */
public final class Browser {

    /** How many o200k tokens a display shows when the model gives no {@code num_lines} (gpt-oss: 1024). */
    public static final int DEFAULT_VIEW_TOKENS = 1024;

    private static final Pattern CITATION = Pattern.compile("【(\\d+)†([^†】]+)(?:†[^†】]+)?】");
    private static final Pattern LINES = Pattern.compile("L(\\d+)(?:\\s*-\\s*L?(\\d+))?");

    private final SearchBackend searchBackend;
    private final PageFetcher fetcher;
    private final int viewTokens;
    private final int maxSearchResults;
    private final BrowserState state = new BrowserState();

    private Browser(Builder b) {
        this(
                b.searchBackend,
                b.fetcher != null ? b.fetcher : HttpPageFetcher.builder().build(),
                b.viewTokens,
                b.maxSearchResults);
    }

    private Browser(SearchBackend searchBackend, PageFetcher fetcher, int viewTokens, int maxSearchResults) {
        this.searchBackend = searchBackend;
        this.fetcher = fetcher;
        this.viewTokens = viewTokens;
        this.maxSearchResults = maxSearchResults;
    }

    /** The browser of one conversation: this one's settings, search backend and fetcher, an empty history. */
    Browser forConversation() {
        return new Browser(searchBackend, fetcher, viewTokens, maxSearchResults);
    }

    /**
     * The browser this one's {@link #tools()} use in {@code scope} (made there if they made none yet), or this one
     * for {@code null}: the conversation's history, for {@link #normalizeCitations} after a run in that scope.
     */
    public Browser forScope(ToolScope scope) {
        return scope == null ? this : scope.state(this, this::forConversation);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code browser.search}, {@code browser.open} and {@code browser.find}: in a tool scope they share that
     * conversation's history; outside any, this browser's.
     */
    public List<Tool> tools() {
        return List.of(new BrowserTool(this, "search"), new BrowserTool(this, "open"), new BrowserTool(this, "find"));
    }

    /** The system message's {@code ## browser} section, naming this browser's source. */
    public ToolNamespaceConfig namespaceConfig() {
        ToolNamespaceConfig trained = ToolNamespaceConfig.browser();
        String source = searchBackend == null ? "web" : searchBackend.source();
        if (source.equals("web")) return trained;
        String description = trained.description().replace("sources=web (default: web)", "sources=" + source);
        return ToolNamespaceConfig.of(trained.name(), description, trained.tools());
    }

    public BrowserState state() {
        return state;
    }

    /** Forgets the history, for a new conversation. */
    public synchronized void reset() {
        state.clear();
    }

    /** Searches and shows the results page. */
    public synchronized String search(String query, int topn) {
        if (query == null || query.isBlank()) throw new BrowserException("`query` must not be empty.");
        if (searchBackend == null) {
            throw new BrowserException("Error during search for `" + query + "`: no search backend is configured; "
                    + "open URLs directly instead.");
        }
        int count = Math.max(1, Math.min(topn <= 0 ? 10 : topn, maxSearchResults));
        List<SearchResult> results;
        try {
            results = searchBackend.search(query, count);
        } catch (RuntimeException e) {
            throw new BrowserException("Error during search for `" + query + "`: " + message(e), e);
        }
        state.add(searchResultsPage(query, results));
        return show(0, -1);
    }

    /**
     * Opens a link, a URL, or scrolls.
     *
     * @param id         a link id on the page at {@code cursor} (-1: stay on that page and scroll), or a URL string
     * @param cursor     the page the link id refers to (-1: the newest)
     * @param loc        the first line to show (-1: the top, or the passage a search or find result points at)
     * @param numLines   how many lines (-1: as many as fit the token budget)
     * @param viewSource show the page's raw source
     */
    public synchronized String open(Object id, int cursor, int loc, int numLines, boolean viewSource) {
        Page current = null;
        Snippet snippet = null;
        boolean stay = false;
        boolean direct = false;
        String url;
        if (id instanceof String s) {
            url = absolute(s);
            direct = true;
        } else {
            int link = id == null ? -1 : ((Number) id).intValue();
            current = state.get(cursor);
            if (link >= 0) {
                url = current.links().get(Integer.toString(link));
                if (url == null) throw new BrowserException("Invalid link id `" + link + "`.");
                if (current.snippets() != null) snippet = current.snippets().get(Integer.toString(link));
            } else {
                stay = !viewSource;
                url = current.url();
            }
        }
        Page page = stay ? current : load(url, direct, viewSource);
        state.add(page);
        if (loc < 0) {
            Integer line = snippet == null ? null : snippet.lineIndex();
            loc = line == null ? 0 : line > 4 ? line - 4 : line;
        }
        return show(loc, numLines);
    }

    /** Finds {@code pattern} (case-insensitively) in the page at {@code cursor} and shows the matches. */
    public synchronized String find(String pattern, int cursor) {
        if (pattern == null || pattern.isEmpty()) throw new BrowserException("`pattern` must not be empty.");
        Page page = state.get(cursor);
        if (page.kind() != Page.Kind.DOCUMENT) {
            throw new BrowserException("Cannot run `find` on search results page or find results page");
        }
        state.add(FindInPage.find(pattern, page));
        return show(0, -1);
    }

    /**
     * Replaces the citations in a model's answer with {@code  ([domain](url)) } links to the cited pages, as gpt-oss
     * does; citations of unknown cursors or of pages without a URL are left as written.
     */
    public CitedText normalizeCitations(String text) {
        List<Page> pages = state.pages();
        StringBuilder out = new StringBuilder();
        List<Citation> citations = new ArrayList<>();
        Matcher m = CITATION.matcher(text);
        int last = 0;
        while (m.find()) {
            out.append(text, last, m.start());
            last = m.end();
            int cursor;
            try {
                cursor = Integer.parseInt(m.group(1));
            } catch (NumberFormatException tooLong) {
                out.append(m.group());
                continue;
            }
            String url = cursor < pages.size() ? pages.get(cursor).url() : "";
            if (url.isEmpty()) {
                out.append(m.group());
                continue;
            }
            int lineStart = -1, lineEnd = -1;
            Matcher lines = LINES.matcher(m.group(2).strip());
            if (lines.matches()) {
                lineStart = Integer.parseInt(lines.group(1));
                lineEnd = lines.group(2) == null ? lineStart : Integer.parseInt(lines.group(2));
            }
            String domain = Urls.domain(url);
            if (domain.isEmpty()) domain = url;
            String replacement = " ([" + domain + "](" + url + ")) ";
            citations.add(new Citation(
                    out.length(), out.length() + replacement.length(), cursor, lineStart, lineEnd, url, domain));
            out.append(replacement);
        }
        out.append(text.substring(last));
        return new CitedText(out.toString(), citations);
    }

    private String show(int loc, int numLines) {
        int cursor = state.currentCursor();
        try {
            return Viewport.render(cursor, state.get(-1), loc, numLines, viewTokens);
        } catch (BrowserException e) {
            state.removeLast(); // a display that could not be shown takes no cursor
            throw e;
        }
    }

    private Page load(String url, boolean direct, boolean viewSourceAsked) {
        boolean viewSource = viewSourceAsked || url.startsWith("view-source:");
        String target = url.startsWith("view-source:") ? url.substring("view-source:".length()) : url;
        if (!direct && !viewSource) {
            Page cached = state.byUrl(target);
            if (cached != null) return cached;
        }
        try {
            return fetcher.fetch(target, viewSource);
        } catch (RuntimeException e) {
            throw new BrowserException("Error fetching URL `" + Urls.truncate(target, 1024) + "`: " + message(e), e);
        }
    }

    /** The results page gpt-oss builds: an HTML list of linked titles and summaries, rendered like any page. */
    private static Page searchResultsPage(String query, List<SearchResult> results) {
        Document doc = Document.createShell("");
        Element body = doc.body();
        body.appendElement("h1").text("Search Results");
        Element list = body.appendElement("ul");
        Map<String, Snippet> snippets = new LinkedHashMap<>();
        for (SearchResult r : results) {
            Element item = list.appendElement("li");
            String title =
                    r.title().isBlank() ? r.url() : Jsoup.parse(r.title()).text();
            item.appendElement("a").attr("href", r.url()).text(title);
            String summary = Jsoup.parse(r.snippet()).text(); // APIs put <strong> highlights in summaries
            if (!summary.isBlank()) item.appendText(" " + summary);
        }
        HtmlToText.Result converted = HtmlToText.convert(doc, "");
        converted.links().forEach((id, url) -> {
            for (SearchResult r : results) {
                if (url.equals(Urls.resolve("", r.url()))) {
                    snippets.put(id, new Snippet(url, r.snippet(), r.title(), null));
                    break;
                }
            }
        });
        String text = "\nURL: \n" + converted.text();
        if (results.isEmpty()) text += "\n\nNo results for `" + query + "`.";
        return new Page("", query, text, converted.links(), snippets, Page.Kind.SEARCH_RESULTS);
    }

    /** A URL the model typed: a bare domain gets https. */
    private static String absolute(String url) {
        String u = url.strip();
        return u.contains("://") || u.startsWith("view-source:") ? u : "https://" + u;
    }

    private static String message(RuntimeException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return Urls.truncate(m, 1024);
    }

    public static final class Builder {
        private SearchBackend searchBackend;
        private PageFetcher fetcher;
        private int viewTokens = DEFAULT_VIEW_TOKENS;
        private int maxSearchResults = 20;

        private Builder() {}

        /** Where searches go; without one, {@code search} tells the model to open URLs directly. */
        public Builder searchBackend(SearchBackend backend) {
            this.searchBackend = backend;
            return this;
        }

        /** How pages are fetched; a guarded {@link HttpPageFetcher} with default limits if not given. */
        public Builder pageFetcher(PageFetcher fetcher) {
            this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
            return this;
        }

        /** The token budget of a display without {@code num_lines}. */
        public Builder viewTokens(int viewTokens) {
            if (viewTokens < 16) throw new IllegalArgumentException("view tokens must be >= 16, got " + viewTokens);
            this.viewTokens = viewTokens;
            return this;
        }

        /** The most results one search shows, whatever {@code topn} the model asks for. */
        public Builder maxSearchResults(int max) {
            if (max < 1) throw new IllegalArgumentException("max search results must be positive, got " + max);
            this.maxSearchResults = max;
            return this;
        }

        public Browser build() {
            return new Browser(this);
        }
    }
}
