package dev.gptoss4j.agent.hub;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OllamaStoreTest {

    @TempDir
    Path root;

    @Test
    void findsTheModelLayerBlobUnderEveryNameForm() throws Exception {
        Path blob = FakeOllama.model(root, "gpt-oss", "20b", 1000);
        OllamaStore store = new OllamaStore(List.of(root.resolve("missing"), root));
        for (String name : List.of(
                "gpt-oss:20b", "library/gpt-oss:20b", "registry.ollama.ai/library/gpt-oss:20b", "GPT-OSS:20B")) {
            assertEquals(blob, store.find(name).orElseThrow(() -> new AssertionError(name)), name);
        }
        assertTrue(store.find("gpt-oss:120b").isEmpty());
        assertTrue(store.find("gpt-oss").isEmpty(), "means gpt-oss:latest, not pulled");
        assertTrue(store.find("../gpt-oss:20b").isEmpty());
    }

    @Test
    void latestIsTheDefaultTag() throws Exception {
        Path blob = FakeOllama.model(root, "gpt-oss", "latest", 500);
        assertEquals(blob, new OllamaStore(List.of(root)).find("gpt-oss").orElseThrow());
    }

    @Test
    void unfinishedOrForeignBlobsAreNotUsed() throws Exception {
        Path blob = FakeOllama.model(root, "gpt-oss", "20b", 1000);
        OllamaStore store = new OllamaStore(List.of(root));
        Files.write(blob, new byte[500]); // a pull cut short: size differs from the manifest's
        assertTrue(store.find("gpt-oss:20b").isEmpty());
        Files.write(blob, new byte[1000]); // right size, not a GGUF file
        assertTrue(store.find("gpt-oss:20b").isEmpty());
        Files.delete(blob);
        assertTrue(store.find("gpt-oss:20b").isEmpty());
        Files.writeString(root.resolve("manifests/registry.ollama.ai/library/gpt-oss/20b"), "{not json");
        assertTrue(store.find("gpt-oss:20b").isEmpty());
    }

    @Test
    void namesAreRecognised() {
        assertTrue(OllamaStore.looksLikeName("gpt-oss:20b"));
        assertTrue(OllamaStore.looksLikeName("someone/model:q4"));
        assertFalse(OllamaStore.looksLikeName("openai/gpt-oss-20b"));
        assertFalse(OllamaStore.looksLikeName("/models/x.gguf"));
        assertArrayEquals(
                new String[] {"registry.ollama.ai", "library", "gpt-oss", "latest"}, OllamaStore.parse("gpt-oss"));
        assertArrayEquals(
                new String[] {"example.com", "me", "m", "t"}, OllamaStore.parse("https://example.com/me/m:t"));
    }
}
