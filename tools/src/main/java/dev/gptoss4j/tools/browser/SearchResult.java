package dev.gptoss4j.tools.browser;

import java.util.Objects;

/**
 * One hit of a web search.
 *
 * @param title   the page title (may be empty)
 * @param url     absolute http(s) URL
 * @param snippet a short summary or excerpt, plain text (may be empty)
 */
public record SearchResult(String title, String url, String snippet) {

    public SearchResult {
        Objects.requireNonNull(url, "a search result needs a url");
        title = title == null ? "" : title;
        snippet = snippet == null ? "" : snippet;
    }
}
