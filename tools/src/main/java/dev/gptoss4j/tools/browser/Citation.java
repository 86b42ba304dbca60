package dev.gptoss4j.tools.browser;

/**
 * A citation the model wrote, {@code 【cursor†Lstart-Lend】}, resolved against the browser's history.
 *
 * @param start     where the citation starts in the text it was found in (in the normalized text, for
 *                  {@link CitedText})
 * @param end       one past where it ends
 * @param cursor    the page cited
 * @param lineStart the first line cited, or -1 when the citation names no lines
 * @param lineEnd   the last line cited (equal to lineStart for {@code 【6†L9】}), or -1
 * @param url       the cited page's URL, or {@code null} when the cursor is unknown or the page has none
 * @param title     the URL's domain, the label shown for the citation (empty without a URL)
 */
public record Citation(int start, int end, int cursor, int lineStart, int lineEnd, String url, String title) {}
