package dev.gptoss4j.tools.browser;

import java.util.List;

/**
 * Where {@code browser.search} gets its results: a web search API. Implementations throw
 * {@link BrowserException} (or any unchecked exception) with a message the model can read.
 */
public interface SearchBackend {

    /** What the system message names as the browser's sources ({@code sources=web}). */
    default String source() {
        return "web";
    }

    /** Up to {@code count} results for {@code query}, best first. */
    List<SearchResult> search(String query, int count);
}
