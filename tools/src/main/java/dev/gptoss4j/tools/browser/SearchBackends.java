package dev.gptoss4j.tools.browser;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** Search backends from configuration, for command-line apps. */
public final class SearchBackends {

    /** Which API: {@code brave} or {@code searxng}. */
    public static final String API = "GPTOSS_SEARCH_API";
    /** The API's endpoint URL (Brave's public one by default; required for SearXNG). */
    public static final String URL = "GPTOSS_SEARCH_URL";
    /** The API key (required for Brave). */
    public static final String KEY = "GPTOSS_SEARCH_KEY";

    private SearchBackends() {}

    /**
     * The backend the environment describes: {@code GPTOSS_SEARCH_API} names it ({@code brave} when a key is set,
     * else {@code searxng}); {@code GPTOSS_SEARCH_URL} and {@code GPTOSS_SEARCH_KEY} configure it.
     *
     * @throws IllegalArgumentException naming the missing or wrong variable
     */
    public static SearchBackend fromEnvironment(Map<String, String> env) {
        String key = blankToNull(env.get(KEY));
        String url = blankToNull(env.get(URL));
        String api = blankToNull(env.get(API));
        if (api == null) {
            if (key == null && url == null) {
                throw new IllegalArgumentException("the browser needs a search API: set " + URL + " (a SearXNG "
                        + "search URL) or " + KEY + " (a Brave Search key), and " + API + "=brave|searxng");
            }
            api = key != null ? "brave" : "searxng";
        }
        Duration timeout = Duration.ofSeconds(20);
        return switch (api.toLowerCase(Locale.ROOT)) {
            case "brave" -> {
                if (key == null) throw new IllegalArgumentException("Brave Search needs " + KEY);
                yield new BraveSearchBackend(url == null ? BraveSearchBackend.DEFAULT_ENDPOINT : url, key, timeout);
            }
            case "searxng" -> {
                if (url == null) {
                    throw new IllegalArgumentException("SearXNG needs " + URL + " (like http://localhost:8888/search)");
                }
                yield new SearxngSearchBackend(url, key, timeout);
            }
            default -> throw new IllegalArgumentException(API + " must be brave or searxng, got '" + api + "'");
        };
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
