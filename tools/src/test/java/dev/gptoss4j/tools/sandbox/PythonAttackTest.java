package dev.gptoss4j.tools.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Code trying to leave the python sandbox. Each attempt must end in an error the model can read,
 * inside the result, and the session (or, after a limit, its fresh replacement) must keep working.
 */
class PythonAttackTest extends SharedSessionTest {

    PythonAttackTest() {
        super("canary = 'alive'");
    }

    @Override
    SandboxSession openSession() {
        return PythonSandbox.builder().timeout(Duration.ofSeconds(60)).build().openSession();
    }

    @Test
    void readEtcPasswd() {
        refused("open('/etc/passwd').read()", "PermissionError: [Errno 1] Operation not permitted: '/etc/passwd'");
        refused("import os\nos.listdir('/etc')", "PermissionError");
    }

    @Test
    void probeAccessOutsideMntData() {
        // os.access answers False outside the sandbox; its refusal escaped try blocks and ended the cell before
        assertEquals(
                "(False, False, True, False)",
                ok("import os\nos.access('/etc/passwd', os.R_OK), os.access('/usr', os.W_OK), "
                                + "os.access('/mnt/data', os.W_OK), os.access(os.__file__, os.W_OK)")
                        .output());
    }

    @Test
    void writeOutsideMntData() {
        refused("open('/tmp/evil', 'w').write('x')", "PermissionError: [Errno 1] Operation not permitted: '/tmp/evil'");
        refused("open('/mnt/data/../../root/evil', 'w').write('x')", "PermissionError");
        assertTrue(session.files().keySet().stream().allMatch(p -> p.startsWith("/mnt/data/")));
    }

    @Test
    void renameAcrossTheVolumesEdge() {
        ok("with open('mine.txt', 'w') as f:\n    f.write('x')");
        refused("import os\nos.rename('mine.txt', '/tmp/mine.txt')", "PermissionError");
        refused("import os\nos.rename('/mnt/data/mine.txt', '/mnt/data/../../etc/mine.txt')", "PermissionError");
        refused("import os\nos.rename(os.__file__, '/mnt/data/os.py')", "PermissionError"); // the standard library
        refused("import os\nos.rename(os.__file__, os.__file__ + '.bak')", "Error"); // stays read-only
        refused("import os\nos.rename('/mnt/data', '/mnt/elsewhere')", "Error");
        refused("import os\nos.rename('/mnt', '/mnt2')", "Error");
        assertEquals("'x'", ok("open('/mnt/data/mine.txt').read()").output());
        assertTrue(session.files().keySet().stream().allMatch(p -> p.startsWith("/mnt/data/")));
    }

    @Test
    void askForWhatTheEmulatedOperatingSystemLacks() {
        // refused like a withheld capability: an error the code reads, the notebook kept (it reset before)
        refused(
                "import mmap\nmmap.mmap(-1, 3 * 1024**3)",
                "OSError: not supported in this sandbox: Anonymous mapping in mmap for memory larger than 2147483647");
    }

    @Test
    void spawnAProcess() {
        refused(
                "import subprocess\nsubprocess.run(['ls', '/'])",
                "PermissionError: [Errno 1] starting processes is not allowed");
        refused("import os\nos.system('id')", "PermissionError: starting processes is not allowed in this sandbox.");
    }

    @Test
    void openASocket() {
        refused(
                "import socket\ns = socket.socket()\ns.connect(('127.0.0.1', 9))",
                "PermissionError: network access is not available in this sandbox");
    }

    @Test
    void lookUpAHostJavaClass() {
        refused(
                "import java\njava.type('java.lang.Runtime').getRuntime().exec('id')",
                "host symbol java.lang.Runtime is not defined or access has been denied");
        refused("import polyglot\npolyglot.eval(language='js', string='1')", "polyglot access is not allowed");
    }

    @Test
    void readAnEnvironmentVariable() {
        // The host's variables are simply not there (HOME is the guest's own directory); the lookup is legal Python.
        String home = System.getenv("HOME");
        ExecutionResult r = session.execute("import os\n(os.environ.get('HOME'), os.environ.get('PATH'))");
        assertEquals("('/mnt/data', None)", r.output());
        if (home != null) {
            assertFalse(session.execute("str(dict(os.environ))").output().contains(home));
        }
        refused("os.environ['PATH']", "KeyError: 'PATH'");
    }

    @Test
    void loadNativeCode() {
        refused("import ctypes\nctypes.CDLL('libc.so.6')", "Error");
    }

    @Test
    void start1000Threads() {
        refused(
                "import threading\nts = [threading.Thread(target=lambda: None) for _ in range(1000)]\n"
                        + "for t in ts:\n    t.start()",
                "PermissionError: starting threads is not allowed in this sandbox.");
    }

