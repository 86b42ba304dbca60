package dev.gptoss4j.tools.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * "A stop is a stop": when the clock runs out, the model is told so only after the guest has stopped, no statement
 * of the stopped cell runs afterwards, and the notebook survives unless the code could not be interrupted. In both
 * isolation modes; the process mode's harder stop of code that cannot be interrupted is in
 * {@link ProcessIsolationTest}, the in-process mode's weaker one (the thread finishes its host operation) here.
 */
class StopTest {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The python worker threads still alive (the stopped cell's, if it lingers). */
    private static List<Thread> workers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("gptoss-sandbox-python") && t.isAlive())
                .toList();
    }

    private static long cpuNanos(List<Thread> threads) {
        return threads.stream()
                .mapToLong(t -> Math.max(0, THREADS.getThreadCpuTime(t.threadId())))
                .sum();
    }

    /** CPU time of the worker process, or 0 when it has ended. */
    private static long workerCpuNanos(SandboxSession s) {
        return s.workerPid().stream()
                .mapToObj(ProcessHandle::of)
                .flatMap(java.util.Optional::stream)
                .map(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
                .findFirst()
                .orElse(0L);
    }

    @Test
    void anInterruptedLoopStopsUsingCpuAndKeepsTheNotebook() throws Exception {
        interruptedLoop(SandboxIsolation.PROCESS);
    }

    @Test
    void anInterruptedLoopStopsUsingCpuAndKeepsTheNotebookInProcess() throws Exception {
        interruptedLoop(SandboxIsolation.IN_PROCESS);
    }

    private void interruptedLoop(SandboxIsolation isolation) throws Exception {
        try (SandboxSession s = PythonSandbox.builder()
                .isolation(isolation)
                .timeout(Duration.ofSeconds(3))
                .build()
                .openSession()) {
            s.warmUp();
            assertEquals(
                    ErrorKind.NONE,
                    s.execute("events = []\nsquares = [i * i for i in range(10)]")
                            .errorKind());
            // The side effects come after a busy and a sleeping phase that together outlast the limit.
            ExecutionResult r = s.execute("import time\nt0 = time.time()\nwhile time.time() - t0 < 3:\n    pass\n"
                    + "while time.time() - t0 < 6:\n    time.sleep(0.01)\nevents.append('late')\n"
                    + "with open('late.txt', 'w') as f:\n    f.write('late')");
            assertEquals(ErrorKind.TIMEOUT, r.errorKind(), r.output());
            assertFalse(r.sessionReset(), r.output());
            assertTrue(r.output().contains("was interrupted"), r.output());
            List<Thread> left = workers();
            long cpu = cpuNanos(left);
            long process = workerCpuNanos(s);
            Thread.sleep(5_000); // past the moment the cell would have made its side effects
            assertTrue(cpuNanos(left) - cpu < 200_000_000L, "the stopped cell kept using CPU");
            // The whole worker: its JIT compilers may still finish what the loop queued, but it stays below half a
            // core, where the running cell alone would take a whole one.
            long used = workerCpuNanos(s) - process;
            assertTrue(
                    used < 2_500_000_000L, "the stopped cell's process used " + used / 1_000_000 + " ms of CPU in 5 s");
            assertEquals(
                    "([], [0, 1, 4, 9, 16, 25, 36, 49, 64, 81])",
                    s.execute("events, squares").output());
            assertEquals(
                    "False", s.execute("import os\nos.path.exists('late.txt')").output());
            assertFalse(s.readFile("late.txt").isPresent());
        }
    }

    @Test
    void inProcessCodeStuckInAHostOperationIsCancelledAndTheModelIsToldTheSessionWasReset() throws Exception {
        // A pool that lets one cancelled cell at a time hold a core.
        try (SandboxPool pool = SandboxPool.create(1, 1);
                SandboxSession s = PythonSandbox.builder()
                        .isolation(SandboxIsolation.IN_PROCESS)
                        .pool(pool)
                        .timeout(Duration.ofSeconds(3))
                        .build()
                        .openSession();
                SandboxSession other = PythonSandbox.builder()
                        .isolation(SandboxIsolation.IN_PROCESS)
                        .pool(pool)
                        .timeout(Duration.ofSeconds(3))
                        .build()
                        .openSession()) {
            s.warmUp();
            other.warmUp();
            s.writeFile("kept.txt", "kept".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(ErrorKind.NONE, s.execute("before = 1").errorKind());
            List<Thread> idle = workers();
            // One big-integer power is one host operation: nothing in it can be interrupted. It must outlast the
            // 3 s limit: 3 ** 10**7 takes about 20 s on a loaded 2-core machine but fits the limit on a quiet fast
            // one, so the exponent grows until the power is cut off (each try writes its own late file).
            ExecutionResult r = null;
            String late = null;
            for (String exponent : List.of("10 ** 7", "6 * 10 ** 7", "3 * 10 ** 8")) {
                late = "late-" + exponent.replaceAll("\\D", "") + ".txt";
                r = s.execute("x = 3 ** (" + exponent + ")\nwith open('" + late + "', 'w') as f:\n    f.write('late')");
                // A power that ends within the interrupt grace is interrupted at the next statement: not stuck yet.
                if (r.errorKind() != ErrorKind.NONE && r.sessionReset()) break;
            }
            assertEquals(ErrorKind.TIMEOUT, r.errorKind(), r.output());
            assertTrue(r.sessionReset(), r.output());
            assertTrue(r.output().contains("could not be interrupted"), r.output());
            assertTrue(r.output().contains("The session was reset: variables and imports are gone"), r.output());
            assertTrue(
                    r.duration().toMillis()
                            < 3_000
                                    + InProcessSession.INTERRUPT_GRACE.toMillis()
                                    + InProcessSession.CANCEL_GRACE.toMillis()
                                    + 5_000,
                    "told late: " + r.duration());

            // While the power goes on, the session runs nothing else: at most one such thread per session.
            List<Thread> stuck =
                    workers().stream().filter(t -> !idle.contains(t)).toList();
            s.warmUp();
            boolean wasStuck = stuck.stream().anyMatch(Thread::isAlive);
            ExecutionResult next = s.execute("1 + 1");
            if (next.errorKind() == ErrorKind.TIMEOUT) {
                assertTrue(wasStuck && next.output().contains("still finishing one built-in operation"), next.output());
                assertTrue(next.output().contains("none of this code ran"), next.output());
            } else {
                assertEquals("2", next.output());
            }
            // Nor does any other session of the pool while the pool's one allowed straggler runs.
            wasStuck = stuck.stream().anyMatch(Thread::isAlive);
            ExecutionResult elsewhere = other.execute("1 + 1");
            if (elsewhere.errorKind() == ErrorKind.TIMEOUT) {
                assertTrue(
                        wasStuck
                                && elsewhere
                                        .output()
                                        .contains("the sandbox is busy finishing cancelled " + "computations"),
                        elsewhere.output());
            } else {
                assertEquals("2", elsewhere.output());
            }
            // Whenever the power finishes, the cancelled context runs none of the statements after it.
            for (Thread t : stuck) {
                t.join(180_000);
                assertFalse(t.isAlive(), "the cancelled cell's thread never ended");
            }
            assertFalse(s.readFile(late).isPresent(), late);
            s.warmUp();
            assertEquals(
                    "(False, 'kept')",
                    s.execute("'before' in globals(), open('kept.txt').read()").output());
        }
    }

    @Test
    void theClockIncludesStartUpAndNoCodeRunsAfterATimedOutStart() throws Exception {
        try (SandboxPool pool = SandboxPool.create(0);
                SandboxSession s = PythonSandbox.builder()
                        .pool(pool)
                        .timeout(Duration.ofMillis(300))
                        .build()
                        .openSession()) {
            // No warm context: starting the interpreter alone takes longer than the whole limit.
            ExecutionResult r = s.execute("with open('ran.txt', 'w') as f:\n    f.write('ran')");
            assertEquals(ErrorKind.TIMEOUT, r.errorKind(), r.output());
            assertTrue(r.output().contains("still starting"), r.output());
            assertFalse(r.sessionReset());
            assertTrue(r.duration().toMillis() < 3_000, "the start-up was not on the clock: " + r.duration());
            s.warmUp(); // the start went on in the background
            assertFalse(s.readFile("ran.txt").isPresent());
        }
    }
}
