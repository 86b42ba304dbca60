package dev.gptoss4j.agent.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.agent.remote.ReadTimeoutInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The few Hub HTTP calls a download needs, with the Hub's errors turned into one-line {@link HubException}s. HTTP is
 * the JDK's client with redirects followed here, not by the client: the token is sent to the Hub only, never to the
 * CDN a download is redirected to.
 */
final class HubClient {

    private static final int MAX_RELATIVE_REDIRECTS = 5;
    private static final int MAX_REDIRECTS = 10;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final HubConfig config;
    private final URI endpoint;
    private final HttpClient http;

    HubClient(HubConfig config, HttpClient http) {
        this.config = config;
        URI uri;
        try {
            uri = URI.create(config.endpoint().replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null
                || uri.getHost() == null
                || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new IllegalArgumentException("HF_ENDPOINT is not an http(s) URL: " + config.endpoint());
        }
        this.endpoint = uri;
        this.http = http;
    }

    /** The client a downloader uses unless given one: it must leave redirects to {@link HubClient}. */
    static HttpClient defaultHttp() {
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A response being read: its status, headers and (read-timed) body; what it answered. */
    record Response(String method, URI url, int code, HttpHeaders headers, InputStream body) implements Closeable {

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String header(String name, String otherwise) {
            return headers.firstValue(name).orElse(otherwise);
        }

        boolean isSuccessful() {
            return code >= 200 && code <= 299;
        }

        boolean isRedirect() {
            return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /** {@code GET /api/models/{repo}/revision/{revision}}: the commit and the file list. */
    RevisionInfo revision(RepoId id) {
        URI url = url(List.of("api", "models"), id.repo(), List.of("revision", id.revision()), "");
        try (Response r = call("GET", url, -1, true)) {
            if (!r.isSuccessful()) throw error(r, id, null);
            JsonNode json;
            try {
                json = new ObjectMapper().readTree(r.body());
            } catch (IOException e) {
                throw new HubException(
                        HubException.Reason.PROTOCOL,
                        id + ": unreadable answer from " + url + " (" + e.getMessage() + ")",
                        e);
            }
            String sha = json.path("sha").asText("");
            if (!sha.matches("[0-9a-f]{40}")) {
                throw new HubException(
                        HubException.Reason.PROTOCOL, id + ": " + url + " gave no commit hash ('sha' field)");
            }
            List<String> files = new ArrayList<>();
            for (JsonNode s : json.path("siblings")) {
                String name = s.path("rfilename").asText("");
                if (!name.isEmpty()) files.add(name);
            }
            return new RevisionInfo(sha, files);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** {@code HEAD /{repo}/resolve/{commit}/{file}}, following only same-site (renamed repo) redirects. */
    FileMetadata metadata(RepoId id, String commit, String file) {
        URI url = resolveUrl(id, commit, file);
        for (int hop = 0; ; hop++) {
            try (Response r = call("HEAD", url, -1, false)) {
                if (r.isRedirect()) {
                    String location = r.header("Location");
                    URI next = location == null ? null : resolve(url, location);
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
                String etag =
                        normalizeEtag(r.header("X-Linked-Etag") != null ? r.header("X-Linked-Etag") : r.header("ETag"));
                if (repoCommit == null || etag == null || etag.isEmpty()) {
                    throw new HubException(
                            HubException.Reason.PROTOCOL,
                            id + ": " + url + " did not say which "
                                    + (repoCommit == null ? "commit it is (X-Repo-Commit)" : "version it is (ETag)")
                                    + "; is HF_ENDPOINT a Hugging Face Hub?");
                }
                if (!etag.matches("[A-Za-z0-9._\\-]{1,128}")) {
                    throw new HubException(
                            HubException.Reason.PROTOCOL, id + ": unusable ETag '" + etag + "' for " + file);
                }
                String size =
                        r.header("X-Linked-Size") != null ? r.header("X-Linked-Size") : r.header("Content-Length");
                long n = -1;
                try {
                    if (size != null) n = Long.parseLong(size.strip());
                } catch (NumberFormatException e) {
                    n = -1;
                }
                return new FileMetadata(repoCommit.strip(), etag, n);
            } catch (IOException e) {
                throw unreachable(e);
            }
        }
    }

    /** Starts {@code GET} of a file from byte {@code from}; the caller reads and closes the response. */
    Response download(RepoId id, String commit, String file, long from) {
        Response r = call("GET", resolveUrl(id, commit, file), from, true);
        if (r.isSuccessful() || r.code() == 416) return r;
        try (r) {
            throw error(r, id, file);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    URI resolveUrl(RepoId id, String commit, String file) {
        return url(List.of(), id.repo(), List.of("resolve", commit), file);
    }

    /**
     * The endpoint's URL with {@code before}, the path {@code repo}, {@code segments} and the path {@code file}:
     * each single segment is percent-encoded whole (a revision {@code refs/pr/1} is one segment, as the Hub wants),
     * each path keeps its slashes.
     */
    private URI url(List<String> before, String repo, List<String> segments, String file) {
        StringBuilder sb = new StringBuilder(endpoint.toString());
        for (String s : before) sb.append('/').append(segment(s));
        for (String s : repo.split("/")) sb.append('/').append(segment(s));
        for (String s : segments) sb.append('/').append(segment(s));
        if (!file.isEmpty()) for (String s : file.split("/")) sb.append('/').append(segment(s));
        return URI.create(sb.toString());
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static URI resolve(URI base, String location) {
        try {
            return base.resolve(location.replace(" ", "%20"));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Sends one request, following redirects when asked (up to {@value #MAX_REDIRECTS}); the token goes only to
     * the Hub's own host, never along a redirect to another (the CDN that serves large files).
     */
    private Response call(String method, URI url, long rangeFrom, boolean followRedirects) {
        URI at = url;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(at)
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .timeout(READ_TIMEOUT)
                    .header("User-Agent", "gptoss4j/" + version())
                    // the sizes and hashes are those of the bytes as stored; no transparent compression
                    .header("Accept-Encoding", "identity");
            if (rangeFrom > 0) b.header("Range", "bytes=" + rangeFrom + "-");
            if (config.token() != null && sameOrigin(at, endpoint)) {
                b.header("Authorization", "Bearer " + config.token());
            }
            HttpResponse<InputStream> r;
            try {
                r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HubException(
                        HubException.Reason.INTERRUPTED, "request to " + config.endpoint() + " was interrupted", e);
            } catch (IOException e) {
                throw unreachable(e);
            }
            Response response = new Response(
                    method,
                    at,
                    r.statusCode(),
                    r.headers(),
                    new ReadTimeoutInputStream(r.body(), READ_TIMEOUT, Long.MAX_VALUE));
            String location = response.header("Location");
            URI next = location == null ? null : resolve(at, location);
            if (!followRedirects || !response.isRedirect() || next == null || hop >= MAX_REDIRECTS) return response;
            try {
                response.close();
            } catch (IOException ignored) {
                // the redirect's own body is of no interest
            }
            at = next;
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme())
                && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
    }

    HubException unreachable(IOException e) {
        boolean offline = e instanceof UnknownHostException
                || e instanceof ConnectException
                || e instanceof NoRouteToHostException
                || e instanceof HttpConnectTimeoutException;
        if (offline) {
            return new HubException(
                    HubException.Reason.OFFLINE,
                    "cannot reach " + config.endpoint() + " (" + e.getClass().getSimpleName()
                            + (e.getMessage() != null ? ": " + e.getMessage() : "") + ")",
                    e);
        }
        String what = e instanceof InterruptedIOException ? "timed out" : "failed";
        return new HubException(
                HubException.Reason.INTERRUPTED, "request to " + config.endpoint() + " " + what + " (" + e + ")", e);
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
                return new HubException(
                        HubException.Reason.UNAUTHORIZED,
                        "repository " + id.repo() + " not found or not accessible at " + config.endpoint()
                                + " (HTTP 401): " + ask + detail);
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
                    default ->
                        file != null && code.isEmpty()
                                ? "file " + file + " not found in " + id + " (HTTP 404)"
                                : "repository " + id.repo() + " not found at " + config.endpoint();
                };
                return new HubException(HubException.Reason.NOT_FOUND, msg + detail);
            }
            default -> {
                return new HubException(
                        HubException.Reason.PROTOCOL,
                        r.method().toLowerCase(Locale.ROOT) + " " + r.url() + " failed: HTTP " + r.code() + detail);
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
