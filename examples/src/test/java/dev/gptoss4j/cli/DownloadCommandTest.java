package dev.gptoss4j.cli;

import static dev.gptoss4j.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.cli.CliRun.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadCommandTest {

    private static final String COMMIT = LoopbackHub.COMMIT;
    private static final byte[] CONFIG = "{\"model_type\":\"gpt_oss\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] WEIGHTS = new byte[70_000];

    @TempDir
    Path cache;

    private LoopbackHub server;

    /** A repository served as the Hub serves one: config.json a regular file, the weights LFS files. */
    @BeforeEach
    void start() throws Exception {
        for (int i = 0; i < WEIGHTS.length; i++) WEIGHTS[i] = (byte) (i * 31);
        server = new LoopbackHub()
                .add("openai/gpt-oss-20b", "config.json", CONFIG)
                .add("openai/gpt-oss-20b", "model.safetensors", WEIGHTS)
                .add("openai/gpt-oss-20b", "original/model.safetensors", CONFIG)
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private String endpoint() {
        return server.url();
    }

    @Test
    void jsonNamesThePathAndTheFiles() throws Exception {
        Outcome o = run(
                "download", "openai/gpt-oss-20b", "--endpoint", endpoint(), "--cache-dir", cache.toString(), "--json");
        assertEquals(0, o.code(), o.err());
        JsonNode j = new ObjectMapper().readTree(o.out());
        Path snapshot = cache.resolve("models--openai--gpt-oss-20b/snapshots/" + COMMIT);
        assertEquals(snapshot.toString(), j.get("path").asText());
        assertEquals(snapshot.toString(), j.get("model").asText());
        assertEquals(COMMIT, j.get("commit").asText());
        assertEquals(2, j.get("files").size(), "original/ is not fetched by default");
        assertEquals("config.json", j.at("/files/0/name").asText());
        assertEquals(WEIGHTS.length, j.at("/files/1/size").asLong());
        assertArrayEquals(WEIGHTS, Files.readAllBytes(snapshot.resolve("model.safetensors")));
        assertEquals(COMMIT, Files.readString(cache.resolve("models--openai--gpt-oss-20b/refs/main")));
    }

    @Test
    void plainOutputIsThePathAndIncludeAddsFiles() throws Exception {
        Outcome o = run(
                "download",
                "--endpoint",
                endpoint(),
                "--cache-dir",
                cache.toString(),
                "--include",
                "original/*",
                "--progress");
        assertEquals(0, o.code(), o.err());
        Path snapshot = cache.resolve("models--openai--gpt-oss-20b/snapshots/" + COMMIT);
        assertEquals(snapshot.toString(), o.out().strip(), "the default repo, path only");
        assertTrue(Files.isRegularFile(snapshot.resolve("original/model.safetensors")));
        assertTrue(o.err().contains("100%"), "progress bar forced on: " + o.err());
    }

    @Test
    void unreachableHubFallsBackToACompleteCacheElseSaysWhatToDo() throws Exception {
        String closed = endpoint();
        assertEquals(
                0,
                run("download", "--endpoint", closed, "--cache-dir", cache.toString())
                        .code());
        server.close();
        Outcome cached = run("download", "--endpoint", closed, "--cache-dir", cache.toString());
        assertEquals(0, cached.code(), cached.err());
        assertTrue(cached.out().strip().endsWith(COMMIT));
        assertTrue(cached.err().contains("not reachable"), cached.err());

        Outcome none = run(
                "download",
                "--endpoint",
                closed,
                "--cache-dir",
                cache.resolve("empty").toString());
        assertEquals(1, none.code());
        String line = none.err().lines().findFirst().orElse("");
        assertTrue(line.startsWith("gptoss download: no local copy of openai/gpt-oss-20b"), line);
        assertTrue(line.contains("--model PATH") && line.contains("--base-url"), line);
    }

    @Test
    void badNamesAreOneLineErrors() {
        Outcome ollama = run("download", "gpt-oss:20b", "--endpoint", endpoint(), "--cache-dir", cache.toString());
        assertEquals(1, ollama.code());
        assertTrue(ollama.err().contains("ollama pull gpt-oss:20b"), ollama.err());
        Outcome missing =
                run("download", "openai/gpt-oss-7b", "--endpoint", endpoint(), "--cache-dir", cache.toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("repository openai/gpt-oss-7b not found"), missing.err());
        Outcome twoRevisions =
                run("download", "openai/gpt-oss-20b@v1", "--revision", "v2", "--cache-dir", cache.toString());
        assertEquals(1, twoRevisions.code());
        assertTrue(twoRevisions.err().contains("two revisions"), twoRevisions.err());
    }

    @Test
    void modelOptionsTakeMissingPathsAsClearErrors() {
        Outcome o = run("generate", "--model", cache.resolve("absent.gguf").toString(), "--tokens", "1");
        assertEquals(1, o.code());
        assertTrue(o.err().contains("absent.gguf not found"), o.err());
        Outcome l = run("logits", "--model", cache.resolve("absent.gguf").toString(), "--tokens", "1");
        assertTrue(l.err().contains("absent.gguf not found"), l.err());
    }
}
