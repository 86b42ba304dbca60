package dev.gptoss4j.tools.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** REPL behaviour of the javascript sandbox and the attack suite where JavaScript has the means. */
class JavaScriptSandboxTest extends SharedSessionTest {

    JavaScriptSandboxTest() {
        super("var canary = 'alive'");
    }

    @Override
    SandboxSession openSession() {
        return JavaScriptSandbox.builder()
                .timeout(Duration.ofSeconds(30))
                .build()
                .openSession();
    }

    @Test
    void globalsPersistAndTheCompletionValueIsShown() {
        ExecutionResult decl = ok("let total = 0; function add(n) { total += n; return total; }");
        assertEquals("", decl.output());
        assertNull(decl.value());
        ok("add(40)");
        assertEquals("42", ok("add(2)").output());
        assertEquals(
                "{\"a\":1,\"b\":[1,2],\"c\":\"x\"}",
                ok("({a: 1, b: [1, 2], c: 'x'})").output());
        assertEquals("\"text\"", ok("'te' + 'xt'").output());
        assertEquals("1180591620717411303424n", ok("1n << 70n").output());
        assertEquals("null", ok("null").output());
    }

    @Test
    void consoleOutputIsCaptured() {
        ExecutionResult r = ok("console.log('to out'); console.error('to err'); 6 * 7");
        assertEquals("to out\n", r.stdout());
        assertEquals("to err\n", r.stderr());
        assertEquals("to out\nto err\n42", r.output());
    }

    @Test
    void consoleShowsObjectsAsTheReplDoes() {
        // GraalJS's own console printed [object Object] for every object a model logs while debugging
        ExecutionResult r = ok("console.log({a: 1, b: [1, 2]}, 'text', 3, null, [1, 'x'], new Map([[1, 2]]));"
                + "console.error({err: true})");
        assertEquals("{\"a\":1,\"b\":[1,2]} text 3 null [1,\"x\"] Map(1) [[1,2]]\n", r.stdout());
        assertEquals("{\"err\":true}\n", r.stderr());
    }

    @Test
    void errorsAndSyntaxErrorsAreReported() {
        ExecutionResult thrown = session.execute("function fail() { throw new TypeError('bad input'); }\nfail()");
        assertEquals(ErrorKind.EXCEPTION, thrown.errorKind());
        assertTrue(thrown.output().startsWith("TypeError: bad input\n    at fail (<cell"), thrown.output());
        ExecutionResult syntax = session.execute("let = = 1");
        assertEquals(ErrorKind.SYNTAX_ERROR, syntax.errorKind());
        assertTrue(syntax.output().startsWith("SyntaxError:"), syntax.output());
    }

    @Test
    void readEtcPasswd() {
        refused("load('/etc/passwd')", "ReferenceError: load is not defined");
        refused("require('fs').readFileSync('/etc/passwd')", "ReferenceError: require is not defined");
    }

    @Test
    void noApiWritesFilesAndModuleImportsStayInside() {
        // GraalJS without Node: no global can write a file (the python attack suite covers the disk itself).
        assertEquals(
                "\"undefined undefined undefined undefined undefined undefined undefined undefined\"",
                ok("[typeof load, typeof read, typeof readbuffer, typeof writeFile, typeof require, typeof process, "
                                + "typeof Deno, typeof os].join(' ')")
                        .output());
        // Dynamic import reads through the sandbox's file system: outside /mnt/data it is refused.
        ok("var imported = 'pending'; import('/etc/passwd').then(() => imported = 'loaded', "
                + "e => imported = String(e));");
        String imported = ok("imported").output();
        assertTrue(imported.contains("Error") && !imported.contains("loaded"), imported);
    }

    @Test
    void networkAndProcessesDoNotExist() {
        refused("fetch('http://127.0.0.1:9/')", "ReferenceError: fetch is not defined");
        refused("process.env.PATH", "ReferenceError: process is not defined");
        refused("new Worker('x.js')", "ReferenceError: Worker is not defined");
    }

    @Test
    void lookUpAHostJavaClass() {
        refused(
                "Java.type('java.lang.Runtime').getRuntime().exec('id')",
                "Access to host class java.lang.Runtime is not allowed or does not exist");
        refused("Polyglot.eval('python', '1')", "ReferenceError: Polyglot is not defined");
        // `java` is only an inert package placeholder without host class lookup.
        refused("java.lang.System.exit(1)", "TypeError");
    }

    @Test
    void recurseAMillionDeep() {
        refused(
                "function down(n) { return n === 0 ? 0 : 1 + down(n - 1); } down(1e6)",
                "RangeError: Maximum call stack size exceeded");
    }

    @Test
    void allocateTenGigabytesAtOnce() {
        refused("new ArrayBuffer(10 * 1024 ** 3)", "RangeError: Array buffer allocation failed");
        refused("'x'.repeat(10 * 1024 ** 3)", "RangeError: Invalid string length");
    }

    @Test
    void loopsAreInterruptedAndRunawayMemoryResetsTheSession() {
        try (SandboxSession s = JavaScriptSandbox.builder()
                .timeout(Duration.ofSeconds(2))
                .build()
                .openSession()) {
            s.warmUp();
            assertEquals(ErrorKind.NONE, s.execute("var x = 1").errorKind());
            ExecutionResult loop = s.execute("console.log('before'); while (true) {}");
            assertEquals(ErrorKind.TIMEOUT, loop.errorKind(), loop.output());
            assertFalse(loop.sessionReset(), loop.output());
            assertTrue(
                    loop.output().startsWith("before\nTimeoutError: the code ran longer than the 2.0 second limit"),
                    loop.output());
            assertEquals("\"number\"", s.execute("typeof x").output());
        }
        // A generous clock, so that only the memory limit can stop the hog, even on a loaded machine.
        try (SandboxSession s = JavaScriptSandbox.builder()
                .timeout(Duration.ofSeconds(60))
                .memoryLimitBytes(128L << 20)
                .build()
                .openSession()) {
            ExecutionResult hog = s.execute("const hoard = []; while (true) hoard.push(new Float64Array(1e7));");
            assertEquals(ErrorKind.MEMORY_LIMIT, hog.errorKind(), hog.output());
            assertTrue(hog.sessionReset());
            assertEquals("2", s.execute("1 + 1").output());
        }
    }

    @Test
    void statementLimitStopsLoops() {
        try (SandboxSession s =
                JavaScriptSandbox.builder().statementLimit(100_000).build().openSession()) {
            assertEquals(
                    "4950",
                    s.execute("let n = 0; for (let i = 0; i < 100; i++) n += i; n")
                            .output());
            ExecutionResult r = s.execute("for (;;) {}");
            assertEquals(ErrorKind.STATEMENT_LIMIT, r.errorKind(), r.output());
            assertTrue(r.output().contains("more than 100000 statements"), r.output());
            assertTrue(r.sessionReset());
            // The budget is per call, not per session.
            assertEquals(
                    "4950",
                    s.execute("let m = 0; for (let i = 0; i < 100; i++) m += i; m")
                            .output());
            assertEquals("4950", s.execute("m").output());
        }
    }

    @Test
    void ownPoolsCloseCleanly() {
        SandboxPool pool = SandboxPool.create(0);
        SandboxSession s = JavaScriptSandbox.builder().pool(pool).build().openSession();
        assertEquals("3", s.execute("1 + 2").output());
        s.close();
        pool.close();
        assertThrows(
                IllegalStateException.class,
                () -> JavaScriptSandbox.builder()
                        .pool(pool)
                        .build()
                        .openSession()
                        .execute("1"));
    }
}
