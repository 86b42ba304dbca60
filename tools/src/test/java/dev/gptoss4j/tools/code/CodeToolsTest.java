package dev.gptoss4j.tools.code;

import static org.junit.jupiter.api.Assertions.*;

import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.ToolCall;
import dev.gptoss4j.agent.backend.ReplayBackend;
import dev.gptoss4j.agent.tool.ApprovalPolicy;
import dev.gptoss4j.agent.tool.ToolDescriptions;
import dev.gptoss4j.agent.tool.ToolOutcome;
import dev.gptoss4j.agent.tool.ToolRunner;
import dev.gptoss4j.agent.tool.ToolScope;
import dev.gptoss4j.agent.tool.ToolSet;
import dev.gptoss4j.engine.harmony.ToolNamespaceConfig;
import dev.gptoss4j.tools.sandbox.JavaScriptSandbox;
import dev.gptoss4j.tools.sandbox.PythonSandbox;
import dev.gptoss4j.tools.sandbox.SandboxSession;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sandboxes as agent tools: the loop runs what the (replayed) model wrote and feeds the output back. */
class CodeToolsTest {

    @Test
    void pythonStateAndFilesPersistAcrossCallsOfOneConversation() {
        String first = "<|channel|>analysis to=python code<|message|>"
                + "x = 6 * 7\nopen('/mnt/data/answer.txt', 'w').close()\n"
                + "with open('/mnt/data/answer.txt', 'w') as f:\n    f.write(str(x))\nx<|call|>";
        String second = "<|channel|>analysis to=python code<|message|>print(x + 1)<|call|>";
        String done = "<|channel|>final<|message|>done<|return|>";
        try (PythonTool python = PythonTool.of(
                        PythonSandbox.builder().timeout(Duration.ofSeconds(30)).build());
                ToolScope scope = ToolScope.create()) {
            Agent agent = Agent.builder()
                    .backend(ReplayBackend.of(first, second, done))
                    .tools(List.of(python))
                    .build();
            AgentResult result = agent.run("compute", scope);
            assertEquals("done", result.finalText());
            List<ToolCall> calls = result.toolCalls();
            assertEquals(2, calls.size());
            assertTrue(calls.get(0).result().contains("42"), calls.get(0).result());
            assertEquals("43", calls.get(1).result().strip(), "the variable survived between calls");
            byte[] file = python.session(scope).readFile("/mnt/data/answer.txt").orElseThrow();
            assertEquals("42", new String(file, StandardCharsets.UTF_8), "the host reads back what the code wrote");
        }
    }

    @Test
    void aPythonErrorIsAToolResultAndTheRunGoesOn() {
        String bad = "<|channel|>analysis to=python code<|message|>open('/etc/passwd').read()<|call|>";
        String done = "<|channel|>final<|message|>could not read it<|return|>";
        try (PythonTool python = PythonTool.of(
                PythonSandbox.builder().timeout(Duration.ofSeconds(30)).build())) {
            AgentResult result = Agent.builder()
                    .backend(ReplayBackend.of(bad, done))
                    .tools(List.of(python))
                    .build()
                    .run("read the password file");
            assertEquals("could not read it", result.finalText());
            ToolCall call = result.toolCalls().get(0);
            assertFalse(call.ok());
            assertTrue(call.result().contains("PermissionError"), call.result());
        }
    }

    @Test
    void javascriptIsAFunctionToolWithCodeArgument() {
        String callJs = "<|channel|>commentary to=functions.javascript <|constrain|>json<|message|>"
                + "{\"code\":\"const a = [3, 1, 2]; a.sort(); a.join('-')\"}<|call|>";
        String done = "<|channel|>final<|message|>sorted<|return|>";
        try (JavaScriptTool js = JavaScriptTool.of(
                JavaScriptSandbox.builder().timeout(Duration.ofSeconds(30)).build())) {
            AgentResult result = Agent.builder()
                    .backend(ReplayBackend.of(callJs, done))
                    .tools(List.of(js))
                    .build()
                    .run("sort");
            ToolCall call = result.toolCalls().get(0);
            assertEquals("functions.javascript", call.recipient());
            assertTrue(call.result().contains("1-2-3"), call.result());
        }
    }

    @Test
    void pythonNamespaceAnnouncesTheSandboxesRealTimeout() {
        try (PythonTool python = PythonTool.of(
                PythonSandbox.builder().timeout(Duration.ofSeconds(45)).build())) {
            List<ToolNamespaceConfig> builtIns = ToolDescriptions.builtIns(new ToolSet(List.of(python)));
            assertEquals(1, builtIns.size());
            assertEquals("python", builtIns.get(0).name());
            String text = builtIns.get(0).description();
            assertTrue(text.contains("time out after 45.0 seconds"), text);
            assertTrue(text.contains("Internet access for this session is disabled"), text);
        }
    }

    @Test
    void twoConversationsOfOnePythonToolShareNoVariablesOrFilesAndClosingOneFreesItsSession() {
        // generous: the timeout covers each conversation's sandbox start, slow on a loaded machine
        try (PythonTool python = PythonTool.of(
                        PythonSandbox.builder().timeout(Duration.ofSeconds(120)).build());
                ToolScope alice = ToolScope.create();
                ToolScope bob = ToolScope.create()) {
            ToolRunner runner = new ToolRunner(
                    new ToolSet(List.of(python)), ApprovalPolicy.allowAll(), Duration.ofSeconds(150), 10_000);
            ToolOutcome write = runner.run(
                    "python",
                    "secret = 'alice-42'\n" + "open('/mnt/data/secret.txt', 'w').write(secret)",
                    alice,
                    () -> false);
            assertTrue(write.ok(), write.text());
            ToolOutcome peek = runner.run("python", "print(secret)", bob, () -> false);
            assertTrue(peek.text().contains("NameError"), peek.text());
            ToolOutcome ls =
                    runner.run("python", "import os\nprint(sorted(os.listdir('/mnt/data')))", bob, () -> false);
            assertEquals("[]", ls.text().strip(), "bob's /mnt/data is his own");
            assertTrue(python.session(bob).readFile("/mnt/data/secret.txt").isEmpty());
            assertEquals(
                    "alice-42",
                    runner.run("python", "print(secret)", alice, () -> false)
                            .text()
                            .strip());
            ToolOutcome unscoped = runner.run("python", "print(secret)", () -> false);
            assertTrue(unscoped.text().contains("NameError"), "the tool's own session is a third one");

            SandboxSession aliceSession = python.session(alice);
            alice.close();
            assertThrows(
                    IllegalStateException.class,
                    () -> aliceSession.execute("1"),
                    "closing the scope closed its sandbox session");
            ToolOutcome after = runner.run("python", "print(secret)", alice, () -> false);
            assertFalse(after.ok());
            assertTrue(after.text().contains("closed"), after.text());
            assertEquals(
                    "[]",
                    runner.run("python", "print(sorted(os.listdir('/mnt/data')))", bob, () -> false)
                            .text()
                            .strip(),
                    "bob's notebook is untouched by alice's closing");
        }
    }
}
