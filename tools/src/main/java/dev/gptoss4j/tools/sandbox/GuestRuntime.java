package dev.gptoss4j.tools.sandbox;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;

/** What differs between guest languages: options, the per-context prelude, and running one cell. */
interface GuestRuntime {

    /** The outcome of a cell that ran without being stopped by the host. */
    record Outcome(String value, ErrorKind errorKind, String error) {
        static Outcome success(String value) {
            return new Outcome(value, ErrorKind.NONE, null);
        }
    }

    SandboxLanguage language();

    /** Language options on top of the common sandbox settings. */
    void configure(Context.Builder builder);

    /** Runs once per context, before it is handed out; returns what {@link #run} needs (a runner function). */
    Value prepare(Context context);

    /** Runs a cell; a guest error is part of the outcome, host-side stops surface as PolyglotException. */
    Outcome run(Context context, Value prepared, String code, int cellNumber);

    static GuestRuntime of(SandboxLanguage language) {
        return switch (language) {
            case PYTHON -> new PythonRuntime();
            case JAVASCRIPT -> new JavaScriptRuntime();
        };
    }
}
