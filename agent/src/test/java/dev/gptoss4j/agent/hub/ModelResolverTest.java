package dev.gptoss4j.agent.hub;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelResolverTest {

    @TempDir
    Path tmp;

    private MockWebServer server;
    private FakeHub hub;
    private Path cacheDir;
    private Path ollamaDir;

    @BeforeEach
    void start() throws Exception {
        hub = FakeHub.gptOss();
        server = new MockWebServer();
        server.setDispatcher(hub);
        server.start();
        cacheDir = tmp.resolve("hub");
        ollamaDir = tmp.resolve("ollama");
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    private HubConfig config() {
        return new HubConfig(server.url("/").toString(), cacheDir, null, false, List.of(ollamaDir));
    }

    private ModelResolver resolver(HubConfig config) {
        return ModelResolver.builder()
                .config(config)
                .retries(0)
                .retryDelay(Duration.ZERO)
                .build();
    }

    private Path snapshot() {
        return cacheDir.resolve("models--openai--gpt-oss-20b/snapshots/" + FakeHub.COMMIT);
    }

    @Test
    void repoIdIsDownloadedOnceThenServedFromTheCacheWithoutNetwork() throws Exception {
        assertEquals(snapshot(), resolver(config()).resolve("openai/gpt-oss-20b"));
        int requests = hub.requests.size();
        assertTrue(requests > 0);

        assertEquals(snapshot(), resolver(config()).resolve("openai/gpt-oss-20b"));
        assertEquals(snapshot(), resolver(config()).resolve(null), "the default model");
        assertEquals(requests, hub.requests.size(), "a complete cached snapshot needs no network");

        server.shutdown();
        assertEquals(snapshot(), resolver(config()).resolve("openai/gpt-oss-20b"), "works with the Hub gone too");
    }

    @Test
    void incompleteSnapshotIsCompletedNotUsed() throws Exception {
        resolver(config()).resolve("openai/gpt-oss-20b");
        Path shard = snapshot().resolve("model-00001-of-00002.safetensors");
        Files.delete(shard.resolveSibling(Files.readSymbolicLink(shard))); // the blob vanished: link dangles
        assertTrue(resolver(config()).findLocal("openai/gpt-oss-20b").isEmpty());

        assertEquals(snapshot(), resolver(config()).resolve("openai/gpt-oss-20b"));
        assertArrayEquals(hub.files.get("model-00001-of-00002.safetensors"), Files.readAllBytes(shard));
    }

    @Test
    void unreachableHubGivesTheThreeWaysForward() throws Exception {
        server.shutdown(); // nothing listens on the port any more
        HubException e =
                assertThrows(HubException.class, () -> resolver(config()).resolve("openai/gpt-oss-20b"));
        assertEquals(HubException.Reason.OFFLINE, e.reason());
        String m = e.getMessage();
        assertFalse(m.contains("\n"), "one line: " + m);
        assertTrue(m.startsWith("no local copy of openai/gpt-oss-20b"), m);
        assertTrue(m.contains("cannot reach " + config().endpoint()), m);
        assertTrue(m.contains("`gptoss download openai/gpt-oss-20b`"), m);
        assertTrue(m.contains("--model PATH"), m);
        assertTrue(m.contains("--base-url"), m);
    }

    @Test
    void offlineModeUsesOnlyTheDisk() {
        HubException e = assertThrows(
                HubException.class, () -> resolver(config().withOffline(true)).resolve("openai/gpt-oss-20b@v1"));
        assertEquals(HubException.Reason.OFFLINE, e.reason());
        assertTrue(
                e.getMessage().contains("HF_HUB_OFFLINE is set")
                        && e.getMessage().contains("`gptoss download openai/gpt-oss-20b@v1`"),
                e.getMessage());
        assertEquals(0, hub.requests.size());
    }

    @Test
    void existingPathsAreUsedAsTheyAre() throws Exception {
        Path gguf = Files.write(tmp.resolve("model.gguf"), new byte[] {'G', 'G', 'U', 'F'});
        assertEquals(gguf, resolver(config()).resolve(gguf.toString()));
        Path dir = Files.createDirectories(tmp.resolve("checkpoint"));
        assertEquals(dir, resolver(config()).resolve(dir.toString()));

        HubException missing = assertThrows(
                HubException.class,
                () -> resolver(config()).resolve(tmp.resolve("nope.gguf").toString()));
        assertEquals(HubException.Reason.NOT_FOUND, missing.reason());
        assertTrue(missing.getMessage().contains("nope.gguf not found"), missing.getMessage());
        IllegalArgumentException junk = assertThrows(
                IllegalArgumentException.class, () -> resolver(config()).resolve("just some words"));
        assertTrue(junk.getMessage().contains("Hugging Face repo id"), junk.getMessage());
        assertEquals(0, hub.requests.size());
    }

    @Test
    void ollamaStoreHoldingTheModelIsUsed() throws Exception {
        Path blob = FakeOllama.model(ollamaDir, "gpt-oss", "20b", 4096);
        assertEquals(blob, resolver(config()).resolve("gpt-oss:20b"));
        assertEquals(blob, resolver(config()).resolve("openai/gpt-oss-20b"), "the Hugging Face name maps to it");
        assertEquals(0, hub.requests.size(), "nothing downloaded");

        // A complete Hugging Face snapshot of the same model wins for the Hugging Face name.
        ModelResolver.builder().config(config()).build().download(RepoId.parse(FakeHub.REPO), FileSelection.defaults());
        assertEquals(snapshot(), resolver(config()).resolve("openai/gpt-oss-20b"));
        assertEquals(blob, resolver(config()).resolve("gpt-oss:20b"));
    }

    @Test
    void ollamaNameFallsBackToTheHubForGptOssOnly() {
        assertEquals(
                snapshot(), resolver(config()).resolve("gpt-oss:20b"), "not in Ollama: the same model from the Hub");
        HubException e =
                assertThrows(HubException.class, () -> resolver(config()).resolve("llama3:8b"));
        assertEquals(HubException.Reason.NOT_FOUND, e.reason());
        assertTrue(
                e.getMessage().contains("`ollama pull llama3:8b`")
                        && e.getMessage().contains(ollamaDir.toString()),
                e.getMessage());
    }

    @Test
    void environmentPicksTheCacheFolder() throws Exception {
        Path home = tmp.resolve("home");
        Path hfHome = tmp.resolve("hf-home");
        HubConfig fromHfHome = HubConfig.fromEnvironment(
                Map.of(
                        "HF_HOME",
                        hfHome.toString(),
                        "HF_ENDPOINT",
                        server.url("/").toString()),
                home);
        Path viaHfHome = resolver(fromHfHome.withOllamaModels(List.of())).resolve("openai/gpt-oss-20b");
        assertEquals(hfHome.resolve("hub/models--openai--gpt-oss-20b/snapshots/" + FakeHub.COMMIT), viaHfHome);

        Path hubCache = tmp.resolve("elsewhere");
        HubConfig fromHubCache = HubConfig.fromEnvironment(
                Map.of(
                        "HF_HOME",
                        hfHome.toString(),
                        "HF_HUB_CACHE",
                        hubCache.toString(),
                        "HF_ENDPOINT",
                        server.url("/").toString()),
                home);
        Path viaHubCache = resolver(fromHubCache.withOllamaModels(List.of())).resolve("openai/gpt-oss-20b");
        assertTrue(viaHubCache.startsWith(hubCache), viaHubCache.toString());
        assertFalse(Files.exists(home), "nothing written under the home folder");
    }

    @Test
    void theApprovalSeesTheSizesBeforeAnyByteAndDecliningWritesNothing() {
        List<DownloadPlan> seen = new java.util.ArrayList<>();
        ModelResolver declining = ModelResolver.builder()
                .config(config())
                .retries(0)
                .retryDelay(Duration.ZERO)
                .approval(plan -> {
                    seen.add(plan);
                    return false;
                })
                .build();
        HubException e = assertThrows(HubException.class, () -> declining.resolve(null));
        assertEquals(HubException.Reason.DECLINED, e.reason());
        assertTrue(e.getMessage().startsWith("not downloading openai/gpt-oss-20b (declined)"), e.getMessage());

        DownloadPlan plan = seen.get(0);
        assertEquals(FakeHub.COMMIT, plan.commit());
        long expected = 0;
        for (String f : plan.files().keySet()) expected += hub.files.get(f).length;
        assertEquals(expected, plan.totalBytes());
        assertEquals(expected, plan.bytesToFetch(), "nothing cached yet");
        assertTrue(plan.files().containsKey("model-00000-of-00002.safetensors"));
        assertFalse(plan.files().containsKey("original/model.safetensors"), "the default selection");
        assertEquals(cacheDir, plan.cacheDir());
        assertTrue(hub.requests("GET", "/cdn/").isEmpty(), "no content fetched");
        assertFalse(Files.exists(cacheDir.resolve("models--openai--gpt-oss-20b/blobs")), "nothing written");
    }

    @Test
    void aGgufOnlyRepositoryGetsItsOneGgufAndSeveralAreNamed() throws Exception {
        FakeHub gguf = new FakeHub();
        gguf.add("README.md", "# GGUF".getBytes(), false);
        gguf.add(
                "config.json",
                "{}".getBytes(),
                false); // some GGUF repositories carry one: the .gguf is still the model
        byte[] weights = FakeHub.random(30_000, 9);
        gguf.add("gpt-oss-20b-F16.gguf", weights, true);
        server.setDispatcher(gguf);
        Path model = resolver(config()).resolve("openai/gpt-oss-20b");
        assertEquals(snapshot().resolve("gpt-oss-20b-F16.gguf"), model);
        assertArrayEquals(weights, Files.readAllBytes(model));

        gguf.add("gpt-oss-20b-Q8_0.gguf", FakeHub.random(20_000, 10), true);
        HubException several = assertThrows(
                HubException.class,
                () -> resolver(config()).download(RepoId.parse(FakeHub.REPO), FileSelection.defaults()));
        assertEquals(HubException.Reason.NOT_FOUND, several.reason());
        assertTrue(
                several.getMessage()
                        .contains("holds no safetensors checkpoint but 2 GGUF files "
                                + "(gpt-oss-20b-F16.gguf, gpt-oss-20b-Q8_0.gguf): choose one with --include"),
                several.getMessage());
        Snapshot picked = resolver(config())
                .download(RepoId.parse(FakeHub.REPO), FileSelection.defaultsPlus(List.of("gpt-oss-20b-Q8_0.gguf")));
        assertTrue(picked.files().stream().anyMatch(f -> f.name().equals("gpt-oss-20b-Q8_0.gguf")));
        assertTrue(
                picked.files().stream().noneMatch(f -> f.name().equals("gpt-oss-20b-F16.gguf")),
                "only the GGUF file asked for: " + picked.files());
    }
}
