package dev.gptoss4j.tools.browser;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Line wrapping as the gpt-oss browser does it: Python's {@code textwrap.wrap(line, width=80,
 * replace_whitespace=False, drop_whitespace=False)} per line. Line numbers the model cites ({@code L12}) are indexes
 * into these wrapped lines, so the split points matter: words break at whitespace and after hyphens inside
 * hyphenated words, whitespace is kept at the line ends, over-long words are cut. Widths count code points.
 */
final class TextWrap {

    static final int WIDTH = 80;

    // textwrap's wordsep_re, the same alternatives: whitespace runs, em-dashes between words, words that may
    // end after a hyphen when letters are on both sides.
    private static final String WS = "[\\t\\n\\x0b\\x0c\\r ]";
    private static final String NWS = "[^\\t\\n\\x0b\\x0c\\r ]";
    private static final String WP = "[\\w!\"'&.,?]";
    private static final String LT = "[^\\d\\W]";
    private static final Pattern WORD_SEPARATOR = Pattern.compile(
            WS + "+"
                    + "|(?<=" + WP + ")-{2,}(?=\\w)"
                    + "|" + NWS + "+?(?:"
                    + "-(?:(?<=" + LT + "{2}-)|(?<=" + LT + "-" + LT + "-))(?=" + LT + "-?" + LT + ")"
                    + "|(?=" + WS + "|\\z)"
                    + "|(?<=" + WP + ")(?=-{2,}\\w))",
            Pattern.UNICODE_CHARACTER_CLASS);

    private TextWrap() {}

    /** The page's lines as the model sees them: each source line wrapped, empty lines kept. */
    static List<String> wrapLines(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) out.add("");
            else out.addAll(wrap(line, WIDTH));
        }
        return out;
    }

    static List<String> wrap(String line, int width) {
        List<String> chunks = chunks(expandTabs(line));
        List<String> lines = new ArrayList<>();
        int next = 0;
        while (next < chunks.size()) {
            StringBuilder current = new StringBuilder();
            int length = 0;
            while (next < chunks.size() && length + len(chunks.get(next)) <= width) {
                current.append(chunks.get(next));
                length += len(chunks.get(next));
                next++;
            }
            if (next < chunks.size() && len(chunks.get(next)) > width) {
                // a word longer than a whole line: fill this line with its head, preferably up to a hyphen
                String chunk = chunks.get(next);
                int spaceLeft = Math.max(width - length, width < 1 ? 1 : 0);
                int end = spaceLeft;
                if (len(chunk) > spaceLeft) {
                    String head = cut(chunk, spaceLeft);
                    int hyphen = head.lastIndexOf('-');
                    if (hyphen > 0 && !head.substring(0, hyphen).chars().allMatch(c -> c == '-')) {
                        end = head.codePointCount(0, hyphen) + 1;
                    }
                }
                current.append(cut(chunk, end));
                chunks.set(next, chunk.substring(chunk.offsetByCodePoints(0, Math.min(end, len(chunk)))));
                if (chunks.get(next).isEmpty()) next++;
            }
            if (!current.isEmpty()) lines.add(current.toString());
        }
        return lines;
    }

    private static List<String> chunks(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD_SEPARATOR.matcher(text);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) out.add(text.substring(last, m.start()));
            if (m.end() > m.start()) out.add(m.group());
            last = m.end();
        }
        if (last < text.length()) out.add(text.substring(last));
        return out;
    }

    /** Python's {@code str.expandtabs(8)}: tabs to the next multiple of 8; the column restarts after CR. */
    private static String expandTabs(String s) {
        if (s.indexOf('\t') < 0) return s;
        StringBuilder out = new StringBuilder();
        int column = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\t') {
                int spaces = 8 - column % 8;
                out.repeat(' ', spaces);
                column += spaces;
            } else {
                out.appendCodePoint(cp);
                column = cp == '\r' ? 0 : column + 1;
            }
        }
        return out.toString();
    }

    private static int len(String s) {
        return s.codePointCount(0, s.length());
    }

    private static String cut(String s, int codePoints) {
        return codePoints >= len(s) ? s : s.substring(0, s.offsetByCodePoints(0, codePoints));
    }
}
