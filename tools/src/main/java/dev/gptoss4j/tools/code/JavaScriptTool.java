package dev.gptoss4j.tools.code;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.agent.tool.Tool;
import dev.gptoss4j.agent.tool.ToolArguments;
import dev.gptoss4j.agent.tool.ToolResult;
import dev.gptoss4j.agent.tool.ToolScope;
import dev.gptoss4j.tools.sandbox.JavaScriptSandbox;
import dev.gptoss4j.tools.sandbox.SandboxSession;

/**
 * A {@code functions.javascript} tool: gpt-oss has no trained JavaScript built-in, so this one is an ordinary
 * function tool taking {@code {"code": "..."}}, run in a sandboxed, stateful GraalJS session.
 *
 * <p>Each {@link ToolScope} (conversation) gets its own session, freed when the scope closes; calls outside any scope
 * share one of the tool's own, freed by {@link #close()}.
 */
public final class JavaScriptTool implements Tool, AutoCloseable {

    private static final JsonNode PARAMETERS = parameters("JavaScript source to run; the value of the last "
            + "expression is shown, as are console.log and console.error output.");

    private final JavaScriptSandbox sandbox;
    private final ScopedSessions sessions;

    private JavaScriptTool(JavaScriptSandbox sandbox) {
        this.sandbox = sandbox;
        this.sessions = new ScopedSessions(sandbox::openSession);
    }

    /** A javascript tool with the default limits on the shared sandbox pool. */
    public static JavaScriptTool create() {
        return of(JavaScriptSandbox.create());
    }

    public static JavaScriptTool of(JavaScriptSandbox sandbox) {
        return new JavaScriptTool(sandbox);
    }

    @Override
    public String name() {
        return "javascript";
    }

    @Override
    public String description() {
        return sandbox.description();
    }

    @Override
    public JsonNode parameters() {
        return PARAMETERS;
    }

    @Override
    public ToolResult execute(ToolArguments arguments) {
        return sessions.execute(arguments, arguments.text("code"));
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

    private static JsonNode parameters(String codeDescription) {
        var json = new ObjectMapper();
        var schema = json.createObjectNode().put("type", "object");
        schema.putObject("properties").putObject("code").put("type", "string").put("description", codeDescription);
        schema.putArray("required").add("code");
        schema.put("additionalProperties", false);
        return schema;
    }
}
