package dev.gptoss4j.tools.sandbox;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Start-up and per-call latency of the sandboxes (a measurement program, not a test):
 * {@code java -cp <test classpath> dev.gptoss4j.tools.sandbox.SandboxLatency}. Numbers go to the
 * README's "Sandboxed tools" section.
 */
public final class SandboxLatency {

    public static void main(String[] args) throws InterruptedException {
        measure("javascript", () -> JavaScriptSandbox.builder().build().openSession(), "let x = 1 + 1; x");
        measure("python", () -> PythonSandbox.builder().build().openSession(), "x = 1 + 1\nx");
    }

    private static void measure(String name, Supplier<SandboxSession> open, String cell) throws InterruptedException {
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

        Thread.sleep(name.equals("python") ? 20_000 : 5_000); // let the pool finish its spare context
        long s = System.nanoTime();
        try (SandboxSession second = open.get()) {
            second.execute(cell);
        }
        double pooled = ms(System.nanoTime() - s);
        first.close();
        System.out.printf(
                "%s: first call in a fresh JVM %.0f ms; first call of a new session from the warm pool %.0f ms;"
                        + " warm call median %.1f ms (min %.1f, max %.1f)%n",
                name, cold, pooled, warm[warm.length / 2], warm[0], warm[warm.length - 1]);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
