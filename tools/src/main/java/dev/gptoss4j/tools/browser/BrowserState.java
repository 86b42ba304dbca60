package dev.gptoss4j.tools.browser;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One conversation's browsing history: every display the model was shown gets the next cursor (a search, each
 * opened page, each scroll, each find), as in gpt-oss. Pages fetched before are kept by URL so following a link
 * to them again does not refetch them. Guarded by the owning {@link Browser}.
 */
public final class BrowserState {

    private final List<Page> pages = new ArrayList<>();
    private final Map<String, Page> byUrl = new HashMap<>();

    /** The cursor of the newest page, -1 when nothing was opened yet. */
    public synchronized int currentCursor() {
        return pages.size() - 1;
    }

    /** The pages by cursor. */
    public synchronized List<Page> pages() {
        return List.copyOf(pages);
    }

    synchronized int add(Page page) {
        pages.add(page);
        if (!page.url().isEmpty()) byUrl.put(page.url(), page);
        return pages.size() - 1;
    }

    synchronized void removeLast() {
        if (!pages.isEmpty()) pages.removeLast();
    }

    /** The page at {@code cursor} ({@code -1}: the newest). */
    synchronized Page get(int cursor) {
        if (pages.isEmpty()) throw new BrowserException("No pages to access!");
        if (cursor == -1) return pages.getLast();
        if (cursor < 0 || cursor >= pages.size()) {
            throw new BrowserException("Cursor `" + cursor + "` is out of range. Available cursor indices: [0 - "
                    + (pages.size() - 1) + "].");
        }
        return pages.get(cursor);
    }

    synchronized Page byUrl(String url) {
        return byUrl.get(url);
    }

    synchronized void clear() {
        pages.clear();
        byUrl.clear();
    }
}
