package dev.gptoss4j.tools.code;

import dev.gptoss4j.agent.tool.ToolResult;
import dev.gptoss4j.tools.sandbox.ExecutionResult;
import dev.gptoss4j.tools.sandbox.SandboxSession;
import java.util.function.Supplier;

/**
 * One conversation's sandbox session behind a code tool: the state a code tool keeps in a tool scope, opened lazily,
 * closed with the scope; results turned into tool results.
 */
final class SandboxCalls implements AutoCloseable {

    private final Supplier<SandboxSession> opener;
    private SandboxSession session;

    SandboxCalls(Supplier<SandboxSession> opener) {
        this.opener = opener;
    }

    synchronized SandboxSession session() {
        if (session == null) session = opener.get();
        return session;
    }

    /** Runs code; a failure in the code is a failed tool result the model reads, never an exception. */
    ToolResult execute(String code) {
        ExecutionResult r = session().execute(code);
        return switch (r.errorKind()) {
            case NONE -> ToolResult.of(r.output());
            case TIMEOUT -> ToolResult.timedOut(r.output());
            case SANDBOX_FAILURE -> ToolResult.crashed(r.output());
            // the code's own doing (a traceback, too much memory, an exit): the model reads it and goes on
            default -> ToolResult.error(r.output());
        };
    }

    @Override
    public synchronized void close() {
        if (session != null) {
            session.close();
            session = null;
        }
    }
}
