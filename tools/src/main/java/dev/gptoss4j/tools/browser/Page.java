package dev.gptoss4j.tools.browser;

import java.util.Map;
import java.util.Objects;

/**
 * One page in the browser's history: a fetched document, a search results page or a find results page.
 *
 * @param url      where it came from; empty for search results (as in gpt-oss, whose result pages have no URL)
 * @param title    shown in the display's first line
 * @param text     the page as text; link {@code n} appears in it as {@code 【n†text†domain】}
 * @param links    link id to absolute URL
 * @param snippets for search and find results: link id to the passage it points at (opening the link scrolls to
 *                 it); {@code null} for documents
 * @param kind     what sort of page it is
 */
public record Page(
        String url, String title, String text, Map<String, String> links, Map<String, Snippet> snippets, Kind kind) {

    public enum Kind {
        DOCUMENT,
        SEARCH_RESULTS,
        FIND_RESULTS
    }

    public Page {
        Objects.requireNonNull(url, "url");
        title = title == null ? "" : title;
        text = text == null ? "" : text;
        links = links == null ? Map.of() : Map.copyOf(links);
        snippets = snippets == null ? null : Map.copyOf(snippets);
        Objects.requireNonNull(kind, "kind");
    }

    /** A document page. */
    public static Page document(String url, String title, String text, Map<String, String> links) {
        return new Page(url, title, text, links, null, Kind.DOCUMENT);
    }
}
