package dev.gptoss4j.tools.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Tests that run their cells in one session for the whole class (interpreters are slow to start), so each test
 * uses its own variable names. A canary variable, set first, shows that a refused cell left the session's state
 * alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SharedSessionTest {

    private final String canaryAssignment;
    private String canaryShown;
    SandboxSession session;

    /** @param canaryAssignment the language's statement that sets {@code canary} to {@code 'alive'} */
    SharedSessionTest(String canaryAssignment) {
        this.canaryAssignment = canaryAssignment;
    }

    /** Opens the session the class shares. */
    abstract SandboxSession openSession();

    @BeforeAll
    void start() {
        session = openSession();
        ok(canaryAssignment);
        canaryShown = ok("canary").output();
    }

    @AfterAll
    void stop() {
        session.close();
    }

    ExecutionResult ok(String code) {
        ExecutionResult r = session.execute(code);
        assertEquals(ErrorKind.NONE, r.errorKind(), () -> "unexpected error for " + code + ":\n" + r.output());
        return r;
    }

    /** Runs an attack, checks its error text, and checks that the session still has its state. */
    ExecutionResult refused(String code, String expected) {
        ExecutionResult r = session.execute(code);
        assertEquals(ErrorKind.EXCEPTION, r.errorKind(), () -> code + " was not refused:\n" + r.output());
        assertTrue(r.output().contains(expected), () -> code + " gave:\n" + r.output());
        assertFalse(r.sessionReset());
        assertEquals(canaryShown, session.execute("canary").output());
        return r;
    }
}
