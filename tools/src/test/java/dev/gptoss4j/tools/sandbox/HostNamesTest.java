package dev.gptoss4j.tools.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Guest programs that make the language runtime fail in host code (GraalPy builtins that assume native support,
 * internal helpers called with odd arguments). What the model reads names the problem in the sandbox's terms and
 * never a host class, whether the failure ends the cell or the code catches and prints it.
 */
class HostNamesTest {

    /** Written independently of the sandbox's own filter, so that the test does not check the filter against itself. */
    private static final List<String> HOST_MARKS = List.of(
            "java.",
            "javax.",
            "jdk.",
            "com.oracle",
            "org.graalvm",
            "truffle",
            "NullPointerException",
            "ClassCastException",
            "IllegalStateException",
            "IllegalArgumentException",
            "UnsupportedOperationException",
            "dev.gptoss4j");

    @Test
    void hostExceptionsNeverShowHostClassNames() {
        List<String> programs = List.of(
                "__graalpython__.get_current_rss()",
                "try:\n    __graalpython__.get_current_rss()\nexcept BaseException as e:\n    print(type(e), e)",
                "try:\n    __graalpython__.builtin(1)\nexcept BaseException as e:\n    e",
                "__graalpython__.extend(1)",
                "import socket\nsocket.socket().connect(('127.0.0.1', 9))",
                "import polyglot\npolyglot.import_value('x')");
        List<String> leaks = new ArrayList<>();
        try (SandboxSession s =
                PythonSandbox.builder().timeout(Duration.ofSeconds(60)).build().openSession()) {
            for (String program : programs) {
                s.warmUp();
                ExecutionResult r = s.execute(program);
                String seen = r.output() + "\n" + r.stdout() + "\n" + r.stderr() + "\n" + r.value();
                for (String mark : HOST_MARKS) {
                    if (seen.contains(mark)) {
                        leaks.add(program + "\n  -> " + r.output());
                        break;
                    }
                }
                if (r.errorKind() == ErrorKind.SANDBOX_FAILURE) {
                    assertTrue(r.output().startsWith("SandboxError: the python runtime failed internally"), r.output());
                    assertTrue(r.output().contains("The session was reset"), r.output());
                }
            }
            s.warmUp();
            assertEquals("2", s.execute("1 + 1").output(), "the sandbox works on after its runtime failed");
        }
        assertEquals(List.of(), leaks, "host names the model could read");
    }

    @Test
    void namesTheCodeWroteItselfMayBeQuotedBack() {
        // A refused lookup may say which name was refused: the guest wrote it, so it reveals nothing of the host.
        assertEquals(
                "host symbol java.lang.Runtime is not defined; <internal> failed",
                GuestErrors.scrub(
                        "host symbol java.lang.Runtime is not defined; com.oracle.graal.python.X.f() failed",
                        "java.type('java.lang.Runtime')"));
        // Paths are not class names: the language home sits in a directory named after the polyglot package.
        String home = "'/root/.cache/org.graalvm.polyglot/python/python-home/lib/python3.12/os.py'";
        assertEquals(home, GuestErrors.scrub(home, ""));
        assertEquals("org.graalvm.polyglot/x", GuestErrors.scrub("org.graalvm.polyglot/x", ""));
        assertEquals("failed: <internal>.", GuestErrors.scrub("failed: java.lang.NullPointerException.", ""));
    }
}
