package dev.gptoss4j.tools.browser;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;

/**
 * HTML to the markdown-like text the gpt-oss browser shows: {@code #} headings, {@code   * } and {@code   1. } list
 * items, {@code | a | b |} table rows, {@code [Image n: alt]} for images, and every link as
 * {@code 【id†text†domain】} (the domain left out for links within the page's own site), ids numbered in document
 * order, one id per distinct URL. The brackets {@code 【】} in page text become {@code 〖〗} so that only real links
 * look like links.
 */
final class HtmlToText {

    /** The converted page. */
    record Result(String title, String text, Map<String, String> links) {}

    private static final Set<String> SKIPPED = Set.of(
            "script",
            "style",
            "noscript",
            "template",
            "head",
            "math",
            "svg",
            "iframe",
            "object",
            "embed",
            "canvas",
            "select",
            "input",
            "button",
            "textarea",
            "map",
            "audio",
            "video");
    private static final Set<String> PARAGRAPHS = Set.of(
            "p",
            "ul",
            "ol",
            "dl",
            "blockquote",
            "pre",
            "table",
            "figure",
            "form",
            "fieldset",
            "details",
            "address",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "hr");
    private static final Set<String> BLOCKS = Set.of(
            "div",
            "section",
            "article",
            "main",
            "header",
            "footer",
            "nav",
            "aside",
            "li",
            "dt",
            "dd",
            "figcaption",
            "caption",
            "summary",
            "tr",
            "body",
            "html",
            "hgroup",
            "center",
            "dialog",
            "legend",
            "label",
            "option");
    private static final Pattern WORD = Pattern.compile("[\\w\\-]+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern EMPTY_LINE = Pattern.compile("(?m)^[ \\t\\x0b\\x0c\\r\\u00a0]+$");
    private static final Pattern EXTRA_NEWLINES = Pattern.compile("\\n(\\s*\\n)+");

    private final String pageUrl;
    private final String pageDomain;
    private final StringBuilder out = new StringBuilder();
    private final Map<String, String> idsByUrl = new LinkedHashMap<>();
    private final Deque<String> quotePrefixes = new ArrayDeque<>();
    private int pendingBreak;
    private boolean pendingSpace;
    private boolean atLineStart = true;
    private String pendingMarker;
    private int listDepth;
    private int preDepth;
    private int cellDepth;
    private int images;

    private HtmlToText(String pageUrl) {
        this.pageUrl = pageUrl == null ? "" : pageUrl;
        this.pageDomain = Urls.domain(this.pageUrl);
    }

    static Result convert(String html, String pageUrl) {
        return convert(Jsoup.parse(html, pageUrl == null ? "" : pageUrl), pageUrl);
    }

    static Result convert(Document doc, String pageUrl) {
        HtmlToText c = new HtmlToText(pageUrl);
        c.children(doc.body() != null ? doc.body() : doc);
        String title = doc.title().strip();
        if (title.isEmpty()) title = c.pageDomain;
        return new Result(clean(title), tidy(c.out.toString()), invert(c.idsByUrl));
    }

    /** Characters that would be confused with the browser's own markup, replaced as gpt-oss does. */
    static String clean(String s) {
        if (s.indexOf('【') < 0 && s.indexOf('】') < 0 && s.indexOf('◼') < 0 && s.indexOf('\u200b') < 0) return s;
        return s.replace('【', '〖').replace('】', '〗').replace('◼', '◾').replace("\u200b", "");
    }

    private static String tidy(String text) {
        String t = EMPTY_LINE.matcher(text).replaceAll("");
        t = EXTRA_NEWLINES.matcher(t).replaceAll("\n\n");
        return t.strip();
    }

    private static Map<String, String> invert(Map<String, String> idsByUrl) {
        Map<String, String> links = new LinkedHashMap<>();
        idsByUrl.forEach((url, id) -> links.put(id, url));
        return links;
    }

    private void children(Node parent) {
        for (Node child : parent.childNodes()) node(child);
    }

    private void node(Node n) {
        if (n instanceof TextNode t) {
            if (preDepth > 0) preformatted(clean(t.getWholeText()));
            else text(clean(t.getWholeText()));
            return;
        }
        if (!(n instanceof Element e)) return;
        String tag = e.normalName();
        if (SKIPPED.contains(tag) || e.hasAttr("hidden")) return;
        switch (tag) {
            case "br" -> {
                if (cellDepth > 0) pendingSpace = true;
                else {
                    flush();
                    out.append('\n');
                    atLineStart = true;
                    pendingSpace = false;
                }
            }
            case "h1", "h2", "h3", "h4", "h5", "h6" -> {
                if (e.text().isBlank() && e.selectFirst("img") == null) return;
                block(2);
                literal("#".repeat(tag.charAt(1) - '0'));
                pendingSpace = true;
                children(e);
                block(2);
            }
            case "ul", "ol" -> {
                block(listDepth == 0 ? 2 : 1);
                listDepth++;
                int number = tag.equals("ol") ? parseStart(e) : 0;
                for (Node c : e.childNodes()) {
                    if (c instanceof Element li && li.normalName().equals("li")) {
                        block(1);
                        pendingMarker = "  ".repeat(listDepth) + (tag.equals("ol") ? (number++) + ". " : "* ");
                        children(li);
                        block(1);
                    } else {
                        node(c);
                    }
                }
                listDepth--;
                block(listDepth == 0 ? 2 : 1);
            }
            case "blockquote" -> {
                block(2);
                quotePrefixes.push("> ");
                children(e);
                block(2);
                quotePrefixes.pop();
            }
            case "pre" -> {
                block(2);
                preDepth++;
                children(e);
                preDepth--;
                block(2);
            }
            case "table" -> table(e);
            case "hr" -> {
                block(2);
                literal("* * *");
                block(2);
            }
            case "img" -> {
                String alt = e.hasAttr("alt") ? e.attr("alt") : e.attr("title");
                text(alt.isBlank() ? "[Image " + images + "]" : "[Image " + images + ": " + clean(alt.strip()) + "]");
                images++;
            }
            case "a" -> link(e);
            case "sup", "sub" -> {
                String inner = e.wholeText();
                if (e.children().isEmpty() && WORD.matcher(inner).matches()) {
                    text((tag.equals("sup") ? "^{" : "_{") + inner + "}");
                } else {
                    children(e);
                }
            }
            default -> {
                int breaks = PARAGRAPHS.contains(tag) ? 2 : BLOCKS.contains(tag) ? 1 : 0;
                block(breaks);
                children(e);
                block(breaks);
            }
        }
    }

    private void link(Element a) {
        String href = a.attr("href").strip();
        String lower = href.toLowerCase(java.util.Locale.ROOT);
        if (!a.hasAttr("href") || lower.startsWith("mailto:") || lower.startsWith("javascript:")) {
            children(a);
            return;
        }
        String text = clean(a.text().strip()).replace('†', '‡');
        if (text.isEmpty()) { // an image link: show the image, there is no text to click
            children(a);
            return;
        }
        if (href.startsWith("#")) {
            text(text);
            return;
        }
        String url = Urls.resolve(pageUrl, href);
        String domain = url == null ? "" : Urls.domain(url);
        if (domain.isEmpty()) {
            children(a);
            return;
        }
        String id = idsByUrl.computeIfAbsent(url, u -> Integer.toString(idsByUrl.size()));
        text(domain.equals(pageDomain) ? "【" + id + "†" + text + "】" : "【" + id + "†" + text + "†" + domain + "】");
    }

    private void table(Element table) {
        block(2);
        Element caption = table.selectFirst("> caption");
        if (caption != null) {
            children(caption);
            block(1);
        }
        boolean first = true;
        for (Element row : table.select("> tr, > thead > tr, > tbody > tr, > tfoot > tr")) {
            block(1);
            literal("|");
            int cells = 0;
            for (Element cell : row.children()) {
                if (!cell.normalName().equals("td") && !cell.normalName().equals("th")) continue;
                pendingSpace = true;
                cellDepth++;
                children(cell);
                cellDepth--;
                pendingSpace = true;
                literal("|");
                cells++;
            }
            if (first && cells > 0 && row.selectFirst("> th") != null) {
                block(1);
                literal("|" + " --- |".repeat(cells));
            }
            first = false;
        }
        block(2);
    }

    private static int parseStart(Element ol) {
        try {
            return ol.hasAttr("start") ? Integer.parseInt(ol.attr("start").strip()) : 1;
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** Asks for {@code n} line breaks before the next text (1: new line, 2: blank line); inside table cells, a space. */
    private void block(int n) {
        if (n == 0) return;
        if (cellDepth > 0) {
            pendingSpace = true;
            return;
        }
        if (out.isEmpty()) return;
        pendingBreak = Math.max(pendingBreak, n);
        pendingSpace = false;
    }

    /** Inline text: whitespace runs become one space, none at the start of a line. */
    private void text(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || cp == 0xa0) {
                pendingSpace = true;
                continue;
            }
            flush();
            if (pendingSpace && !atLineStart) out.append(' ');
            pendingSpace = false;
            out.appendCodePoint(cp);
        }
    }

    /** Text written as it is (markers, separators), after pending breaks and spaces. */
    private void literal(String s) {
        flush();
        if (pendingSpace && !atLineStart) out.append(' ');
        pendingSpace = false;
        out.append(s);
    }

    private void preformatted(String s) {
        String[] lines = s.replace("\r\n", "\n").split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                out.append('\n');
                atLineStart = true;
            }
            if (!lines[i].isEmpty()) {
                flush();
                out.append(lines[i]);
            }
        }
    }

    private void flush() {
        if (pendingBreak > 0) {
            int have = 0;
            for (int i = out.length() - 1; i >= 0 && out.charAt(i) == '\n' && have < pendingBreak; i--) have++;
            out.repeat('\n', pendingBreak - have);
            atLineStart = true;
            pendingBreak = 0;
        }
        if (atLineStart) {
            for (var it = quotePrefixes.descendingIterator(); it.hasNext(); ) out.append(it.next());
            if (pendingMarker != null) {
                out.append(pendingMarker);
                pendingMarker = null;
            }
            atLineStart = false;
            pendingSpace = false;
        }
    }
}
