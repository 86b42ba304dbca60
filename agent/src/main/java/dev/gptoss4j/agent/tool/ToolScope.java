package dev.gptoss4j.agent.tool;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The tool state of one conversation: a python notebook's variables and {@code /mnt/data}, a browser's page history,
 * whatever a stateful tool keeps between calls. A conversation (an {@code Agent} run, a chat, a server conversation)
 * creates a scope, every tool call of that conversation runs in it ({@link ToolArguments#scope()}), and closing it
 * closes what the tools kept there (sandboxes included), so the memory goes back.
 *
 * <p>Tools themselves stay shared and immutable; a stateful tool asks the scope for its state:
 *
 * <pre>{@code
 * public ToolResult execute(ToolArguments arguments) {
 *     Notebook notebook = arguments.scopeOr(ownScope).state(this, Notebook::new);  // made on first use
 *     return notebook.run(arguments.raw());
 * }
 * }</pre>
 *
 * <p>States that are {@link AutoCloseable} are closed with the scope, newest first. A scope is safe to use from
 * several threads; after {@link #close()} asking it for state throws {@link IllegalStateException}, which the
 * agent reports to the model as a failed call.
 */
public final class ToolScope implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String id;
    private final Map<Object, Object> states = new LinkedHashMap<>();
    private boolean closed;

    private ToolScope(String id) {
        this.id = id;
    }

    /** A new, empty scope with a random id. */
    public static ToolScope create() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return new ToolScope("scope_" + HexFormat.of().formatHex(bytes));
    }

    /** A random id, unique in practice; for logs, and for naming per-conversation resources. */
    public String id() {
        return id;
    }

    /**
     * The state {@code key} keeps in this scope, made by {@code factory} on first use. Tools use themselves (or the
     * object their calls share, as the three browser tools share one browser) as the key.
     *
     * @throws IllegalStateException when the scope is closed, or the factory made nothing
     */
    public synchronized <S> S state(Object key, Supplier<? extends S> factory) {
        Objects.requireNonNull(key, "key");
        if (closed) throw new IllegalStateException("the tool session " + id + " was closed");
        @SuppressWarnings("unchecked")
        S s = (S) states.get(key);
        if (s == null) {
            s = factory.get();
            if (s == null) throw new IllegalStateException("no tool state was made for " + key);
            states.put(key, s);
        }
        return s;
    }

    /** The state {@code key} keeps here, if it made any yet (and the scope is open). */
    @SuppressWarnings("unchecked")
    public synchronized <S> S existing(Object key) {
        return closed ? null : (S) states.get(key);
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Closes every {@link AutoCloseable} state, newest first; each is closed even when an earlier one fails, and
     * the first failure is thrown afterwards (as an unchecked exception, the others suppressed). Closing twice does
     * nothing.
     */
    @Override
    public void close() {
        List<Object> toClose;
        synchronized (this) {
            if (closed) return;
            closed = true;
            toClose = new ArrayList<>(states.values());
            states.clear();
        }
        RuntimeException failure = null;
        for (Object s : toClose.reversed()) {
            if (!(s instanceof AutoCloseable c)) continue;
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof RuntimeException r
                            ? r
                            : new IllegalStateException("closing tool session " + id + " failed: " + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) throw failure;
    }

    @Override
    public String toString() {
        return id;
    }
}
