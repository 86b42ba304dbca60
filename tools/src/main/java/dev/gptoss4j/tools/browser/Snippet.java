package dev.gptoss4j.tools.browser;

/**
 * The passage a search or find result points at.
 *
 * @param url       the page it is on
 * @param text      the passage
 * @param title     a label for it
 * @param lineIndex the wrapped line it starts on, or {@code null} when unknown (search results)
 */
public record Snippet(String url, String text, String title, Integer lineIndex) {}
