package dev.gptoss4j.tools.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * GET a search API's JSON answer. The search endpoint is the operator's choice, not the model's, so it is not
 * subject to the browser's {@link NetworkPolicy} (a self-hosted SearXNG on localhost is fine).
 */
final class JsonSearchClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_BODY = 300;

    private final String api;
    private final OkHttpClient client;

    JsonSearchClient(String api, Duration timeout) {
        this.api = api;
        this.client = new OkHttpClient.Builder()
                .callTimeout(timeout)
                .readTimeout(timeout)
                .build();
    }

    static HttpUrl endpoint(String api, String url) {
        HttpUrl u = url == null ? null : HttpUrl.parse(url.strip());
        if (u == null) {
            throw new IllegalArgumentException(api + " endpoint must be an http or https URL, got '" + url + "'");
        }
        return u;
    }

    JsonNode get(HttpUrl url, String headerName, String headerValue) {
        Request.Builder r = new Request.Builder()
                .url(url)
                .header("Accept", "application/json")
                .header("User-Agent", "gptoss4j-browser/0.1");
        if (headerName != null && headerValue != null) r.header(headerName, headerValue);
        try (Response response = client.newCall(r.build()).execute()) {
            ResponseBody body = response.body();
            String text = body == null ? "" : body.string();
            if (!response.isSuccessful()) {
                String shown = text.length() > MAX_ERROR_BODY ? text.substring(0, MAX_ERROR_BODY) + "..." : text;
                throw new BrowserException(api + " error " + response.code() + (shown.isBlank() ? "" : ": " + shown));
            }
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new BrowserException(api + " answered with something that is not JSON", e);
            }
        } catch (InterruptedIOException e) {
            throw new BrowserException(api + " did not answer in time", e);
        } catch (IOException e) {
            throw new BrowserException(api + " could not be reached: " + e.getMessage(), e);
        }
    }
}
