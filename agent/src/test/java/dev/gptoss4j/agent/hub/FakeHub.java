package dev.gptoss4j.agent.hub;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;

/**
 * A loopback stand-in for the Hugging Face Hub serving one repository the way huggingface.co does: the revision
 * API, {@code resolve} URLs answering HEAD with X-Repo-Commit / ETag (regular files) or a redirect carrying
 * X-Linked-Etag / X-Linked-Size (LFS files, whose bytes come from a "CDN" path honouring Range).
 */
final class FakeHub extends Dispatcher {

    static final String REPO = "openai/gpt-oss-20b";
    static final String COMMIT = "d666cf3b67006cf8227666739edf25164aaffdeb";
    static final String TAG_COMMIT = "0123456789abcdef0123456789abcdef01234567";

    final Map<String, byte[]> files = new LinkedHashMap<>();
    final Set<String> lfs = new HashSet<>();
    final Map<String, String> tags = new HashMap<>(Map.of("v1", TAG_COMMIT));
    final Map<String, byte[]> corrupt = new HashMap<>();
    final Set<String> cutOnce = Collections.synchronizedSet(new HashSet<>());
    final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
    String requiredToken;
    /** A host name of this server other than the Hub's, for the CDN redirects; {@code null}: the Hub's own. */
    String cdnHost;

    boolean ignoreRange;

    /** A small gpt-oss-shaped repository: HF checkpoint at the top, original/ and metal/ copies, extras. */
    static FakeHub gptOss() {
        FakeHub hub = new FakeHub();
        hub.add(
                "config.json",
                "{\"model_type\":\"gpt_oss\",\"num_hidden_layers\":2}".getBytes(StandardCharsets.UTF_8),
                false);
        hub.add("generation_config.json", "{\"eos_token_id\":[200002,199999]}".getBytes(StandardCharsets.UTF_8), false);
        hub.add(
                "model.safetensors.index.json",
                ("{\"metadata\":{},\"weight_map\":{"
                                + "\"model.embed_tokens.weight\":\"model-00000-of-00002.safetensors\","
                                + "\"lm_head.weight\":\"model-00001-of-00002.safetensors\"}}")
                        .getBytes(StandardCharsets.UTF_8),
                false);
        hub.add("model-00000-of-00002.safetensors", random(300_000, 1), true);
        hub.add("model-00001-of-00002.safetensors", random(200_000, 2), true);
        hub.add("tokenizer.json", random(50_000, 3), true);
        hub.add("tokenizer_config.json", "{\"model_max_length\":131072}".getBytes(StandardCharsets.UTF_8), false);
        hub.add("special_tokens_map.json", "{}".getBytes(StandardCharsets.UTF_8), false);
        hub.add("chat_template.jinja", "{{ messages }}".getBytes(StandardCharsets.UTF_8), false);
        hub.add("README.md", "# gpt-oss-20b".getBytes(StandardCharsets.UTF_8), false);
        hub.add(".gitattributes", "*.safetensors filter=lfs".getBytes(StandardCharsets.UTF_8), false);
        hub.add("original/config.json", "{\"num_hidden_layers\":2}".getBytes(StandardCharsets.UTF_8), false);
        hub.add("original/model.safetensors", random(120_000, 4), true);
        hub.add("metal/model.bin", random(80_000, 5), true);
        return hub;
    }

