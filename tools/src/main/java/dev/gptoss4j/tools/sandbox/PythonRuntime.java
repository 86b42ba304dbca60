package dev.gptoss4j.tools.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/** GraalPy: cells run through {@code python_runner.py}, which gives notebook semantics. */
final class PythonRuntime implements GuestRuntime {

    private static final String RUNNER_RESOURCE = "python_runner.py";
    private static final Source RUNNER = loadRunner();

    private static Source loadRunner() {
        try (InputStream in = PythonRuntime.class.getResourceAsStream(RUNNER_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "missing resource " + RUNNER_RESOURCE + " next to " + PythonRuntime.class);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Source.newBuilder("python", text, "<gptoss4j runner>")
                    .internal(true)
                    .buildLiteral();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RUNNER_RESOURCE, e);
        }
    }

    @Override
    public SandboxLanguage language() {
        return SandboxLanguage.PYTHON;
    }

    @Override
    public void configure(Context.Builder builder) {
        // None: under the CONSTRAINED policy GraalPy accepts no options, and picks its emulated (Java) os module
        // and no native extensions by itself because native access is denied.
    }

    @Override
    public Value prepare(Context context) {
        return context.eval(RUNNER);
    }

    @Override
    public Outcome run(Context context, Value runner, String code, int cellNumber) {
        Value r = runner.execute(code, cellNumber);
        String value =
                r.getArrayElement(0).isNull() ? null : r.getArrayElement(0).asString();
        Value kind = r.getArrayElement(1);
        if (kind.isNull()) {
            return Outcome.success(value);
        }
        ErrorKind errorKind = "syntax".equals(kind.asString()) ? ErrorKind.SYNTAX_ERROR : ErrorKind.EXCEPTION;
        return new Outcome(null, errorKind, r.getArrayElement(2).asString());
    }
}
