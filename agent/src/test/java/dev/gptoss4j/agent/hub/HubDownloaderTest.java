package dev.gptoss4j.agent.hub;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubDownloaderTest {

    private static final RepoId ID = RepoId.parse(FakeHub.REPO);
    private static final List<String> DEFAULT_FILES = List.of(
            "config.json",
            "generation_config.json",
            "model.safetensors.index.json",
            "model-00000-of-00002.safetensors",
            "model-00001-of-00002.safetensors",
            "tokenizer.json",
            "tokenizer_config.json",
            "special_tokens_map.json",
            "chat_template.jinja");

    @TempDir
    Path cacheDir;

    private MockWebServer server;
    private FakeHub hub;

    @BeforeEach
    void start() throws Exception {
        hub = FakeHub.gptOss();
        server = new MockWebServer();
        server.setDispatcher(hub);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    private HubConfig config() {
        return new HubConfig(server.url("/").toString(), cacheDir, null, false, List.of());
    }

    private HubDownloader downloader(HubConfig config, int retries) {
        return HubDownloader.builder()
                .config(config)
                .retries(retries)
                .retryDelay(Duration.ZERO)
                .build();
    }

    private Path repoDir() {
        return cacheDir.resolve("models--openai--gpt-oss-20b");
    }

    @Test
    void fullDownloadLaysOutTheHuggingFaceCache() throws Exception {
        Snapshot s = downloader(config(), 0).download(ID, FileSelection.defaults());

        Path snapshot = repoDir().resolve("snapshots").resolve(FakeHub.COMMIT);
        assertEquals(snapshot, s.path());
        assertEquals(FakeHub.COMMIT, s.commit());
        assertEquals(
                DEFAULT_FILES,
                s.files().stream().map(Snapshot.SnapshotFile::name).toList());
        assertTrue(s.files().stream().allMatch(Snapshot.SnapshotFile::downloaded));
        assertEquals(FakeHub.COMMIT, Files.readString(repoDir().resolve("refs/main")), "ref holds the bare hash");

        for (String f : DEFAULT_FILES) {
            Path entry = snapshot.resolve(f);
            assertTrue(Files.isSymbolicLink(entry), f + " is a link");
            assertEquals(Path.of("../../blobs/" + hub.etag(f)), Files.readSymbolicLink(entry), f);
            assertArrayEquals(hub.files.get(f), Files.readAllBytes(entry), f);
        }
        // LFS files are named by their sha256, the others by their git blob id
        assertEquals(64, hub.etag("model-00000-of-00002.safetensors").length());
        assertEquals(40, hub.etag("config.json").length());
        Set<String> blobs;
        try (Stream<Path> l = Files.list(repoDir().resolve("blobs"))) {
            blobs = l.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
        assertEquals(
                DEFAULT_FILES.stream().map(hub::etag).collect(Collectors.toSet()),
                blobs,
                "one blob per file, no .incomplete left");
        assertFalse(Files.exists(snapshot.resolve("original")), "original/ skipped by default");
        assertFalse(Files.exists(snapshot.resolve("metal")), "metal/ skipped by default");
        assertFalse(Files.exists(snapshot.resolve("README.md")));
        assertTrue(
                hub.requests("HEAD", "original/").isEmpty()
                        && hub.requests("GET", "metal/").isEmpty(),
                "skipped files are not even asked about");
        assertEquals(Set.of(snapshot), Set.of(HubCache.modelIn(snapshot).orElseThrow()));
    }

    @Test
    void cachedBlobsAreNotFetchedAgain() throws Exception {
        downloader(config(), 0).download(ID, FileSelection.defaults());
        int gets = hub.requests("GET", "/resolve/").size();
        Snapshot again = downloader(config(), 0).download(ID, FileSelection.defaults());
        assertEquals(gets, hub.requests("GET", "/resolve/").size(), "no file bodies fetched the second time");
        assertTrue(again.files().stream().noneMatch(Snapshot.SnapshotFile::downloaded));
    }

    @Test
    void includePatternAddsTheOriginalCheckpoint() throws Exception {
        Snapshot s = downloader(config(), 0).download(ID, FileSelection.defaultsPlus(List.of("original/*")));
        assertArrayEquals(
                hub.files.get("original/model.safetensors"),
                Files.readAllBytes(s.path().resolve("original/model.safetensors")));
        assertEquals(
                Path.of("../../../blobs/" + hub.etag("original/config.json")),
                Files.readSymbolicLink(s.path().resolve("original/config.json")),
                "nested links stay relative");
        assertFalse(Files.exists(s.path().resolve("metal")));
    }

    @Test
    void interruptedDownloadResumesWithARangeRequestOnTheNextRun() throws Exception {
        String shard = "model-00000-of-00002.safetensors";
        int size = hub.files.get(shard).length;
        hub.cutOnce.add(shard);

        HubException e =
                assertThrows(HubException.class, () -> downloader(config(), 0).download(ID, FileSelection.defaults()));
        assertEquals(HubException.Reason.INTERRUPTED, e.reason());
        assertTrue(
                e.getMessage().contains(shard) && e.getMessage().contains("run the same command again"),
                e.getMessage());
        Path part = repoDir().resolve("blobs").resolve(hub.etag(shard) + ".incomplete");
        long partial = Files.size(part);
        assertTrue(partial > 0 && partial < size, "partial bytes kept: " + partial);
        assertFalse(Files.exists(repoDir().resolve("blobs").resolve(hub.etag(shard))));
        assertFalse(Files.exists(repoDir().resolve("refs/main")), "no ref to an incomplete snapshot");

        Snapshot s = downloader(config(), 0).download(ID, FileSelection.defaults());
        List<RecordedRequest> ranged = hub.requests("GET", "/cdn/" + hub.etag(shard)).stream()
                .filter(r -> r.getHeader("Range") != null)
                .toList();
        assertEquals(1, ranged.size());
        assertEquals("bytes=" + partial + "-", ranged.get(0).getHeader("Range"));
        assertArrayEquals(hub.files.get(shard), Files.readAllBytes(s.path().resolve(shard)));
        assertFalse(Files.exists(part));
        assertEquals(FakeHub.COMMIT, Files.readString(repoDir().resolve("refs/main")));
    }

    @Test
    void brokenConnectionIsResumedWithinOneRun() throws Exception {
        String shard = "tokenizer.json";
        hub.cutOnce.add(shard);
        StringBuilder log = new StringBuilder();
        DownloadListener recorder = new DownloadListener() {
            @Override
            public void onRetry(String file, long done, Exception cause) {
                log.append("retry ").append(file).append(' ').append(done).append('\n');
            }

            @Override
            public void onFileDone(String file) {
                log.append("done ").append(file).append('\n');
            }
        };
        HubDownloader d = HubDownloader.builder()
                .config(config())
                .retries(2)
                .retryDelay(Duration.ZERO)
                .listener(recorder)
                .build();
        Snapshot s = d.download(ID, FileSelection.defaults());
        assertArrayEquals(hub.files.get(shard), Files.readAllBytes(s.path().resolve(shard)));
        assertEquals(
                1,
                hub.requests("GET", "/cdn/" + hub.etag(shard)).stream()
                        .filter(r -> r.getHeader("Range") != null)
                        .count());
        assertTrue(log.toString().contains("retry tokenizer.json"), log.toString());
        assertTrue(log.toString().contains("done tokenizer.json"), log.toString());
    }

    @Test
    void serverIgnoringTheRangeStillGivesTheRightFile() throws Exception {
        String shard = "model-00001-of-00002.safetensors";
        hub.cutOnce.add(shard);
        hub.ignoreRange = true;
        assertThrows(HubException.class, () -> downloader(config(), 0).download(ID, FileSelection.defaults()));
        Snapshot s = downloader(config(), 0).download(ID, FileSelection.defaults());
        assertArrayEquals(
                hub.files.get(shard),
                Files.readAllBytes(s.path().resolve(shard)),
                "a 200 answer to a Range request restarts the file instead of appending to it");
    }

    @Test
    void checksumMismatchIsAClearErrorAndTheBadBlobIsNotKept() throws Exception {
        String shard = "model-00001-of-00002.safetensors";
        byte[] bad = hub.files.get(shard).clone();
        bad[1234] ^= 0x40;
        hub.corrupt.put(shard, bad);

        HubException e =
                assertThrows(HubException.class, () -> downloader(config(), 0).download(ID, FileSelection.defaults()));
        assertEquals(HubException.Reason.CHECKSUM, e.reason());
        assertTrue(e.getMessage().contains("checksum mismatch for " + shard), e.getMessage());
        assertTrue(e.getMessage().contains("sha256 " + hub.etag(shard)), e.getMessage());
        assertTrue(e.getMessage().contains(FakeHub.sha256(bad)), "names what arrived: " + e.getMessage());
        assertFalse(Files.exists(repoDir().resolve("blobs").resolve(hub.etag(shard))));
        assertFalse(Files.exists(repoDir().resolve("blobs").resolve(hub.etag(shard) + ".incomplete")));
        assertFalse(Files.exists(
                repoDir().resolve("snapshots").resolve(FakeHub.COMMIT).resolve(shard),
                java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertTrue(HubCache.modelIn(repoDir().resolve("snapshots").resolve(FakeHub.COMMIT))
                .isEmpty());

        hub.corrupt.clear();
        Snapshot s = downloader(config(), 0).download(ID, FileSelection.defaults());
        assertArrayEquals(hub.files.get(shard), Files.readAllBytes(s.path().resolve(shard)), "a later run repairs it");
    }

    @Test
    void regularFilesAreCheckedAgainstTheirGitBlobId() {
        byte[] bad = "{\"model_type\":\"gpt_oss\",\"num_hidden_layers\":3}".getBytes();
        hub.corrupt.put("config.json", bad);
        HubException e =
                assertThrows(HubException.class, () -> downloader(config(), 0).download(ID, FileSelection.defaults()));
        assertEquals(HubException.Reason.CHECKSUM, e.reason());
        assertTrue(e.getMessage().contains("git blob id " + hub.etag("config.json")), e.getMessage());
    }

    @Test
    void privateRepoNeedsTheToken() throws Exception {
        hub.requiredToken = "hf_secret";
        HubException none =
                assertThrows(HubException.class, () -> downloader(config(), 0).download(ID, FileSelection.defaults()));
        assertEquals(HubException.Reason.UNAUTHORIZED, none.reason());
        assertTrue(none.getMessage().contains("401") && none.getMessage().contains("set HF_TOKEN"), none.getMessage());

        HubException wrong = assertThrows(
                HubException.class,
                () -> downloader(config().withToken("hf_wrong"), 0).download(ID, FileSelection.defaults()));
        assertEquals(HubException.Reason.UNAUTHORIZED, wrong.reason());
        assertTrue(wrong.getMessage().contains("rejected"), wrong.getMessage());
        assertFalse(wrong.getMessage().contains("hf_wrong"), "the token is never printed");

        int before = hub.requests.size();
        Snapshot s = downloader(config().withToken("hf_secret"), 0).download(ID, FileSelection.defaults());
        assertArrayEquals(
                hub.files.get("config.json"), Files.readAllBytes(s.path().resolve("config.json")));
        List<RecordedRequest> hubCalls = hub.requests.subList(before, hub.requests.size()).stream()
                .filter(r -> !r.getPath().startsWith("/cdn/"))
                .toList();
        assertFalse(hubCalls.isEmpty());
        for (RecordedRequest r : hubCalls) assertEquals("Bearer hf_secret", r.getHeader("Authorization"), r.getPath());
    }

    @Test
    void theTokenGoesToTheHubButNotAlongARedirectToAnotherHost() throws Exception {
        hub.requiredToken = "hf_secret";
        // the same server under its other name: another origin, as the CDN the Hub redirects large files to
        hub.cdnHost = server.getHostName().equals("localhost") ? "127.0.0.1" : "localhost";
        Snapshot s = downloader(config().withToken("hf_secret"), 0).download(ID, FileSelection.defaults());
        for (String f : hub.lfs) {
            if (Files.exists(s.path().resolve(f))) {
                assertArrayEquals(hub.files.get(f), Files.readAllBytes(s.path().resolve(f)), f);
            }
        }
        List<RecordedRequest> cdn = hub.requests("GET", "/cdn/");
        assertFalse(cdn.isEmpty(), "no file came from the CDN");
        for (RecordedRequest r : cdn) {
            assertNull(r.getHeader("Authorization"), "the token leaked to " + r.getRequestUrl());
        }
        assertEquals(
                "Bearer hf_secret",
                hub.requests("GET", "/api/models/").getFirst().getHeader("Authorization"));
    }

    @Test
    void unknownRepoAndRevisionAreNamed() {
        HubException repo = assertThrows(
                HubException.class,
                () -> downloader(config(), 0).download(RepoId.parse("openai/gpt-oss-7b"), FileSelection.defaults()));
        assertEquals(HubException.Reason.NOT_FOUND, repo.reason());
        assertTrue(
                repo.getMessage().startsWith("repository openai/gpt-oss-7b not found at " + config().endpoint()),
                repo.getMessage());

        HubException rev = assertThrows(
                HubException.class,
                () -> downloader(config(), 0).download(RepoId.parse(FakeHub.REPO + "@v9"), FileSelection.defaults()));
        assertEquals(HubException.Reason.NOT_FOUND, rev.reason());
        assertTrue(rev.getMessage().contains("revision 'v9' not found in openai/gpt-oss-20b"), rev.getMessage());
    }

    @Test
    void revisionGetsItsOwnRef() throws Exception {
        Snapshot s = downloader(config(), 0).download(RepoId.parse(FakeHub.REPO + "@v1"), FileSelection.defaults());
        assertEquals(FakeHub.TAG_COMMIT, s.commit());
        assertEquals(FakeHub.TAG_COMMIT, Files.readString(repoDir().resolve("refs/v1")));
        assertFalse(Files.exists(repoDir().resolve("refs/main")));
        assertFalse(hub.requests("GET", "/api/models/openai/gpt-oss-20b/revision/v1")
                .isEmpty());
        assertFalse(
                hub.requests("HEAD", "/resolve/" + FakeHub.TAG_COMMIT + "/config.json")
                        .isEmpty(),
                "files are fetched at the resolved commit, not the moving tag");
    }

    @Test
    void hostileFileNamesAreRefused() {
        hub.add("../../../escape.json", "{}".getBytes(), false);
        HubException e = assertThrows(
                HubException.class, () -> downloader(config(), 0).download(ID, FileSelection.only(List.of("*"))));
        assertEquals(HubException.Reason.PROTOCOL, e.reason());
        assertTrue(e.getMessage().contains("escape.json"), e.getMessage());
        assertFalse(Files.exists(cacheDir.resolve("escape.json")));
        assertFalse(Files.exists(cacheDir.getParent().resolve("escape.json")));
    }

    @Test
    void selectionMatchingNothingListsTheRepoFiles() {
        HubException e = assertThrows(
                HubException.class, () -> downloader(config(), 0).download(ID, FileSelection.only(List.of("*.gguf"))));
        assertEquals(HubException.Reason.NOT_FOUND, e.reason());
        assertTrue(
                e.getMessage().contains("no file of openai/gpt-oss-20b matches *.gguf")
                        && e.getMessage().contains("config.json"),
                e.getMessage());
    }

    @Test
    void offlineModeSendsNothing() {
        HubException e = assertThrows(
                HubException.class,
                () -> downloader(config().withOffline(true), 0).download(ID, FileSelection.defaults()));
        assertEquals(HubException.Reason.OFFLINE, e.reason());
        assertEquals(0, hub.requests.size());
    }
}
