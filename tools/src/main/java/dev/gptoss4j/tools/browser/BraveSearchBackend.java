package dev.gptoss4j.tools.browser;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * Brave Search's Web Search API: {@code GET {endpoint}?q=...&count=n} with the key in
 * {@code X-Subscription-Token}; results are {@code web.results[]} with {@code title}, {@code url} and
 * {@code description} (which may hold {@code <strong>} highlights, stripped here).
 */
public final class BraveSearchBackend implements SearchBackend {

    /** The public endpoint. */
    public static final String DEFAULT_ENDPOINT = "https://api.search.brave.com/res/v1/web/search";
    /** The API returns at most this many results per request. */
    public static final int MAX_COUNT = 20;

    private final HttpUrl endpoint;
    private final String apiKey;
    private final JsonSearchClient client;

    public BraveSearchBackend(String endpoint, String apiKey, Duration timeout) {
        this.endpoint = JsonSearchClient.endpoint("Brave Search", endpoint == null ? DEFAULT_ENDPOINT : endpoint);
        this.apiKey = Objects.requireNonNull(apiKey, "Brave Search needs an API key");
        if (apiKey.isBlank()) throw new IllegalArgumentException("Brave Search needs a non-blank API key");
        this.client = new JsonSearchClient("Brave Search", timeout);
    }

    public BraveSearchBackend(String apiKey) {
        this(DEFAULT_ENDPOINT, apiKey, Duration.ofSeconds(20));
    }

    @Override
    public List<SearchResult> search(String query, int count) {
        HttpUrl url = endpoint.newBuilder()
                .addQueryParameter("q", query)
                .addQueryParameter("count", Integer.toString(Math.max(1, Math.min(count, MAX_COUNT))))
                .build();
        JsonNode root = client.get(url, "X-Subscription-Token", apiKey);
        List<SearchResult> out = new ArrayList<>();
        for (JsonNode r : root.path("web").path("results")) {
            String u = r.path("url").asText("");
            if (u.isEmpty()) continue;
            out.add(new SearchResult(
                    r.path("title").asText(""), u, r.path("description").asText("")));
            if (out.size() == count) break;
        }
        return out;
    }
}
