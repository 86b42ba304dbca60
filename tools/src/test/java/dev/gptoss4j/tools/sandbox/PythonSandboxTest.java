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
    void filesTheCodeLeavesOpenAreWrittenAsCPythonWritesThem() {
        // CPython flushes a file when its last reference goes; GraalPy never does, so without the runner's help
        // this everyday idiom leaves the file empty, for the code's next read and for the host.
        assertEquals("5", ok("open('unclosed.txt', 'w').write('hello')").output());
        assertEquals("'hello'", ok("open('unclosed.txt').read()").output());
        assertArrayEquals(
                "hello".getBytes(StandardCharsets.UTF_8),
                session.readFile("unclosed.txt").orElseThrow());
        // read back in the same cell, through other ways of opening, and in binary
        assertEquals(
                "('ab', 'c', b'\\x00\\x01')",
                ok("import pathlib\npathlib.Path('same.txt').open('w').write('a')\nopen('same.txt', 'a').write('b')\n"
                                + "import os\nos.fdopen(os.open('fd.txt', os.O_WRONLY | os.O_CREAT), 'w').write('c')\n"
                                + "open('raw.bin', 'wb').write(bytes([0, 1]))\n"
                                + "open('same.txt').read(), open('fd.txt').read(), open('raw.bin', 'rb').read()")
                        .output());
        // a file the code keeps open: what each cell wrote is there after the cell, and close still works
        ok("kept_file = open('kept.txt', 'w')\nkept_file.write('one')");
        assertEquals("one", new String(session.readFile("kept.txt").orElseThrow(), StandardCharsets.UTF_8));
        ok("kept_file.write(' two')");
        assertEquals("'one two'", ok("open('kept.txt').read()").output());
        assertEquals(
                "(True, 'one two')",
                ok("kept_file.close()\nkept_file.closed, open('kept.txt').read()")
                        .output());
        // a loop writing more files than the runner holds, each written after another file was opened, its
        // reference dropped unclosed while the collector runs: none may lose what was written to it
        ok("import gc\nsource = open('source.txt', 'w')\nsource.write('z' * 100)\nsource.close()\n"
                + "for i in range(600):\n    out = open('loop%d.txt' % i, 'w')\n"
                + "    out.write(open('source.txt').read())\n    if i % 100 == 0:\n        gc.collect()");
        assertEquals(
                "[]",
                ok("import os\n[i for i in range(600) if os.path.getsize('loop%d.txt' % i) != 100]")
                        .output());
        // the wrapper is not the user's code: an error opening a file shows only the cell's frames
        ExecutionResult missing = session.execute("open('no-such-file.txt')");
        assertEquals(ErrorKind.EXCEPTION, missing.errorKind());
        assertTrue(
                missing.output()
                        .matches("Traceback \\(most recent call last\\):\n  File \"<cell \\d+>\", line 1, in "
                                + "<module>\n    open\\('no-such-file.txt'\\)\n(\\s*\\^+\n)?FileNotFoundError: \\[Errno 2\\] "
                                + "No such file or directory: 'no-such-file.txt'\n?"),
                missing.output());
    }

    @Test
    void filesAndDirectoriesAreRenamedAndRemovedAsOnPosix() {
        // Polyglot's composed file system refused the atomic move every os.rename asks for; renames go to the volume
        ok("import os, pathlib, shutil\nos.makedirs('ren/inner', exist_ok=True)\n"
                + "for name, text in (('ren/a', 'A'), ('ren/b', 'B'), ('ren/inner/c', 'C')):\n"
                + "    with open(name, 'w') as f:\n        f.write(text)");
        assertEquals(
                "(['b', 'moved', 'z'], ['c'], 'A', 'A')",
                ok("os.rename('ren/a', '/mnt/data/ren/z')\n" // relative to absolute
                                + "os.replace('ren/z', 'ren/b')\n" // over an existing file
                                + "pathlib.Path('ren/b').rename('ren/z')\n"
                                + "shutil.copy('ren/z', 'ren/b')\n"
                                + "os.rename('ren/inner', 'ren/moved')\n" // a directory with its contents
                                + "sorted(os.listdir('ren')), os.listdir('ren/moved'), open('ren/z').read(), "
                                + "open('ren/b').read()")
                        .output());
        assertEquals("C", new String(session.readFile("ren/moved/c").orElseThrow(), StandardCharsets.UTF_8));
        assertTrue(session.readFile("ren/inner/c").isEmpty());
        // shutil.rmtree's walk through open directory descriptors failed on the volume; the walk by paths works
        assertEquals("False", ok("shutil.rmtree('ren')\nos.path.exists('ren')").output());
        assertTrue(session.files().keySet().stream().noneMatch(p -> p.startsWith("/mnt/data/ren")));
    }

    @Test
    void appendPlusReadsAndTheHomeIsTheDataDirectory() {
        // GraalPy opened 'a+' files without read access, and '~' was the host account's home
        assertEquals(
                "('1\\n', '1\\n2\\n', 4)",
                ok("with open('ap.txt', 'a+') as f:\n    f.write('1\\n')\n    f.seek(0)\n    first = f.read()\n"
                                + "with open('ap.txt', 'a+') as f:\n    f.write('2\\n')\n    f.seek(0)\n    both = f.read()\n"
                                + "    end = f.seek(0, 2)\nfirst, both, end")
                        .output());
        assertEquals(
                "('/mnt/data', '/mnt/data/notes.txt')",
                ok("import os, pathlib\nos.path.expanduser('~'), str(pathlib.Path.home() / 'notes.txt')")
                        .output());
    }

    @Test
    void aLeftOpenFileThatNoLongerFitsIsReported() {
        try (SandboxSession s = PythonSandbox.builder()
                .pool(SandboxPool.shared())
                .timeout(Duration.ofSeconds(60))
                .fileSystemLimitBytes(16 << 10)
                .build()
                .openSession()) {
            assertEquals(
                    ErrorKind.NONE,
                    s.execute("open('first.txt', 'w').write('x' * 12000)").errorKind());
            // smaller than the write buffer: it reaches the volume only when flushed after the cell
            ExecutionResult r = s.execute("open('second.txt', 'w').write('y' * 6000)");
            assertEquals(ErrorKind.NONE, r.errorKind(), r.output());
            assertTrue(
                    r.stderr()
                            .contains("Warning: the end of 'second.txt', a file the code left open, could not be "
                                    + "written: OSError: [Errno 5] No space left on device"),
                    r.output());
            assertEquals(12000, s.readFile("first.txt").orElseThrow().length);
        }
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
