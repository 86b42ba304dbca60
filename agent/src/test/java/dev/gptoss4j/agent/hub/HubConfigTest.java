package dev.gptoss4j.agent.hub;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubConfigTest {

    @TempDir
    Path tmp;

    @Test
    void defaultsFollowHuggingFaceTools() {
        Path home = tmp.resolve("home");
        HubConfig c = HubConfig.fromEnvironment(Map.of(), home);
        assertEquals("https://huggingface.co", c.endpoint());
        assertEquals(home.resolve(".cache/huggingface/hub"), c.cacheDir());
        assertNull(c.token());
        assertFalse(c.offline());
        assertEquals(home.resolve(".ollama/models"), c.ollamaModels().get(0));
    }

    @Test
    void variablesOverrideInTheirOrder() throws Exception {
        Path home = tmp.resolve("home");
        assertEquals(
                tmp.resolve("xdg/huggingface/hub"),
                HubConfig.fromEnvironment(
                                Map.of("XDG_CACHE_HOME", tmp.resolve("xdg").toString()), home)
                        .cacheDir());
        Path hfHome = Files.createDirectories(tmp.resolve("hf"));
        Files.writeString(hfHome.resolve("token"), "hf_from_file\n");
        HubConfig c = HubConfig.fromEnvironment(
                Map.of(
                        "HF_HOME",
                        hfHome.toString(),
                        "HF_ENDPOINT",
                        "http://mirror.local/hf/",
                        "HF_HUB_OFFLINE",
                        "1",
                        "OLLAMA_MODELS",
                        "~/models"),
                home);
        assertEquals(hfHome.resolve("hub"), c.cacheDir());
        assertEquals("hf_from_file", c.token(), "huggingface-cli login's token file");
        assertEquals("http://mirror.local/hf", c.endpoint());
        assertTrue(c.offline());
        assertEquals(List.of(home.resolve("models")), c.ollamaModels());

        HubConfig env = HubConfig.fromEnvironment(
                Map.of(
                        "HF_HOME",
                        hfHome.toString(),
                        "HF_TOKEN",
                        "hf_env",
                        "HF_HUB_CACHE",
                        tmp.resolve("c").toString(),
                        "HF_HUB_OFFLINE",
                        "0"),
                home);
        assertEquals("hf_env", env.token(), "HF_TOKEN beats the file");
        assertEquals(tmp.resolve("c"), env.cacheDir());
        assertFalse(env.offline());
        assertFalse(env.toString().contains("hf_env"), "toString hides the token");
    }
}
