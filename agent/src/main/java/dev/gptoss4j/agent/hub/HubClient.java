package dev.gptoss4j.agent.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** The few Hub HTTP calls a download needs, with the Hub's errors turned into one-line {@link HubException}s. */
final class HubClient {

    private static final int MAX_RELATIVE_REDIRECTS = 5;

    private final HubConfig config;
    private final HttpUrl endpoint;
    private final OkHttpClient http;      // follows redirects (downloads go to a CDN)
    private final OkHttpClient noRedirect; // HEAD: the Hub's answer itself carries the metadata

    HubClient(HubConfig config, OkHttpClient base) {
        this.config = config;
        this.endpoint = HttpUrl.parse(config.endpoint());
        if (endpoint == null) {
            throw new IllegalArgumentException("HF_ENDPOINT is not an http(s) URL: " + config.endpoint());
        }
        this.http = base;
        this.noRedirect = base.newBuilder().followRedirects(false).followSslRedirects(false).build();
    }

    static OkHttpClient defaultHttp() {
        return new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(60))
                .build();
    }

    /** {@code GET /api/models/{repo}/revision/{revision}}: the commit and the file list. */
    RevisionInfo revision(RepoId id) {
        HttpUrl url = endpoint.newBuilder().addPathSegment("api").addPathSegment("models")
                .addPathSegments(id.repo()).addPathSegment("revision").addPathSegment(id.revision()).build();
        try (Response r = call(http, request(url).get().build())) {
            if (!r.isSuccessful()) throw error(r, id, null);
            JsonNode json;
            try {
                json = new ObjectMapper().readTree(r.body().byteStream());
            } catch (IOException e) {
                throw new HubException(HubException.Reason.PROTOCOL, id + ": unreadable answer from " + url
                        + " (" + e.getMessage() + ")", e);
            }
            String sha = json.path("sha").asText("");
            if (!sha.matches("[0-9a-f]{40}")) {
                throw new HubException(HubException.Reason.PROTOCOL, id + ": " + url
                        + " gave no commit hash ('sha' field)");
            }
            List<String> files = new ArrayList<>();
            for (JsonNode s : json.path("siblings")) {
                String name = s.path("rfilename").asText("");
                if (!name.isEmpty()) files.add(name);
            }
            return new RevisionInfo(sha, files);
        }
    }

    /** {@code HEAD /{repo}/resolve/{commit}/{file}}, following only same-site (renamed repo) redirects. */
    FileMetadata metadata(RepoId id, String commit, String file) {
        HttpUrl url = resolveUrl(id, commit, file);
        for (int hop = 0; ; hop++) {
            try (Response r = call(noRedirect, request(url).head().build())) {
                if (r.isRedirect()) {
                    String location = r.header("Location");
                    HttpUrl next = location == null ? null : url.resolve(location);
                    boolean relative = location != null && !location.contains("://");
                    if (relative && next != null && hop < MAX_RELATIVE_REDIRECTS) {
                        url = next;
                        continue;
                    }
                    // A redirect to the CDN: the Hub's own headers on it describe the file.
                } else if (!r.isSuccessful()) {
                    throw error(r, id, file);
                }
                String repoCommit = r.header("X-Repo-Commit");
                String etag = normalizeEtag(r.header("X-Linked-Etag") != null ? r.header("X-Linked-Etag") : r.header("ETag"));
                if (repoCommit == null || etag == null || etag.isEmpty()) {
                    throw new HubException(HubException.Reason.PROTOCOL, id + ": " + url + " did not say which "
                            + (repoCommit == null ? "commit it is (X-Repo-Commit)" : "version it is (ETag)")
                            + "; is HF_ENDPOINT a Hugging Face Hub?");
                }
                if (!etag.matches("[A-Za-z0-9._\\-]{1,128}")) {
                    throw new HubException(HubException.Reason.PROTOCOL, id + ": unusable ETag '" + etag + "' for " + file);
                }
                String size = r.header("X-Linked-Size") != null ? r.header("X-Linked-Size") : r.header("Content-Length");
                long n = -1;
                try {
                    if (size != null) n = Long.parseLong(size.strip());
                } catch (NumberFormatException e) {
                    n = -1;
                }
                return new FileMetadata(repoCommit.strip(), etag, n);
            }
        }
    }

    /** Starts {@code GET} of a file from byte {@code from}; the caller reads and closes the response. */
    Response download(RepoId id, String commit, String file, long from) {
        Request.Builder b = request(resolveUrl(id, commit, file)).get();
        if (from > 0) b.header("Range", "bytes=" + from + "-");
        Response r = call(http, b.build());
        if (r.isSuccessful() || r.code() == 416) return r;
        try (r) {
            throw error(r, id, file);
        }
    }

    HttpUrl resolveUrl(RepoId id, String commit, String file) {
        return endpoint.newBuilder().addPathSegments(id.repo()).addPathSegment("resolve").addPathSegment(commit)
                .addPathSegments(file).build();
    }

    private Request.Builder request(HttpUrl url) {
        Request.Builder b = new Request.Builder().url(url)
                .header("User-Agent", "gptoss4j/" + version())
                // the sizes and hashes are those of the bytes as stored; no transparent compression
                .header("Accept-Encoding", "identity");
        // OkHttp drops Authorization itself when a redirect leaves for another host (the CDN).
        if (config.token() != null) b.header("Authorization", "Bearer " + config.token());
        return b;
    }

    private Response call(OkHttpClient client, Request request) {
        try {
            return client.newCall(request).execute();
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    HubException unreachable(IOException e) {
        boolean offline = e instanceof UnknownHostException || e instanceof ConnectException
                || e instanceof NoRouteToHostException
                || (e instanceof SocketTimeoutException && String.valueOf(e.getMessage()).contains("connect"));
        if (offline) {
            return new HubException(HubException.Reason.OFFLINE, "cannot reach " + config.endpoint() + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "") + ")", e);
        }
        String what = e instanceof InterruptedIOException ? "timed out" : "failed";
        return new HubException(HubException.Reason.INTERRUPTED, "request to " + config.endpoint() + " " + what
                + " (" + e + ")", e);
    }

    private HubException error(Response r, RepoId id, String file) {
        String code = r.header("X-Error-Code", "");
        String serverMessage = r.header("X-Error-Message", "");
        String detail = serverMessage.isEmpty() ? "" : " (" + serverMessage + ")";
        String where = config.endpoint() + "/" + id.repo();
        switch (r.code()) {
            case 401 -> {
                String ask = config.token() == null
                        ? "it may be private or gated: set HF_TOKEN to a Hugging Face access token"
                        : "the token from HF_TOKEN (or $HF_HOME/token) was rejected or has no access to it";
                return new HubException(HubException.Reason.UNAUTHORIZED, "repository " + id.repo()
                        + " not found or not accessible at " + config.endpoint() + " (HTTP 401): " + ask + detail);
            }
            case 403 -> {
                String msg = code.equals("GatedRepo")
                        ? id.repo() + " is a gated repository: accept its terms at " + where
                                + " with the account of your HF_TOKEN"
                        : "access to " + id.repo() + " denied (HTTP 403)"
                                + (config.token() == null ? ": set HF_TOKEN to an access token" : "");
                return new HubException(HubException.Reason.FORBIDDEN, msg + detail);
            }
            case 404 -> {
                String msg = switch (code) {
                    case "RevisionNotFound" -> "revision '" + id.revision() + "' not found in " + id.repo();
                    case "EntryNotFound" -> "file " + file + " not found in " + id;
                    default -> file != null && code.isEmpty()
                            ? "file " + file + " not found in " + id + " (HTTP 404)"
                            : "repository " + id.repo() + " not found at " + config.endpoint();
                };
                return new HubException(HubException.Reason.NOT_FOUND, msg + detail);
            }
            default -> {
                return new HubException(HubException.Reason.PROTOCOL, r.request().method().toLowerCase(Locale.ROOT)
                        + " " + r.request().url() + " failed: HTTP " + r.code() + detail);
            }
        }
    }

    /** {@code W/"abc"} or {@code "abc"} to {@code abc}, as huggingface_hub names blobs. */
    static String normalizeEtag(String etag) {
        if (etag == null) return null;
        String e = etag.strip();
        if (e.startsWith("W/")) e = e.substring(2);
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) e = e.substring(1, e.length() - 1);
        return e;
    }

    private static String version() {
        String v = HubClient.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}
