package dev.gptoss4j.tools.code;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gptoss4j.agent.tool.Tool;
import dev.gptoss4j.agent.tool.ToolArguments;
import dev.gptoss4j.agent.tool.ToolResult;
import dev.gptoss4j.agent.tool.ToolScope;
import dev.gptoss4j.tools.sandbox.PythonSandbox;
import dev.gptoss4j.tools.sandbox.SandboxSession;

/**
 * The built-in {@code python} tool gpt-oss was trained on: the model writes code as the message body (no JSON),
 * it runs in a sandboxed, stateful GraalPy session, and the notebook-style output goes back to the model.
 *
 * <p>The notebook belongs to the conversation, not to the tool: each {@link ToolScope} (an agent run, a chat, a
 * server conversation) gets its own GraalPy context, whose variables and {@code /mnt/data} files persist across the
 * calls in that scope and are freed when the scope closes. One tool instance serves any number of conversations.
 * Read the files the code wrote through {@link #session(ToolScope)}. Calls outside any scope share one session of
 * the tool's own, closed by {@link #close()}.
 */
public final class PythonTool implements Tool, AutoCloseable {

    private final PythonSandbox sandbox;
    private final ScopedSessions sessions;

    private PythonTool(PythonSandbox sandbox) {
        this.sandbox = sandbox;
        this.sessions = new ScopedSessions(sandbox::openSession);
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
        return sessions.execute(arguments, arguments.raw());
    }

    /**
     * The sandbox session this tool keeps in {@code scope} (opened on first use): where to read the files the code
     * of that conversation wrote.
     */
    public SandboxSession session(ToolScope scope) {
        return sessions.session(scope);
    }

    /** The session of the calls made outside any conversation's scope. */
    public SandboxSession session() {
        return sessions.session();
    }

    @Override
    public void close() {
        sessions.close();
    }
}
