package dev.gptoss4j.tools.browser;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;

/**
 * A SearXNG instance's JSON API: {@code GET {endpoint}?q=...&format=json} (the instance must have the json format
 * enabled); results are {@code results[]} with {@code title}, {@code url} and {@code content}. An optional key is
 * sent as a bearer token, for instances behind an authenticating proxy.
 */
public final class SearxngSearchBackend implements SearchBackend {

    private final HttpUrl endpoint;
    private final String apiKey;
    private final JsonSearchClient client;

    /**
     * @param endpoint the instance's search URL, such as {@code http://localhost:8888/search}
     * @param apiKey   sent as {@code Authorization: Bearer}, or {@code null}
     */
    public SearxngSearchBackend(String endpoint, String apiKey, Duration timeout) {
        this.endpoint = JsonSearchClient.endpoint("SearXNG", endpoint);
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
        this.client = new JsonSearchClient("SearXNG", timeout);
    }

    @Override
    public List<SearchResult> search(String query, int count) {
        HttpUrl url = endpoint.newBuilder()
                .addQueryParameter("q", query)
                .addQueryParameter("format", "json")
                .build();
        JsonNode root = client.get(url, "Authorization", apiKey == null ? null : "Bearer " + apiKey);
        List<SearchResult> out = new ArrayList<>();
        for (JsonNode r : root.path("results")) {
            String u = r.path("url").asText("");
            if (u.isEmpty()) continue;
            out.add(new SearchResult(
                    r.path("title").asText(""), u, r.path("content").asText("")));
            if (out.size() == count) break;
        }
        return out;
    }
}
