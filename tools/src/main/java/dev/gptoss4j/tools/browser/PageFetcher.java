package dev.gptoss4j.tools.browser;

/** Loads a page for {@code browser.open}. Throws {@link BrowserException} with a message the model can read. */
public interface PageFetcher {

    /**
     * The page at {@code url} (absolute http or https).
     *
     * @param viewSource show the raw source instead of the rendered text
     */
    Page fetch(String url, boolean viewSource);
}
