package dev.gptoss4j.tools.sandbox;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;

/**
 * One guest context with everything wired to it: captured streams, the sandbox file system and
 * the runner. Built by {@link SandboxPool} ahead of use, owned by one {@link SandboxSession} after.
 *
 * <p>The settings are the whole security story, so each is spelled out even where the
 * CONSTRAINED policy already implies it (ISOLATED and UNTRUSTED need Oracle GraalVM's isolates,
 * which the community build on a stock JDK does not have).
 */
final class SandboxContext implements AutoCloseable {

    final GuestRuntime runtime;
    final Context context;
    final OutputCapture capture;
    final SandboxFileSystem fileSystem;
    final long statementLimit;
    private final Value prepared;
    private final AtomicBoolean statementLimitHit = new AtomicBoolean();

    private SandboxContext(GuestRuntime runtime, Engine engine, long statementLimit) {
        this.runtime = runtime;
        this.statementLimit = statementLimit;
        this.capture = new OutputCapture();
        this.fileSystem = new SandboxFileSystem(new MemoryVolume(SandboxLimits.DEFAULT_FILE_SYSTEM_LIMIT_BYTES));
        Context.Builder b = Context.newBuilder(runtime.language().polyglotId())
                .engine(engine)
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(capture.stdout())
                .err(capture.stderr())
                .in(InputStream.nullInputStream())
                .allowHostAccess(
                        HostAccess.CONSTRAINED) // only what guest code is handed explicitly; we hand it nothing
                .allowHostClassLookup(name -> false)
                .allowHostClassLoading(false)
                .allowNativeAccess(false)
                .allowCreateProcess(false)
                .allowCreateThread(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowInnerContextOptions(false)
                .allowIO(IOAccess.newBuilder()
                        .allowHostSocketAccess(false)
                        .fileSystem(fileSystem.guestView())
                        .build())
                .currentWorkingDirectory(Path.of(MemoryVolume.MOUNT));
        if (statementLimit > 0) {
            b.resourceLimits(ResourceLimits.newBuilder()
                    .statementLimit(statementLimit, source -> !source.isInternal())
                    .onLimit(event -> statementLimitHit.set(true))
                    .build());
        }
        runtime.configure(b);
        this.context = b.build();
        try {
            this.prepared = runtime.prepare(context);
        } catch (RuntimeException e) {
            context.close(true);
            throw e;
        }
    }

    static SandboxContext create(GuestRuntime runtime, Engine engine, long statementLimit) {
        return new SandboxContext(runtime, engine, statementLimit);
    }

    GuestRuntime.Outcome run(String code, int cellNumber) {
        return runtime.run(context, prepared, code, cellNumber);
    }

    /** Starts a call: clears output and, when limited, re-arms the statement budget. */
    void begin(int outputLimitBytes) {
        capture.begin(outputLimitBytes);
        if (statementLimit > 0) {
            statementLimitHit.set(false);
            context.resetLimits();
        }
    }

    /**
     * Interrupts the running guest code without closing the context (its globals stay), waiting at most
     * {@code grace}; false when the guest did not reach a point where it can be interrupted in time.
     */
    boolean interrupt(java.time.Duration grace) {
        try {
            context.interrupt(grace);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (RuntimeException e) {
            return false; // the context is closing or broken: the caller cancels and replaces it
        }
    }

    boolean statementLimitHit() {
        return statementLimitHit.get();
    }

    /** Stops whatever runs and frees the context; safe from any thread and more than once. */
    @Override
    public void close() {
        try {
            context.close(true);
        } catch (RuntimeException ignored) {
            // Closing a context that is already closed or was cancelled mid-way: nothing left to free.
        }
    }
}
