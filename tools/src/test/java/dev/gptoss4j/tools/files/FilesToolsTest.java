package dev.gptoss4j.tools.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.backend.ReplayBackend;
import dev.gptoss4j.agent.tool.ApprovalPolicy;
import dev.gptoss4j.agent.tool.Tool;
import dev.gptoss4j.agent.tool.ToolOutcome;
import dev.gptoss4j.agent.tool.ToolRunner;
import dev.gptoss4j.agent.tool.ToolSet;
import dev.gptoss4j.engine.harmony.DeveloperContent;
import dev.gptoss4j.engine.harmony.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workspace tools as the agent runs them. */
class FilesToolsTest {

    @TempDir
    Path root;

    private ToolRunner runner() {
        return new ToolRunner(
                new ToolSet(FilesTools.rootedAt(root)), ApprovalPolicy.allowAll(), Duration.ofSeconds(10), 20_000);
    }

    @Test
    void toolsAreFunctionsAndApplyPatchIsDeclaredAsGptOssDoes() {
        List<Tool> tools = FilesTools.rootedAt(root);
        assertEquals(
                List.of("functions.read_file", "functions.write_file", "functions.list_files", "functions.apply_patch"),
                tools.stream().map(Tool::recipient).toList());
        Tool patch = tools.get(3);
        assertEquals("Patch a file", patch.description());
        assertEquals("string", patch.parameters().get("type").asText());
        assertEquals(
                "Formatted patch code", patch.parameters().get("description").asText());
    }

    @Test
    void writeReadListAndPatchThroughTheRunner() throws Exception {
        ToolRunner r = runner();
        assertEquals(
                "Wrote 6 characters to notes/a.txt",
                r.run("functions.write_file", "{\"path\":\"notes/a.txt\",\"content\":\"a\\nb\\nc\\n\"}", () -> false)
                        .text());
        assertEquals(
                "a\nb\nc\n",
                r.run("functions.read_file", "{\"path\":\"notes/a.txt\"}", () -> false)
                        .text());
        assertEquals(
                "b\nc",
                r.run("functions.read_file", "{\"path\":\"notes/a.txt\",\"start_line\":2}", () -> false)
                        .text());
        assertEquals(
                "notes/\nnotes/a.txt",
                r.run("functions.list_files", "{\"recursive\":true}", () -> false)
                        .text());
        String patch = "*** Begin Patch\n*** Update File: notes/a.txt\n@@\n a\n-b\n+B\n*** End Patch";
        ToolOutcome raw = r.run("functions.apply_patch", patch, () -> false);
        assertEquals(ToolOutcome.Status.OK, raw.status(), raw.text());
        assertEquals("Done!\nM notes/a.txt", raw.text());
        assertEquals("a\nB\nc\n", Files.readString(root.resolve("notes/a.txt")));
        // wrapped in JSON, as models sometimes send it
        String json = "{\"patch\": \"*** Begin Patch\\n*** Delete File: notes/a.txt\\n*** End Patch\"}";
        assertEquals(
                "Done!\nD notes/a.txt",
                r.run("functions.apply_patch", json, () -> false).text());
    }

    @Test
    void refusalsComeBackAsErrorResults() throws Exception {
        ToolRunner r = runner();
        ToolOutcome o = r.run("functions.read_file", "{\"path\":\"../../etc/passwd\"}", () -> false);
        assertEquals(ToolOutcome.Status.FAILED, o.status());
        assertEquals("Error: `../../etc/passwd` leads outside the workspace", o.text());
        ToolOutcome p = r.run(
                "functions.apply_patch", "*** Begin Patch\n*** Update File: x\n@@\n-a\n+b\n*** End Patch", () -> false);
        assertEquals("Error: Update File: x: no such file", p.text());
        ToolOutcome w = r.run("functions.write_file", "{\"path\":\"/tmp/owned\",\"content\":\"x\"}", () -> false);
        assertEquals("Error: `/tmp/owned` is an absolute path; give a path relative to the workspace", w.text());
    }

    @Test
    void anAgentEditsAFile() throws Exception {
        Files.writeString(root.resolve("greet.py"), "def greet():\n    print(\"Hi\")\n");
        String patch = "*** Begin Patch\\n*** Update File: greet.py\\n@@ def greet():\\n-    print(\\\"Hi\\\")\\n"
                + "+    print(\\\"Hello\\\")\\n*** End Patch";
        Agent agent = Agent.builder()
                .backend(ReplayBackend.of(
                        "<|channel|>commentary to=functions.apply_patch <|constrain|>json<|message|>{\"input\": \""
                                + patch + "\"}<|call|>",
                        "<|channel|>final<|message|>Changed the greeting.<|return|>"))
                .instructions(FilesTools.INSTRUCTIONS)
                .tools(FilesTools.rootedAt(root))
                .build();
        DeveloperContent dev =
                (DeveloperContent) agent.preamble().get(1).content().get(0);
        assertTrue(dev.instructions().contains("*** Begin Patch"));
        AgentResult result = agent.run("Make it say Hello.");
        assertTrue(result.completed(), result.stopReason().toString());
        assertEquals("Done!\nM greet.py", result.toolCalls().get(0).result());
        assertEquals("def greet():\n    print(\"Hello\")\n", Files.readString(root.resolve("greet.py")));
        assertTrue(agent.preamble().stream().map(Message::toString).noneMatch(s -> s.contains("namespace files")));
    }
}
