package dev.gptoss4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.gptoss4j.cli.CliRun.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model a command runs when none is named, as a new user meets it: {@code GPTOSS_MODEL}, the config file, the
 * Hugging Face cache, Ollama's store, then a download that is asked for on a terminal, refused without one and
 * allowed by {@code --yes}; memory and disk checked first. The Hub is a loopback server, the store a folder laid out
 * as {@code ollama pull} leaves it, and the model the engine's tiny conformance GGUF, loaded and run for real.
 */
class DefaultModelTest {

    private static final Path TINY = EngineCommandsTest.TINY.resolve("tiny-bf16.gguf");
    private static final String REPO = "openai/gpt-oss-20b";
    private static final String GGUF = "gpt-oss-20b-bf16.gguf";
    private static final long GIB = 1L << 30;

    @TempDir
    Path tmp;

    private LoopbackHub hub;
    private byte[] weights;
    private final Map<String, String> vars = new HashMap<>();
    private final List<String> questions = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        weights = Files.readAllBytes(TINY);
        // a GGUF-only repository, as llama.cpp conversions are published: its one .gguf is picked by itself
        hub = new LoopbackHub()
                .add(REPO, ".gitattributes", "*.gguf filter=lfs".getBytes())
                .add(REPO, "README.md", "# tiny".getBytes())
                .add(REPO, GGUF, weights)
                .start();
        vars.put("HF_HUB_CACHE", tmp.resolve("hub").toString());
        vars.put("HF_ENDPOINT", hub.url());
        vars.put("OLLAMA_MODELS", tmp.resolve("ollama").toString());
        vars.put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
    }

    @AfterEach
    void stop() throws Exception {
        hub.close();
    }

    /** Runs {@code gptoss ARGS} seeing {@link #vars}, a terminal answering {@code answer} (null: no terminal). */
    private Outcome run(String answer, CliEnvironment.Machine machine, String... args) {
        CliEnvironment env = new CliEnvironment(
                vars,
                tmp.resolve("home"),
                "Linux",
                question -> {
                    questions.add(question);
                    return answer;
                },
                machine);
        return CliRun.run(Main.commandLine(env), args);
    }

    private Outcome generate(String answer, String... extra) {
        List<String> args = new ArrayList<>(List.of("generate", "--tokens", "17", "--max-tokens", "2", "--json"));
        args.addAll(List.of(extra));
        return run(answer, roomy(), args.toArray(String[]::new));
    }

    private static CliEnvironment.Machine roomy() {
        return CliEnvironment.Machine.of(64 * GIB, 500 * GIB);
    }

    private Path cachedGguf() {
        return tmp.resolve("hub/models--openai--gpt-oss-20b/snapshots/" + LoopbackHub.COMMIT)
                .resolve(GGUF);
    }

    @Test
    void withNoTerminalNothingIsDownloadedUnaskedAndTheErrorIsTheInstruction() {
        Outcome o = run(null, roomy(), "chat");
        assertEquals(1, o.code());
        assertEquals(
                "gptoss chat: " + REPO + " is not on this machine and needs a " + ProgressBar.bytes(weights.length)
                        + " download, which is not started unasked: run again with --yes (or GPTOSS_ASSUME_YES=1) to "
                        + "download it, or give --model PATH or --base-url URL\n",
                o.err(),
                "one line, nothing else");
        assertEquals(0, hub.contentRequests(), "not a byte of the model was fetched");
        assertFalse(Files.exists(cachedGguf()));
    }

    @Test
    void onATerminalTheUserIsAskedOnceWithSizePlaceAndFreeSpace() throws Exception {
        Outcome o = generate("y");
        assertEquals(0, o.code(), o.err());
        assertEquals(1, questions.size(), questions.toString());
        String q = questions.get(0);
        assertTrue(q.contains(REPO + " is not on this machine"), q);
        assertTrue(
                q.contains("Download " + REPO + " (1 file, " + ProgressBar.bytes(weights.length) + ") into "
                        + tmp.resolve("hub") + " (500 GB free)? [y/N] "),
                q);
        assertArrayEquals(weights, Files.readAllBytes(cachedGguf()), "the GGUF-only repository's one file");
        assertTrue(o.out().contains("\"tokens\""), "the downloaded model ran: " + o.out());
        assertTrue(o.err().contains("loading " + REPO + " (the default model) from " + cachedGguf()), o.err());

        Outcome again = generate(null);
        assertEquals(0, again.code(), again.err());
        assertEquals(1, questions.size(), "a complete cached copy needs no question");
    }

    @Test
    void answeringNoDownloadsNothing() {
        Outcome o = generate("n");
        assertEquals(1, o.code());
        assertTrue(o.err().startsWith("gptoss generate: not downloading " + REPO + " (declined)"), o.err());
        assertEquals(0, hub.contentRequests());
    }

    @Test
    void yesAndTheEnvironmentVariableDownloadWithoutAsking() throws Exception {
        Outcome o = generate(null, "--yes");
        assertEquals(0, o.code(), o.err());
        assertTrue(questions.isEmpty());
        assertTrue(o.err().contains("gptoss generate: downloading " + REPO + " (1 file, "), o.err());
        assertArrayEquals(weights, Files.readAllBytes(cachedGguf()));

        Files.walk(tmp.resolve("hub"))
                .sorted(java.util.Comparator.reverseOrder())
                .forEach(p -> p.toFile().delete());
        vars.put("GPTOSS_ASSUME_YES", "1");
        Outcome env = generate(null);
        assertEquals(0, env.code(), env.err());
        assertTrue(Files.exists(cachedGguf()));
    }

    @Test
    void aCompleteCachedCopyIsUsedOffline() throws Exception {
        assertEquals(0, generate(null, "--yes").code());
        hub.close();
        vars.put("HF_HUB_OFFLINE", "1");
        Outcome o = generate(null);
        assertEquals(0, o.code(), o.err());
        assertTrue(o.err().contains("from " + cachedGguf()), o.err());
        assertTrue(questions.isEmpty());
    }

    @Test
    void ollamasGptOss20bIsUsedWhenTheCacheHasNoCopy() throws Exception {
        Path blob = ollamaModel(tmp.resolve("ollama"), weights);
        hub.close(); // no network needed
        Outcome o = generate(null);
        assertEquals(0, o.code(), o.err());
        assertTrue(o.err().contains("loading " + REPO + " (the default model) from " + blob), o.err());
        assertTrue(questions.isEmpty());
    }

    @Test
    void gptossModelAndTheConfigFileOverrideTheDefaultAndModelOverridesBoth() throws Exception {
        Path config = Files.createDirectories(tmp.resolve("config/gptoss4j")).resolve("config.properties");
        Files.writeString(config, "# my settings\nmodel = " + TINY.toAbsolutePath() + "\n");
        Outcome fromFile = generate(null);
        assertEquals(0, fromFile.code(), fromFile.err());
        assertTrue(fromFile.err().contains("(model in " + config + ") from " + TINY.toAbsolutePath()), fromFile.err());

        Path f32 = EngineCommandsTest.TINY.resolve("tiny-f32.gguf").toAbsolutePath();
        vars.put("GPTOSS_MODEL", f32.toString());
        Outcome fromEnv = generate(null);
        assertEquals(0, fromEnv.code(), fromEnv.err());
        assertTrue(fromEnv.err().contains(f32 + " (GPTOSS_MODEL) from " + f32), fromEnv.err());

        Outcome flag = generate(null, "--model", TINY.toString());
        assertEquals(0, flag.code(), flag.err());
        assertTrue(
                flag.err()
                        .contains("gptoss generate: loading " + TINY + " (" + ProgressBar.bytes(weights.length)
                                + " of weights)"),
                "a named model is loaded without the why: " + flag.err());
        assertEquals(0, hub.requests.size(), "none of these touched the Hub");
    }

    @Test
    void aBrokenConfigFileIsAClearError() throws Exception {
        Path config = Files.createDirectories(tmp.resolve("config/gptoss4j")).resolve("config.properties");
        Files.writeString(config, "modle=openai/gpt-oss-120b\n");
        Outcome o = generate(null);
        assertEquals(1, o.code());
        assertTrue(
                o.err().startsWith("gptoss generate: config file " + config + ": unknown key 'modle' (known: model)"),
                o.err());
    }

    @Test
    void aModelLargerThanTheMemoryIsRefusedBeforeTheDownloadWithTheAlternative() {
        CliEnvironment.Machine small = CliEnvironment.Machine.of(weights.length, 500 * GIB);
        Outcome o = run(null, small, "chat", "--yes");
        assertEquals(1, o.code());
        String line = o.err().strip();
        assertTrue(line.startsWith("gptoss chat: " + REPO + " does not fit this machine: it needs about "), line);
        assertTrue(line.contains("and this machine has " + ProgressBar.bytes(weights.length)), line);
        assertTrue(line.contains("--base-url URL --model NAME"), line);
        assertEquals(0, hub.contentRequests(), "refused before the download");

        CliEnvironment.Machine noDisk = CliEnvironment.Machine.of(64 * GIB, 1000);
        Outcome disk = run(null, noDisk, "chat", "--yes");
        assertEquals(1, disk.code());
        assertTrue(
                disk.err()
                        .startsWith("gptoss chat: downloading " + REPO + " needs " + ProgressBar.bytes(weights.length)
                                + " in " + tmp.resolve("hub") + " and its disk has 1000 B free"),
                disk.err());
        assertEquals(0, hub.contentRequests());
    }

    @Test
    void aLocalModelLargerThanTheMemoryIsRefusedBeforeTheLoad() {
        vars.put("GPTOSS_MODEL", TINY.toString());
        CliEnvironment.Machine small = CliEnvironment.Machine.of(1 << 20, 500 * GIB);
        Outcome o = run(null, small, "generate", "--tokens", "17");
        assertEquals(1, o.code());
        assertTrue(o.err().startsWith("gptoss generate: " + TINY + " does not fit this machine"), o.err());
        vars.put("GPTOSS_SKIP_RESOURCE_CHECK", "1");
        assertEquals(
                0,
                run(null, small, "generate", "--tokens", "17", "--max-tokens", "1")
                        .code());
    }

    @Test
    void aGgufRepositoryWithSeveralFilesNamesThemAndIncludePicksOne() throws Exception {
        hub.add("someone/tiny-GGUF", "tiny-Q4_K_M.gguf", new byte[] {1, 2, 3})
                .add("someone/tiny-GGUF", "tiny-BF16.gguf", weights);
        Outcome o = generate(null, "--model", "someone/tiny-GGUF", "--yes");
        assertEquals(1, o.code());
        assertTrue(
                o.err()
                        .contains("someone/tiny-GGUF holds no safetensors checkpoint but 2 GGUF files "
                                + "(tiny-Q4_K_M.gguf, tiny-BF16.gguf): choose one with --include"),
                o.err());
        Outcome picked = generate(null, "--model", "someone/tiny-GGUF", "--include", "tiny-BF16.gguf", "--yes");
        assertEquals(0, picked.code(), picked.err());
    }

    @Test
    void gptossWithoutACommandStillPrintsHelpAndLoadsNothing() {
        Outcome o = run(null, roomy());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().startsWith("Usage: gptoss"), o.out());
        assertTrue(o.out().contains("chat") && o.out().contains("download"), o.out());
        assertEquals(0, hub.requests.size());
    }

    @Test
    void theConfigFileLivesWhereEachSystemKeepsThem() {
        Path home = Path.of("/home/ada");
        assertEquals(home.resolve(".config/gptoss4j/config.properties"), location(Map.of(), home, "Linux"));
        assertEquals(
                Path.of("/xdg/gptoss4j/config.properties"), location(Map.of("XDG_CONFIG_HOME", "/xdg"), home, "Linux"));
        assertEquals(
                home.resolve(".config/gptoss4j/config.properties"),
                location(Map.of("XDG_CONFIG_HOME", "relative"), home, "Linux"),
                "XDG ignores relative paths");
        assertEquals(
                home.resolve("Library/Application Support/gptoss4j/config.properties"),
                location(Map.of(), home, "Mac OS X"));
        assertEquals(
                Path.of("/appdata/gptoss4j/config.properties"),
                location(Map.of("APPDATA", "/appdata"), home, "Windows 11"));
        assertEquals(
                Path.of("/etc/my.properties"), location(Map.of("GPTOSS_CONFIG", "/etc/my.properties"), home, "Linux"));
    }

    private static Path location(Map<String, String> env, Path home, String os) {
        return UserConfig.location(new CliEnvironment(env, home, os, q -> null, roomy()));
    }

    /** {@code gpt-oss:20b} in an Ollama store as {@code ollama pull} leaves it; returns the model blob. */
    static Path ollamaModel(Path root, byte[] gguf) throws Exception {
        String digest =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(gguf));
        Path blob = Files.write(Files.createDirectories(root.resolve("blobs")).resolve("sha256-" + digest), gguf);
        Path manifest = root.resolve("manifests/registry.ollama.ai/library/gpt-oss/20b");
        Files.createDirectories(manifest.getParent());
        Files.writeString(manifest, """
                {"schemaVersion":2,"layers":[
                  {"mediaType":"application/vnd.ollama.image.model","digest":"sha256:%s","size":%d}]}
                """.formatted(digest, gguf.length));
        return blob;
    }
}