    @Test
    void recurseAMillionDeep() {
        refused(
                "def down(n):\n    return 0 if n == 0 else 1 + down(n - 1)\ndown(10**6)",
                "RecursionError: maximum recursion depth exceeded");
        // Raising the limit only moves the failure to the Java stack, which is contained the same way.
        refused("import sys\nsys.setrecursionlimit(10**7)\ndown(10**6)", "RecursionError");
    }

    @Test
    void allocateTenGigabytesAtOnce() {
        refused("block = bytearray(10 * 1024**3)", "OverflowError");
    }

    @Test
    void infiniteLoopIsInterruptedRunawayMemoryAndExitOnlyResetTheSession() {
        try (SandboxSession s =
                PythonSandbox.builder().timeout(Duration.ofSeconds(3)).build().openSession()) {
            s.warmUp();
            s.writeFile("kept.txt", "survives".getBytes(StandardCharsets.UTF_8));
            assertEquals(ErrorKind.NONE, s.execute("x = 1").errorKind());

            ExecutionResult loop = s.execute("print('before the loop')\nwhile True:\n    pass");
            assertEquals(ErrorKind.TIMEOUT, loop.errorKind(), loop.output());
            assertFalse(loop.sessionReset(), loop.output()); // interrupted like a notebook kernel: the state stays
            assertTrue(loop.output().startsWith("before the loop\n"), loop.output()); // partial output is kept
            assertTrue(
                    loop.output()
                            .contains("TimeoutError: the code ran longer than the 3.0 second limit and was "
                                    + "interrupted"),
                    loop.output());
            assertFalse(loop.output().contains("reset"), loop.output());
            assertTrue(loop.duration().toMillis() < 10_000, "stopped late: " + loop.duration());

            ExecutionResult after = s.execute("'x' in globals(), open('kept.txt').read()");
            assertEquals("(True, 'survives')", after.output());
        }
        // A generous clock, so that only the memory limit can stop the hog, even on a loaded machine.
        try (SandboxSession s = PythonSandbox.builder()
                .timeout(Duration.ofSeconds(60))
                .memoryLimitBytes(128L << 20)
                .build()
                .openSession()) {
            s.writeFile("kept.txt", "survives resets".getBytes(StandardCharsets.UTF_8));
            ExecutionResult hog = s.execute("hoard = []\nwhile True:\n    hoard.append(bytearray(10**7))");
            assertEquals(ErrorKind.MEMORY_LIMIT, hog.errorKind(), hog.output());
            assertTrue(hog.output().contains("MemoryError: the code used more than 128 MiB"), hog.output());
            assertTrue(hog.output().contains("The session was reset"), hog.output());
            assertTrue(hog.sessionReset());
            assertEquals("2", s.execute("1 + 1").output());
            assertEquals("survives resets", new String(s.readFile("kept.txt").orElseThrow(), StandardCharsets.UTF_8));

            ExecutionResult exit = s.execute("import os\nos._exit(3)");
            assertEquals(ErrorKind.EXIT, exit.errorKind(), exit.output());
            assertTrue(exit.sessionReset());
            assertEquals("'next'", s.execute("'next'").output());
        }
    }

    @Test
    void fillingMntDataGivesClearErrors() {
        try (SandboxSession s = PythonSandbox.builder()
                .timeout(Duration.ofSeconds(60))
                .fileSystemLimitBytes(256 << 10)
                .build()
                .openSession()) {
            ExecutionResult longName = s.execute("open('" + "x".repeat(300) + "', 'w')");
            assertTrue(longName.output().contains("File name too long"), longName.output());

            ExecutionResult full = s.execute("i = 0\ntry:\n    while True:\n        open('f%d' % i, 'w').close()\n"
                    + "        i += 1\nexcept OSError as e:\n    print(i, e)");
            assertTrue(
                    full.output().contains("No space left on device (/mnt/data holds at most 262144 bytes"),
                    full.output());

            ExecutionResult rewrite = s.execute("import os\nfor n in os.listdir('.'):\n    os.remove(n)\n"
                    + "for k in range(20):\n    with open('big%d' % k, 'wb') as f:\n        f.write(b'x' * 200_000)\n"
                    + "    with open('big%d' % k, 'r+b') as f:\n        f.truncate(0)\n"
                    + "sum(os.path.getsize('big%d' % k) for k in range(20))");
            // Twenty files that each held 200 kB in a 256 kB volume: only possible because truncation gives it back.
            assertEquals("0", rewrite.output());
        }
    }
}
