package dev.gptoss4j.tools.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Notebook behaviour of the python sandbox. GraalPy contexts are slow to start on a stock JDK, so
 * the class shares one session; each test uses its own variable names.
 */
class PythonSandboxTest extends SharedSessionTest {

    PythonSandbox python;

    PythonSandboxTest() {
        super("canary = 'alive'");
    }

    @Override
    SandboxSession openSession() {
        // Generous: imports in the interpreter are slow on a loaded machine; the limits have their own tests.
        python = PythonSandbox.builder()
                .pool(SandboxPool.shared())
                .timeout(Duration.ofSeconds(60))
                .build();
        return python.openSession();
    }

    @Test
    void variablesImportsAndFunctionsPersistAndTheLastExpressionIsShown() {
        ExecutionResult first = ok("import math\nradius = 2\ndef area(r):\n    return math.pi * r * r");
        assertEquals("", first.output());
        assertNull(first.value());
        ExecutionResult second = ok("round(area(radius), 3)");
        assertEquals("12.566", second.output());
        assertEquals("12.566", second.value());
        assertEquals("'text'", ok("'te' + 'xt'").output()); // repr, as a notebook shows it
        assertEquals("", ok("None").output());
        assertEquals(
                "[1, 4, 9]",
                ok("squares = [i * i for i in range(1, 4)]\nsquares").output());
    }

    @Test
    void stdoutAndStderrAreCapturedSeparatelyAndTogether() {
        ExecutionResult r = ok("import sys\nprint('to out')\nprint('to err', file=sys.stderr)\n7 * 6");
        assertEquals("to out\n", r.stdout());
        assertEquals("to err\n", r.stderr());
        assertEquals("to out\nto err\n42", r.output());
    }

    @Test
    void exceptionsComeBackAsTracebacksAndStateSurvives() {
        ok("kept = 'still here'");
        ExecutionResult r = session.execute("def boom():\n    return 1 / 0\nboom()");
        assertEquals(ErrorKind.EXCEPTION, r.errorKind());
        assertTrue(r.output().startsWith("Traceback (most recent call last):"), r.output());
        assertTrue(r.output().contains("File \"<cell"), r.output());
        assertTrue(r.output().contains("return 1 / 0"), r.output()); // the offending line is quoted
        assertTrue(r.output().endsWith("ZeroDivisionError: division by zero"), r.output());
        assertFalse(r.sessionReset());
        assertEquals("'still here'", ok("kept").output());
    }

    @Test
    void syntaxErrorsRunNothing() {
        ExecutionResult r = session.execute("never_set = 1\ndef broken(:");
        assertEquals(ErrorKind.SYNTAX_ERROR, r.errorKind());
        assertTrue(r.output().contains("SyntaxError"), r.output());
        assertEquals(ErrorKind.EXCEPTION, session.execute("never_set").errorKind());
    }

    @Test
    void outputIsCappedWithANoteOfWhatWasCut() {
        try (SandboxSession small = PythonSandbox.builder()
                .timeout(Duration.ofSeconds(60))
                .outputLimitBytes(100)
                .build()
                .openSession()) {
            ExecutionResult r = small.execute("print('a' * 250)");
            assertEquals(ErrorKind.NONE, r.errorKind(), r.output());
            assertEquals("a".repeat(100), r.stdout());
            assertEquals(151, r.truncatedBytes()); // 250 letters and a newline, 100 kept
            assertTrue(r.output().contains("151 more bytes of output were cut"), r.output());
        }
    }

    @Test
    void filesUnderMntDataAreSharedWithTheHost() {
        session.writeFile("input/numbers.txt", "1 2 3 4".getBytes(StandardCharsets.UTF_8));
        ok("import os\nnums = [int(x) for x in open('/mnt/data/input/numbers.txt').read().split()]\n"
                + "with open('sum.txt', 'w') as f:\n    f.write(str(sum(nums)))");
        assertArrayEquals(
                "10".getBytes(StandardCharsets.UTF_8),
                session.readFile("/mnt/data/sum.txt").orElseThrow());
        assertTrue(session.files().containsKey("/mnt/data/input/numbers.txt"));
        assertEquals("'/mnt/data'", ok("os.getcwd()").output());
        assertThrows(IllegalArgumentException.class, () -> session.readFile("/etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> session.writeFile("../escape.txt", new byte[1]));
    }

    @Test
    void descriptionIsTheTrainedTextWithOurFacts() {
        String d = python.description();
        assertTrue(d.startsWith("Use this tool to execute Python code in your chain of thought."), d);
        assertTrue(d.contains("stateful Jupyter notebook environment"), d);
        assertTrue(d.contains("time out after 60.0 seconds"), d);
        assertTrue(d.contains("The drive at '/mnt/data' can be used to save and persist user files."), d);
        assertTrue(d.contains("Internet access for this session is disabled."), d);
        assertTrue(PythonSandbox.builder().build().description().contains("time out after 120.0 seconds"));
        assertEquals("python", python.name());
    }

    @Test
    void sessionsAreIsolatedFromEachOther() {
        ok("only_in_first = 1");
        session.writeFile("mine.txt", new byte[] {1});
        try (SandboxSession other = python.openSession()) {
            ExecutionResult r = other.execute("only_in_first");
            assertEquals(ErrorKind.EXCEPTION, r.errorKind());
            assertTrue(r.output().contains("NameError"), r.output());
            assertFalse(other.readFile("mine.txt").isPresent());
        }
    }

    @Test
    void closedSessionsRefuseCalls() {
        SandboxSession s = python.openSession();
        s.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.execute("1"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
