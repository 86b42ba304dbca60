package dev.gptoss4j.tools.browser;

import dev.gptoss4j.engine.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Which lines of a page one browsing display shows, and how the display reads. As in gpt-oss: without an explicit
 * {@code num_lines} the window holds as many line-numbered lines as fit in {@code viewTokens} o200k tokens (the
 * line the budget ends in is shown whole); the display is {@code [cursor] title (url)}, a scrollbar line
 * {@code **viewing lines [a - b] of last**}, a blank line, then {@code L{n}: } numbered lines.
 */
final class Viewport {

    /** The longest o200k token is 128 characters, so this many characters per token bound the text to tokenize. */
    private static final int MAX_CHARS_PER_TOKEN = 128;

    private Viewport() {}

    /** One past the last line shown when the view starts at {@code loc}. */
    static int endLine(List<String> lines, int loc, int numLines, int viewTokens) {
        int total = lines.size();
        if (numLines <= 0) {
            String text = joinNumbered(lines, loc, total);
            numLines = total;
            if (text.length() > viewTokens) {
                String head = text.substring(0, Math.min(text.length(), (viewTokens + 1) * MAX_CHARS_PER_TOKEN));
                int[] tokens = Tokenizer.o200kHarmony().encode(head);
                if (tokens.length > viewTokens) {
                    // the text up to the start of token number viewTokens; newlines are single UTF-8 bytes
                    int bytes =
                            Tokenizer.o200kHarmony().decodeBytes(java.util.Arrays.copyOf(tokens, viewTokens)).length;
                    byte[] utf8 = head.getBytes(StandardCharsets.UTF_8);
                    int newlines = 0;
                    for (int i = 0; i < bytes && i < utf8.length; i++) if (utf8[i] == '\n') newlines++;
                    numLines = newlines + 1;
                }
            }
        }
        return (int) Math.min((long) loc + numLines, total);
    }

    static String joinNumbered(List<String> lines, int from, int to) {
        StringBuilder out = new StringBuilder();
        for (int i = from; i < to; i++) {
            if (i > from) out.append('\n');
            out.append('L').append(i).append(": ").append(lines.get(i));
        }
        return out.toString();
    }

    /**
     * The display of {@code page} at {@code cursor} from line {@code loc}.
     *
     * @throws BrowserException when {@code loc} is past the last line
     */
    static String render(int cursor, Page page, int loc, int numLines, int viewTokens) {
        List<String> lines = TextWrap.wrapLines(page.text());
        int total = lines.size();
        if (loc >= total) {
            throw new BrowserException(
                    "Invalid location parameter: `" + loc + "`. Cannot exceed page maximum of " + (total - 1) + ".");
        }
        int end = endLine(lines, loc, numLines, viewTokens);
        StringBuilder out = new StringBuilder();
        out.append('[').append(cursor).append("] ").append(page.title());
        String shownUrl = Urls.truncate(Urls.percentDecode(page.url()), 1024);
        if (!shownUrl.isEmpty()) out.append(" (").append(shownUrl).append(')');
        out.append("\n**viewing lines [")
                .append(loc)
                .append(" - ")
                .append(end - 1)
                .append("] of ")
                .append(total - 1)
                .append("**\n\n");
        out.append(joinNumbered(lines, loc, end));
        return out.toString();
    }
}
