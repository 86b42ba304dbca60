package dev.gptoss4j.tools.code;

import static org.junit.jupiter.api.Assertions.*;

import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.ToolCall;
import dev.gptoss4j.agent.backend.ReplayBackend;
import dev.gptoss4j.agent.tool.ToolDescriptions;
import dev.gptoss4j.agent.tool.ToolSet;
import dev.gptoss4j.engine.harmony.ToolNamespaceConfig;
import dev.gptoss4j.tools.sandbox.JavaScriptSandbox;
import dev.gptoss4j.tools.sandbox.PythonSandbox;
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
        try (PythonTool python = PythonTool.of(PythonSandbox.builder().timeout(Duration.ofSeconds(30)).build())) {
            Agent agent = Agent.builder().backend(ReplayBackend.of(first, second, done)).tools(List.of(python)).build();
            AgentResult result = agent.run("compute");
            assertEquals("done", result.finalText());
            List<ToolCall> calls = result.toolCalls();
            assertEquals(2, calls.size());
            assertTrue(calls.get(0).result().contains("42"), calls.get(0).result());
            assertEquals("43", calls.get(1).result().strip(), "the variable survived between calls");
            byte[] file = python.session().readFile("/mnt/data/answer.txt").orElseThrow();
            assertEquals("42", new String(file, StandardCharsets.UTF_8), "the host reads back what the code wrote");
        }
    }

    @Test
    void aPythonErrorIsAToolResultAndTheRunGoesOn() {
        String bad = "<|channel|>analysis to=python code<|message|>open('/etc/passwd').read()<|call|>";
        String done = "<|channel|>final<|message|>could not read it<|return|>";
        try (PythonTool python = PythonTool.of(PythonSandbox.builder().timeout(Duration.ofSeconds(30)).build())) {
            AgentResult result = Agent.builder().backend(ReplayBackend.of(bad, done)).tools(List.of(python)).build()
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
        try (JavaScriptTool js = JavaScriptTool.of(JavaScriptSandbox.builder().timeout(Duration.ofSeconds(30)).build())) {
            AgentResult result = Agent.builder().backend(ReplayBackend.of(callJs, done)).tools(List.of(js)).build()
                    .run("sort");
            ToolCall call = result.toolCalls().get(0);
            assertEquals("functions.javascript", call.recipient());
            assertTrue(call.result().contains("1-2-3"), call.result());
        }
    }

    @Test
    void pythonNamespaceAnnouncesTheSandboxesRealTimeout() {
        try (PythonTool python = PythonTool.of(PythonSandbox.builder().timeout(Duration.ofSeconds(45)).build())) {
            List<ToolNamespaceConfig> builtIns = ToolDescriptions.builtIns(new ToolSet(List.of(python)));
            assertEquals(1, builtIns.size());
            assertEquals("python", builtIns.get(0).name());
            String text = builtIns.get(0).description();
            assertTrue(text.contains("time out after 45.0 seconds"), text);
            assertTrue(text.contains("Internet access for this session is disabled"), text);
        }
    }
}
