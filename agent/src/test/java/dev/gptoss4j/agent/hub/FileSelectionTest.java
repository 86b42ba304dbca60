package dev.gptoss4j.agent.hub;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class FileSelectionTest {

    @Test
    void defaultsAreTheTopLevelCheckpoint() {
        FileSelection d = FileSelection.defaults();
        for (String f : List.of(
                "config.json",
                "generation_config.json",
                "model.safetensors.index.json",
                "model-00000-of-00002.safetensors",
                "tokenizer.json",
                "tokenizer_config.json",
                "special_tokens_map.json",
                "chat_template.jinja")) {
            assertTrue(d.matches(f), f);
        }
        for (String f : List.of(
                "original/model.safetensors",
                "original/config.json",
                "metal/model.bin",
                "README.md",
                ".gitattributes",
                "LICENSE")) {
            assertFalse(d.matches(f), f);
        }
    }

    @Test
    void patternsAddFilesWithHubGlobRules() {
        FileSelection s = FileSelection.defaultsPlus(List.of("original/*"));
        assertTrue(s.matches("original/model.safetensors"));
        assertTrue(s.matches("config.json"));
        assertFalse(s.matches("metal/model.bin"));
        assertTrue(FileSelection.only(List.of("metal/")).matches("metal/model.bin"), "a folder means its content");
        assertTrue(
                FileSelection.only(List.of("*.safetensors")).matches("original/model.safetensors"),
                "* crosses folders as in fnmatch");
        assertTrue(FileSelection.only(List.of("model-0000[01]-*")).matches("model-00001-of-00002.safetensors"));
        assertFalse(FileSelection.only(List.of("model-0000[!01]-*")).matches("model-00001-of-00002.safetensors"));
        assertFalse(FileSelection.only(List.of("config.json")).matches("generation_config.json"));
        assertFalse(FileSelection.only(List.of("a.b")).matches("axb"), "dots are literal");
        assertThrows(IllegalArgumentException.class, () -> FileSelection.only(List.of()));
    }

    @Test
    void repoIdsParse() {
        assertEquals(new RepoId("openai/gpt-oss-20b", "main"), RepoId.parse("openai/gpt-oss-20b"));
        RepoId r = RepoId.parse("openai/gpt-oss-20b@refs/pr/1");
        assertEquals("refs/pr/1", r.revision());
        assertEquals("models--openai--gpt-oss-20b", r.folderName());
        assertTrue(RepoId.parse("a/b@" + "0123456789abcdef0123456789abcdef01234567")
                .isCommit());
        for (String bad : List.of("gpt-oss", "a/b/c", "a--x/b", "a/..", "/abs", "a/b@../x", "a b/c")) {
            assertThrows(IllegalArgumentException.class, () -> RepoId.parse(bad), bad);
            assertFalse(RepoId.looksLikeRepoId(bad) && !bad.contains("@"), bad);
        }
    }
}
