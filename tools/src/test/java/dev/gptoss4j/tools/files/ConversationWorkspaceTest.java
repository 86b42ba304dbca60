package dev.gptoss4j.tools.files;

import static org.junit.jupiter.api.Assertions.*;

import dev.gptoss4j.agent.tool.ApprovalPolicy;
import dev.gptoss4j.agent.tool.ToolOutcome;
import dev.gptoss4j.agent.tool.ToolRunner;
import dev.gptoss4j.agent.tool.ToolScope;
import dev.gptoss4j.agent.tool.ToolSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-conversation workspaces: each conversation its own directory, gone when its scope closes. */
class ConversationWorkspaceTest {

    @TempDir
    Path parent;

    @TempDir
    Path outside;

    private ToolRunner runner() {
        return new ToolRunner(
                new ToolSet(FilesTools.perConversation(parent)),
                ApprovalPolicy.allowAll(),
                Duration.ofSeconds(10),
                20_000);
    }

    private static String write(String path, String content) {
        return "{\"path\": \"" + path + "\", \"content\": \"" + content + "\"}";
    }

    @Test
    void conversationsDoNotSeeEachOthersFilesAndClosingDeletesTheirDirectory() throws Exception {
        ToolRunner runner = runner();
        ToolScope alice = ToolScope.create();
        try (ToolScope bob = ToolScope.create()) {
            assertTrue(runner.run("functions.write_file", write("notes.txt", "alice's"), alice, () -> false)
                    .ok());
            assertTrue(runner.run("functions.write_file", write("notes.txt", "bob's"), bob, () -> false)
                    .ok());
            assertEquals(
                    "alice's",
                    runner.run("functions.read_file", "{\"path\": \"notes.txt\"}", alice, () -> false)
                            .text());
            assertEquals(
                    "bob's",
                    runner.run("functions.read_file", "{\"path\": \"notes.txt\"}", bob, () -> false)
                            .text());
            ToolOutcome climb = runner.run(
                    "functions.read_file", "{\"path\": \"../" + alice.id() + "/notes.txt\"}", bob, () -> false);
            assertFalse(climb.ok(), "bob cannot climb into alice's directory: " + climb.text());

            Path aliceDir = parent.resolve(alice.id());
            assertTrue(Files.isRegularFile(aliceDir.resolve("notes.txt")));
            // a link to a file outside, planted in the conversation's directory, is removed, not followed
            Path precious = Files.writeString(outside.resolve("precious.txt"), "keep me");
            Files.createSymbolicLink(aliceDir.resolve("link"), precious);
            Files.createDirectories(aliceDir.resolve("deep/er"));
            Files.writeString(aliceDir.resolve("deep/er/x.txt"), "x");
            alice.close();
            assertFalse(Files.exists(aliceDir), "closing the scope deleted the conversation's directory");
            assertEquals("keep me", Files.readString(precious));
            assertTrue(Files.isRegularFile(parent.resolve(bob.id()).resolve("notes.txt")), "bob's is untouched");
        }
        try (var left = Files.list(parent)) {
            assertEquals(0, left.count(), "both directories are gone");
        }
    }

    @Test
    void aCallOutsideAnyConversationIsRefusedAndNothingIsMade() throws Exception {
        ToolOutcome unscoped = runner().run("functions.write_file", write("a.txt", "x"), () -> false);
        assertFalse(unscoped.ok());
        assertTrue(unscoped.text().contains("belongs to a conversation"), unscoped.text());
        try (var left = Files.list(parent)) {
            assertEquals(0, left.count());
        }
        assertThrows(IllegalArgumentException.class, () -> FilesTools.perConversation(parent.resolve("missing")));
    }
}
