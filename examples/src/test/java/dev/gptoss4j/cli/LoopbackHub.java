package dev.gptoss4j.cli;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;

/**
 * A Hugging Face Hub on a loopback port, serving repositories as huggingface.co does: the revision API, and
 * {@code resolve} URLs whose HEAD carries the commit, ETag and size ({@code .gguf}/{@code .safetensors} files as LFS
 * files with their sha256). Every request is recorded.
 */
final class LoopbackHub implements AutoCloseable {

    static final String COMMIT = "5555555555666666666677777777778888888888";

    private final Map<String, Map<String, byte[]>> repos = new LinkedHashMap<>();
    final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final MockWebServer server = new MockWebServer();

    LoopbackHub add(String repo, String file, byte[] content) {
        repos.computeIfAbsent(repo, r -> new LinkedHashMap<>()).put(file, content);
        return this;
    }

    LoopbackHub start() throws Exception {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                requests.add(r);
                return answer(r);
            }
        });
        server.start();
        return this;
    }

    String url() {
        return server.url("/").toString();
    }

    /** GET requests for file contents (not metadata): what a download actually fetched. */
    long contentRequests() {
        return requests.stream()
                .filter(r -> r.getMethod().equals("GET") && r.getPath().contains("/resolve/"))
                .count();
    }

    @Override
    public void close() throws Exception {
        server.shutdown();
    }

    private MockResponse answer(RecordedRequest r) {
        String path = r.getRequestUrl().encodedPath();
        for (Map.Entry<String, Map<String, byte[]>> repo : repos.entrySet()) {
            if (path.equals("/api/models/" + repo.getKey() + "/revision/main")) {
                StringBuilder siblings = new StringBuilder();
                for (String f : repo.getValue().keySet()) {
                    if (!siblings.isEmpty()) siblings.append(',');
                    siblings.append("{\"rfilename\":\"").append(f).append("\"}");
                }
                return new MockResponse().setBody("{\"sha\":\"" + COMMIT + "\",\"siblings\":[" + siblings + "]}");
            }
            String prefix = "/" + repo.getKey() + "/resolve/" + COMMIT + "/";
            if (path.startsWith(prefix) && repo.getValue().containsKey(path.substring(prefix.length()))) {
                String name = path.substring(prefix.length());
                byte[] body = repo.getValue().get(name);
                MockResponse m = new MockResponse().setHeader("X-Repo-Commit", COMMIT);
                if (name.endsWith(".safetensors") || name.endsWith(".gguf")) {
                    m.setHeader("X-Linked-Etag", "\"" + hex("SHA-256", new byte[0], body) + "\"")
                            .setHeader("X-Linked-Size", body.length);
                } else {
                    m.setHeader("ETag", "\"" + hex("SHA-1", ("blob " + body.length + "\0").getBytes(), body) + "\"");
                }
                return r.getMethod().equals("HEAD")
                        ? m.setHeader("Content-Length", body.length)
                        : m.setBody(new Buffer().write(body));
            }
        }
        return new MockResponse().setResponseCode(404).setHeader("X-Error-Code", "RepoNotFound");
    }

    private static String hex(String algorithm, byte[] prefix, byte[] body) {
        try {
            MessageDigest d = MessageDigest.getInstance(algorithm);
            d.update(prefix);
            return HexFormat.of().formatHex(d.digest(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
