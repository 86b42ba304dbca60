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
    /** The state of calls made outside any conversation's scope (the tool executed directly). */
    private final ToolScope own = ToolScope.create();

    private JavaScriptTool(JavaScriptSandbox sandbox) {
        this.sandbox = sandbox;
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
        return calls(arguments.scopeOr(own)).execute(arguments.text("code"));
    }

    /**
     * The sandbox session this tool keeps in {@code scope} (opened on first use): where to read the files the code
     * of that conversation wrote.
     */
    public SandboxSession session(ToolScope scope) {
        return calls(scope).session();
    }

    /** The session of the calls made outside any conversation's scope. */
    public SandboxSession session() {
        return session(own);
    }

    private SandboxCalls calls(ToolScope scope) {
        return scope.state(this, () -> new SandboxCalls(sandbox::openSession));
    }

    @Override
    public void close() {
        own.close();
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
