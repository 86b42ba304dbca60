package dev.gptoss4j.tools.code;

import dev.gptoss4j.agent.tool.ToolArguments;
import dev.gptoss4j.agent.tool.ToolResult;
import dev.gptoss4j.agent.tool.ToolScope;
import dev.gptoss4j.tools.sandbox.SandboxSession;
import java.util.function.Supplier;

/**
 * A code tool's sessions, one per {@link ToolScope} (conversation), opened on first use and closed with the scope;
 * calls made outside any scope share one session of the tool's own, closed by {@link #close()}. Both code tools keep
 * their notebooks this way, so it is written once.
 */
final class ScopedSessions implements AutoCloseable {

    private final Supplier<SandboxSession> opener;
    /** The state of calls made outside any conversation's scope (the tool executed directly). */
    private final ToolScope own = ToolScope.create();

    ScopedSessions(Supplier<SandboxSession> opener) {
        this.opener = opener;
    }

    /** Runs {@code code} in the session of the call's scope. */
    ToolResult execute(ToolArguments arguments, String code) {
        return calls(arguments.scopeOr(own)).execute(code);
    }

    SandboxSession session(ToolScope scope) {
        return calls(scope).session();
    }

    SandboxSession session() {
        return session(own);
    }

    private SandboxCalls calls(ToolScope scope) {
        return scope.state(this, () -> new SandboxCalls(opener));
    }

    @Override
    public void close() {
        own.close();
    }
}
