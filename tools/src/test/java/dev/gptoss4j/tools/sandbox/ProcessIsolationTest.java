package dev.gptoss4j.tools.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gptoss4j.agent.tool.ToolArguments;
import dev.gptoss4j.agent.tool.ToolScope;
import dev.gptoss4j.tools.code.PythonTool;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The process boundary ({@link SandboxIsolation#PROCESS}, the default): a cell that cannot be interrupted is stopped
 * by killing its worker, a guest that fills the worker's heap ends only the worker, an ordinary interrupt keeps the
 * notebook, nothing of a stopped cell runs afterwards, and no worker outlives its session, pool or scope.
 */
class ProcessIsolationTest {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private static SandboxSession python(Duration timeout) {
        return PythonSandbox.builder().timeout(timeout).build().openSession();
    }

    private static long pid(SandboxSession s) {
        return s.workerPid().orElseThrow(() -> new AssertionError("no worker process"));
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static Set<Long> children() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /**
     * Runs {@code x = 3 ** exponent} followed by {@code then}, with exponents growing until the power outlasts the
     * limit (a quiet fast machine finishes 3 ** 10**7 within 3 s; a loaded 2-core one takes 20 s).
     */
    private static ExecutionResult stuckInBigIntegerPower(SandboxSession s, String then) {
        ExecutionResult r = null;
        for (String exponent : List.of("10 ** 7", "6 * 10 ** 7", "3 * 10 ** 8", "10 ** 9")) {
            r = s.execute("x = 3 ** (" + exponent + ")\n" + then);
            // A power that ends within the interrupt grace is interrupted at the next statement: not stuck yet.
            if (r.errorKind() != ErrorKind.NONE && !(r.errorKind() == ErrorKind.TIMEOUT && !r.sessionReset())) {
                break;
            }
        }
        return r;
    }

    @Test
    void aBigIntegerPowerPastTheLimitIsKilledWithItsProcessAndBurnsNoCpuAfterTheGrace() throws Exception {
        try (SandboxSession s = python(Duration.ofSeconds(3))) {
            s.warmUp();
            long pid = pid(s);
            s.writeFile("kept.txt", "lost with the process".getBytes(StandardCharsets.UTF_8));
            assertEquals(ErrorKind.NONE, s.execute("before = 1").errorKind());

            ExecutionResult r = stuckInBigIntegerPower(s, "pass");
            assertEquals(ErrorKind.TIMEOUT, r.errorKind(), r.output());
            assertTrue(r.sessionReset(), r.output());
            assertTrue(r.output().contains("could not be interrupted"), r.output());
            assertTrue(r.output().contains("so its process was stopped"), r.output());
            assertTrue(
                    r.output()
                            .contains("The session was reset: variables, imports and the files in /mnt/data are gone"),
                    r.output());
            assertTrue(
                    r.duration().toMillis() < 3_000 + ProcessSession.REPLY_GRACE.toMillis() + 5_000,
                    "told late: " + r.duration());

            // Told "stopped" means stopped: the worker is gone, not finishing its power somewhere.
            assertFalse(alive(pid), "the worker still runs");
            assertTrue(
                    Thread.getAllStackTraces().keySet().stream()
                            .noneMatch(t -> t.isAlive() && t.getName().startsWith("gptoss-sandbox-python")),
                    "a guest thread runs in the host");
            // Nothing burns a core for it: this JVM (where an in-process power would go on) stays well below one
            // core over two seconds; a power still running here would take close to a whole one.
            long cpu = OS.getProcessCpuTime();
            long wall = System.nanoTime();
            Thread.sleep(2_000);
            double cores = (double) (OS.getProcessCpuTime() - cpu) / (System.nanoTime() - wall);
            assertTrue(cores < 0.5, "the host used " + cores + " cores after the stop");
            assertFalse(alive(pid));

            // A fresh worker, a fresh notebook: variables and files went with the process, as the model was told.
            s.warmUp(); // its start would be on the 3 s clock, and the machine may be slow
            ExecutionResult next = s.execute("'before' in globals(), __import__('os').listdir('.')");
            assertEquals("(False, [])", next.output());
            assertNotEquals(pid, pid(s));
        }
    }

    @Test
    void aGuestThatFillsItsWorkersHeapEndsOnlyTheWorker() throws Exception {
        long hostHeap = liveHeap();
        try (SandboxSession s = PythonSandbox.builder()
                .timeout(Duration.ofSeconds(60))
                .memoryLimitBytes(1L << 30) // the watchdog's limit is above the heap: only -Xmx can stop it
                .workerHeapBytes(256L << 20)
                .build()
                .openSession()) {
            s.warmUp();
            long first = pid(s);
            // One allocation beyond the heap: no watchdog sample can come between.
            ExecutionResult big = s.execute("block = bytearray(400 * 1024 * 1024)\nprint('after')");
            assertEquals(ErrorKind.MEMORY_LIMIT, big.errorKind(), big.output());
            assertTrue(big.sessionReset(), big.output());
            assertTrue(big.output().contains("MemoryError: the code filled the 256 MiB heap"), big.output());
            assertTrue(big.output().contains("files in /mnt/data are gone"), big.output());
            assertFalse(big.output().contains("after"), big.output());
            assertFalse(alive(first));
            assertEquals("2", s.execute("1 + 1").output());

            // A hoard that grows step by step: stopped by the watchdog at the worker's danger mark, or by the heap.
            ExecutionResult hoard = s.execute("hoard = []\nwhile True:\n    hoard.append(bytearray(10**7))");
            assertEquals(ErrorKind.MEMORY_LIMIT, hoard.errorKind(), hoard.output());
            assertTrue(hoard.sessionReset(), hoard.output());
            assertEquals("2", s.execute("1 + 1").output());
        }
        assertTrue(liveHeap() - hostHeap < 32L << 20, "the host heap grew by " + ((liveHeap() - hostHeap) >> 20));
    }

    private static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void anInterruptedLoopKeepsTheNotebookAndTheWorker() {
        try (SandboxSession s = python(Duration.ofSeconds(3))) {
            s.warmUp();
            long pid = pid(s);
            s.writeFile("kept.txt", "kept".getBytes(StandardCharsets.UTF_8));
            assertEquals(ErrorKind.NONE, s.execute("x = 41").errorKind());
            ExecutionResult loop = s.execute("while True:\n    pass");
            assertEquals(ErrorKind.TIMEOUT, loop.errorKind(), loop.output());
            assertFalse(loop.sessionReset(), loop.output());
            assertTrue(loop.output().contains("was interrupted"), loop.output());
            assertEquals(
                    "(42, 'kept')", s.execute("x + 1, open('kept.txt').read()").output());
            assertEquals(pid, pid(s), "the worker was replaced");
        }
    }

    @Test
    void nothingOfAStoppedCellRunsAfterTheModelWasTold() throws Exception {
        try (SandboxSession s = python(Duration.ofSeconds(3))) {
            s.warmUp();
            ExecutionResult r = stuckInBigIntegerPower(
                    s, "with open('/mnt/data/marker.txt', 'w') as f:\n    f.write('ran after the stop')");
            assertEquals(ErrorKind.TIMEOUT, r.errorKind(), r.output());
            assertTrue(r.sessionReset(), r.output());
            Thread.sleep(1_000);
            assertFalse(s.readFile("marker.txt").isPresent());
            s.warmUp(); // the fresh worker's start would be on the 3 s clock, and the machine may be slow
            assertEquals(
                    "False",
                    s.execute("import os\nos.path.exists('/mnt/data/marker.txt')")
                            .output());
            assertTrue(s.files().isEmpty(), s.files().keySet().toString());
        }
    }

    @Test
    void closingASessionAPoolOrAScopeKillsItsWorkers() {
        Set<Long> before = children();
        // A session.
        SandboxPool pool = SandboxPool.create(1);
        SandboxSession s = PythonSandbox.builder().pool(pool).build().openSession();
        s.warmUp();
        long pid = pid(s);
        assertTrue(children().contains(pid));
        s.close();
        assertFalse(alive(pid));
        assertFalse(children().contains(pid));
        // A pool: its spare and the worker of a session still open.
        SandboxSession open = PythonSandbox.builder().pool(pool).build().openSession();
        open.warmUp();
        long owned = pid(open);
        pool.close();
        assertFalse(alive(owned));
        assertThrows(IllegalStateException.class, () -> open.execute("1"));
        assertEquals(before, children(), "the pool left workers behind");

        // A conversation's scope.
        try (SandboxPool scoped = SandboxPool.create(0);
                PythonTool tool = PythonTool.of(PythonSandbox.builder()
                        .pool(scoped)
                        .timeout(Duration.ofSeconds(120))
                        .build())) {
            ToolScope conversation = ToolScope.create();
            assertEquals(
                    "2",
                    tool.execute(new ToolArguments("1 + 1", null, conversation))
                            .text()
                            .strip());
            long worker = pid(tool.session(conversation));
            assertTrue(alive(worker));
            conversation.close();
            assertFalse(alive(worker));
        }
        assertEquals(before, children(), "workers outlived their owners");
    }

    @Test
    void aCrashedWorkerIsReportedAndReplaced() throws Exception {
        try (SandboxSession s = python(Duration.ofSeconds(60))) {
            s.warmUp();
            assertEquals(ErrorKind.NONE, s.execute("y = 1").errorKind());
            // Killed from outside during a call.
            long pid = pid(s);
            CompletableFuture<ExecutionResult> running =
                    CompletableFuture.supplyAsync(() -> s.execute("import time\ntime.sleep(30)"));
            Thread.sleep(1_500);
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            ExecutionResult crashed = running.get();
            assertEquals(ErrorKind.SANDBOX_FAILURE, crashed.errorKind(), crashed.output());
            assertTrue(crashed.sessionReset());
            assertTrue(
                    crashed.output()
                            .startsWith("SandboxError: the python session crashed (its process ended with status "),
                    crashed.output());
            assertTrue(crashed.output().contains("and was reset: variables, imports and the files"), crashed.output());
            assertFalse(GuestErrors.namesHost(crashed.output()), crashed.output());
            assertEquals("False", s.execute("'y' in globals()").output());
            // Killed between calls: the next call says so, runs nothing, and the one after works.
            ProcessHandle between = ProcessHandle.of(pid(s)).orElseThrow();
            between.destroyForcibly();
            between.onExit().get();
            ExecutionResult gone = s.execute("z = 1");
            assertEquals(ErrorKind.SANDBOX_FAILURE, gone.errorKind(), gone.output());
            assertTrue(gone.output().contains("None of this code ran"), gone.output());
            assertEquals("False", s.execute("'z' in globals()").output());
        }
    }

    @Test
    void aWorkerThatCannotStartSaysWhatWasTried() {
        WorkerLauncher real = WorkerLauncher.current();
        WorkerLauncher noJava =
                new WorkerLauncher(Path.of("/nonexistent/bin/java"), real.classPath(), null, real.flags());
        try (SandboxPool pool = SandboxPool.create(0, noJava);
                SandboxSession s = PythonSandbox.builder().pool(pool).build().openSession()) {
            ExecutionResult r = s.execute("1");
            assertEquals(ErrorKind.SANDBOX_FAILURE, r.errorKind(), r.output());
            assertTrue(r.output().contains("could not be started (java /nonexistent/bin/java"), r.output());
            IllegalStateException e = assertThrows(IllegalStateException.class, s::warmUp);
            assertTrue(e.getMessage().contains("/nonexistent/bin/java"), e.getMessage());
        }
        WorkerLauncher noClasses = new WorkerLauncher(real.java(), "/nonexistent/classes.jar", null, real.flags());
        try (SandboxPool pool = SandboxPool.create(0, noClasses);
                SandboxSession s = PythonSandbox.builder().pool(pool).build().openSession()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, s::warmUp);
            assertTrue(e.getMessage().contains("class path /nonexistent/classes.jar"), e.getMessage());
            assertTrue(e.getMessage().contains("Could not find or load main class"), e.getMessage());
        }
    }
}