    void add(String name, byte[] content, boolean isLfs) {
        files.put(name, content);
        if (isLfs) lfs.add(name);
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** The name the cache gives the file's blob: sha256 for LFS files, the git blob id for the others. */
    String etag(String name) {
        byte[] c = files.get(name);
        return lfs.contains(name) ? sha256(c) : gitBlobId(c);
    }

    static String sha256(byte[] c) {
        return hex("SHA-256", null, c);
    }

    static String gitBlobId(byte[] c) {
        return hex("SHA-1", ("blob " + c.length + "\0").getBytes(StandardCharsets.US_ASCII), c);
    }

    private static String hex(String algorithm, byte[] prefix, byte[] c) {
        try {
            MessageDigest d = MessageDigest.getInstance(algorithm);
            if (prefix != null) d.update(prefix);
            return HexFormat.of().formatHex(d.digest(c));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    List<RecordedRequest> requests(String method, String pathPart) {
        synchronized (requests) {
            return requests.stream()
                    .filter(r -> r.getMethod().equals(method) && r.getPath().contains(pathPart))
                    .toList();
        }
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.add(request);
        String path = request.getRequestUrl().encodedPath();
        if (path.startsWith("/cdn/")) return cdn(request, path.substring(5));
        if (requiredToken != null && !("Bearer " + requiredToken).equals(request.getHeader("Authorization"))) {
            return error(401, "RepoNotFound", "Invalid credentials in Authorization header");
        }
        Matcher api =
                Pattern.compile("/api/models/([^/]+/[^/]+)/revision/([^/]+)").matcher(path);
        if (api.matches()) {
            if (!api.group(1).equals(REPO)) return error(404, "RepoNotFound", "Repository not found");
            String commit = commitOf(decode(api.group(2)));
            if (commit == null) return error(404, "RevisionNotFound", "Invalid rev id: " + api.group(2));
            StringBuilder json =
                    new StringBuilder("{\"id\":\"" + REPO + "\",\"sha\":\"" + commit + "\",\"siblings\":[");
            int i = 0;
            for (String f : files.keySet())
                json.append(i++ > 0 ? "," : "")
                        .append("{\"rfilename\":\"")
                        .append(f)
                        .append("\"}");
            json.append("]}");
            return new MockResponse()
                    .setHeader("Content-Type", "application/json")
                    .setBody(json.toString());
        }
        Matcher resolve = Pattern.compile("/([^/]+/[^/]+)/resolve/([^/]+)/(.+)").matcher(path);
        if (resolve.matches()) {
            if (!resolve.group(1).equals(REPO)) return error(404, "RepoNotFound", "Repository not found");
            String commit = commitOf(decode(resolve.group(2)));
            if (commit == null) return error(404, "RevisionNotFound", "Invalid rev id");
            String file = decode(resolve.group(3));
            byte[] content = files.get(file);
            if (content == null) return error(404, "EntryNotFound", "Entry not found");
            if (lfs.contains(file)) {
                String sha = etag(file);
                return new MockResponse()
                        .setResponseCode(302)
                        .setHeader("Location", cdnUrl(request, sha, file))
                        .setHeader("X-Repo-Commit", commit)
                        .setHeader("X-Linked-Etag", "\"" + sha + "\"")
                        .setHeader("X-Linked-Size", String.valueOf(content.length))
                        .setHeader("ETag", "W/\"pointer-etag\"");
            }
            MockResponse r =
                    body(request, file).setHeader("X-Repo-Commit", commit).setHeader("ETag", "\"" + etag(file) + "\"");
            return r;
        }
        return error(404, null, "no such page: " + path);
    }

    /** Where an LFS file's bytes are: this server, under {@link #cdnHost} when set (another origin, as a real CDN). */
    private String cdnUrl(RecordedRequest request, String sha, String file) {
        okhttp3.HttpUrl url = request.getRequestUrl().resolve("/cdn/" + sha + "?name=" + file);
        return (cdnHost == null ? url : url.newBuilder().host(cdnHost).build()).toString();
    }

    private MockResponse cdn(RecordedRequest request, String sha) {
        String file = request.getRequestUrl().queryParameter("name");
        if (file == null || !files.containsKey(file) || !etag(file).equals(sha)) return error(404, null, "no blob");
        return body(request, file);
    }

    /** The file's bytes (or a corrupted copy), honouring "Range: bytes=N-"; HEAD gets the headers only. */
    private MockResponse body(RecordedRequest request, String file) {
        byte[] content = corrupt.getOrDefault(file, files.get(file));
        if (request.getMethod().equals("HEAD")) {
            return new MockResponse().setHeader("Content-Length", String.valueOf(content.length));
        }
        int from = 0;
        String range = request.getHeader("Range");
        if (range != null && !ignoreRange) {
            Matcher m = Pattern.compile("bytes=(\\d+)-").matcher(range);
            if (!m.matches()) return error(400, null, "bad range " + range);
            from = Integer.parseInt(m.group(1));
            if (from >= content.length) {
                return new MockResponse().setResponseCode(416).setHeader("Content-Range", "bytes */" + content.length);
            }
        }
        Buffer slice = new Buffer().write(content, from, content.length - from);
        MockResponse r = new MockResponse().setBody(slice);
        if (from > 0) {
            r.setResponseCode(206)
                    .setHeader("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
        }
        if (cutOnce.remove(file)) r.setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY);
        return r;
    }

    private String commitOf(String revision) {
        if (revision.equals("main") || revision.equals(COMMIT)) return COMMIT;
        if (revision.equals(TAG_COMMIT)) return TAG_COMMIT;
        return tags.get(revision);
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static MockResponse error(int code, String errorCode, String message) {
        MockResponse r = new MockResponse()
                .setResponseCode(code)
                .setHeader("X-Error-Message", message)
                .setBody("{\"error\":\"" + message + "\"}");
        if (errorCode != null) r.setHeader("X-Error-Code", errorCode);
        return r;
    }
}
