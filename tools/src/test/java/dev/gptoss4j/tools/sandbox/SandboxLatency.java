package dev.gptoss4j.tools.sandbox;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Start-up and per-call latency of the sandboxes (a measurement program, not a test):
 * {@code java -cp <test classpath> dev.gptoss4j.tools.sandbox.SandboxLatency [PROCESS|IN_PROCESS]} (default both,
 * each in this one JVM: run it once per mode for a fresh-JVM number of the second). Numbers go to the README's
 * "Sandboxed tools" section.
 */
public final class SandboxLatency {

    public static void main(String[] args) throws InterruptedException {
        for (String mode : args.length > 0 ? args : new String[] {"PROCESS", "IN_PROCESS"}) {
            SandboxIsolation isolation = SandboxIsolation.valueOf(mode);
            measure(
                    "javascript",
                    isolation,
                    () -> JavaScriptSandbox.builder()
                            .isolation(isolation)
                            .build()
                            .openSession(),
                    "let x = 1 + 1; x");
            measure(
                    "python",
                    isolation,
                    () -> PythonSandbox.builder().isolation(isolation).build().openSession(),
                    "x = 1 + 1\nx");
        }
    }

    private static void measure(String name, SandboxIsolation isolation, Supplier<SandboxSession> open, String cell)
            throws InterruptedException {
        long t = System.nanoTime();
        SandboxSession first = open.get();
        ExecutionResult r = first.execute(cell);
        if (!r.ok()) {
            throw new IllegalStateException(name + " failed: " + r.output());
        }
        double cold = ms(System.nanoTime() - t);

        double[] warm = new double[20];
        for (int i = 0; i < warm.length; i++) {
            long s = System.nanoTime();
            first.execute(cell);
            warm[i] = ms(System.nanoTime() - s);
        }
        Arrays.sort(warm);

        Thread.sleep(name.equals("python") ? 25_000 : 8_000); // let the pool finish its spare
        long s = System.nanoTime();
        try (SandboxSession second = open.get()) {
            second.execute(cell);
        }
        double pooled = ms(System.nanoTime() - s);
        first.close();
        System.out.printf(
                "%s %s: first call with no spare ready %.0f ms; first call of a new session from the warm pool %.0f ms;"
                        + " warm call median %.1f ms (min %.1f, max %.1f)%n",
                name, isolation, cold, pooled, warm[warm.length / 2], warm[0], warm[warm.length - 1]);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
