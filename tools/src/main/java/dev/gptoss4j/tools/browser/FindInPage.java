package dev.gptoss4j.tools.browser;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code browser.find} as gpt-oss does it: a case-insensitive substring search over the page's wrapped lines with
 * link markup stripped, at most 50 matches, each shown as {@code # 【i†match at Ln】} and the 4 lines from there; a
 * match's lines are not searched again. The result is itself a page whose link {@code i} opens the searched page
 * scrolled to the match.
 */
final class FindInPage {

    static final int MAX_RESULTS = 50;
    static final int SHOWN_LINES = 4;

    private static final Pattern PARTIAL_INITIAL_LINK = Pattern.compile("^[^【】]*】");
    private static final Pattern PARTIAL_FINAL_LINK = Pattern.compile("【\\d*(?:†([^†】]*)(?:†[^†】]*)?)?$");
    private static final Pattern LINK = Pattern.compile("【\\d+†([^†】]+)(?:†[^†】]+)?】");

    private FindInPage() {}

    static Page find(String pattern, Page page) {
        String needle = pattern.toLowerCase(Locale.ROOT);
        String[] lines =
                stripLinks(String.join("\n", TextWrap.wrapLines(page.text()))).split("\n", -1);
        List<String> chunks = new ArrayList<>();
        Map<String, String> links = new LinkedHashMap<>();
        Map<String, Snippet> snippets = new LinkedHashMap<>();
        int line = 0;
        while (line < lines.length) {
            if (!lines[line].toLowerCase(Locale.ROOT).contains(needle)) {
                line++;
                continue;
            }
            int match = chunks.size();
            String snippet = String.join(
                    "\n", java.util.Arrays.asList(lines).subList(line, Math.min(lines.length, line + SHOWN_LINES)));
            chunks.add("# 【" + match + "†match at L" + line + "】\n" + snippet);
            links.put(Integer.toString(match), page.url());
            snippets.put(Integer.toString(match), new Snippet(page.url(), snippet, "#" + match, line));
            if (chunks.size() == MAX_RESULTS) break;
            line += SHOWN_LINES;
        }
        String text =
                chunks.isEmpty() ? "No `find` results for pattern: `" + needle + "`" : String.join("\n\n", chunks);
        return new Page(
                page.url() + "/find?pattern=" + Urls.quote(needle),
                "Find results for text: `" + needle + "` in `" + page.title() + "`",
                text,
                links,
                snippets,
                Page.Kind.FIND_RESULTS);
    }

    /** The text with link markup replaced by the link text, including links cut off at either end. */
    static String stripLinks(String text) {
        String t = PARTIAL_INITIAL_LINK.matcher(text).replaceFirst("");
        t = PARTIAL_FINAL_LINK.matcher(t).replaceAll(m -> m.group(1) == null ? "" : quoteReplacement(m.group(1)));
        return LINK.matcher(t).replaceAll(m -> quoteReplacement(m.group(1)));
    }

    private static String quoteReplacement(String s) {
        return java.util.regex.Matcher.quoteReplacement(s);
    }
}
