package dev.gptoss4j.tools.code;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gptoss4j.agent.tool.Tool;
import dev.gptoss4j.agent.tool.ToolArguments;
import dev.gptoss4j.agent.tool.ToolResult;
import dev.gptoss4j.tools.sandbox.PythonSandbox;

/**
 * The built-in {@code python} tool gpt-oss was trained on: the model writes code as the message body (no JSON),
 * it runs in a sandboxed, stateful GraalPy session, and the notebook-style output goes back to the model.
 *
 * <p>One instance is one conversation's notebook: variables and files in {@code /mnt/data} persist across calls
 * until {@link #close()}. Read the files the code wrote through {@link #session()}.
 */
public final class PythonTool implements Tool, AutoCloseable {

    private final PythonSandbox sandbox;
    private final SandboxCalls calls;

    private PythonTool(PythonSandbox sandbox) {
        this.sandbox = sandbox;
        this.calls = new SandboxCalls(sandbox::openSession);
    }

    /** A python tool with the default limits (120 s timeout) on the shared sandbox pool. */
    public static PythonTool create() {
        return of(PythonSandbox.create());
    }

    /** A python tool over a sandbox configured with {@link PythonSandbox#builder()}. */
    public static PythonTool of(PythonSandbox sandbox) {
        return new PythonTool(sandbox);
    }

    @Override
    public String namespace() {
        return "python";
    }

    @Override
    public String name() {
        return "python";
    }

    @Override
    public String description() {
        return sandbox.description();
    }

    /** The trained text, with this sandbox's real timeout and network facts. */
    @Override
    public String namespaceDescription() {
        return sandbox.description();
    }

    /** The python tool takes code, not JSON. */
    @Override
    public JsonNode parameters() {
        return null;
    }

    @Override
    public ToolResult execute(ToolArguments arguments) {
        return calls.execute(arguments.raw());
    }

    /** This conversation's sandbox session (opened on first use). */
    public dev.gptoss4j.tools.sandbox.SandboxSession session() {
        return calls.session();
    }

    @Override
    public void close() {
        calls.close();
    }
}
