package dev.gptoss4j.tools.code;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.agent.tool.Tool;
import dev.gptoss4j.agent.tool.ToolArguments;
import dev.gptoss4j.agent.tool.ToolResult;
import dev.gptoss4j.tools.sandbox.JavaScriptSandbox;
import dev.gptoss4j.tools.sandbox.SandboxSession;

/**
 * A {@code functions.javascript} tool: gpt-oss has no trained JavaScript built-in, so this one is an ordinary
 * function tool taking {@code {"code": "..."}}, run in a sandboxed, stateful GraalJS session.
 *
 * <p>One instance is one conversation's session; {@link #close()} frees it.
 */
public final class JavaScriptTool implements Tool, AutoCloseable {

    private static final JsonNode PARAMETERS = parameters("JavaScript source to run; the value of the last "
            + "expression is shown, as are console.log and console.error output.");

    private final JavaScriptSandbox sandbox;
    private final SandboxCalls calls;

    private JavaScriptTool(JavaScriptSandbox sandbox) {
        this.sandbox = sandbox;
        this.calls = new SandboxCalls(sandbox::openSession);
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
        return calls.execute(arguments.text("code"));
    }

    /** This conversation's sandbox session (opened on first use). */
    public SandboxSession session() {
        return calls.session();
    }

    @Override
    public void close() {
        calls.close();
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
