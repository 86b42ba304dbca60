package dev.gptoss4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void everyIndexRunsExactlyOnce() {
        for (int threads = 1; threads <= 4; threads++) {
            try (Parallel p = new Parallel(threads)) {
                for (int n : new int[] {1, 2, 3, 7, 64, 1001}) {
                    AtomicIntegerArray hits = new AtomicIntegerArray(n);
                    for (int round = 0; round < 20; round++) {
                        p.forRange(n, (from, to) -> {
                            for (int i = from; i < to; i++) hits.incrementAndGet(i);
                        });
                    }
                    for (int i = 0; i < n; i++)
                        assertEquals(20, hits.get(i), "threads=" + threads + " n=" + n + " i=" + i);
                }
            }
        }
    }

    @Test
    void failuresInWorkersReachTheCaller() {
        try (Parallel p = new Parallel(3)) {
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> p.forRange(30, (from, to) -> {
                        if (from > 0) throw new IllegalStateException("boom " + from);
                    }));
            assertEquals(true, e.getMessage().startsWith("boom"));
            // the pool still works afterwards
            int[] sum = new int[1];
            p.forRange(1, (from, to) -> sum[0] += to - from);
            assertEquals(1, sum[0]);
        }
    }
}
