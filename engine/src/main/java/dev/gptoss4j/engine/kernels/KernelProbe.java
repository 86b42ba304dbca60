package dev.gptoss4j.engine.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A short measurement of this JVM's kernels at the width {@link KernelChoice} picked: one thread's MXFP4 and bf16
 * matrix-vector streaming rates (decode) and MXFP4 matrix-matrix rate over 16 tokens (prefill), on gpt-oss-20b
 * expert-shaped 2880 x 2880 matrices. Timed in thread CPU time, so that other processes on a shared machine
 * change the figures less than wall time would. Run one JVM per width to compare them:
 *
 * <pre>java --add-modules jdk.incubator.vector -Dgptoss.vector.bits=256 -cp gptoss.jar \
 *     dev.gptoss4j.engine.kernels.KernelProbe</pre>
 */
public final class KernelProbe {

    private KernelProbe() {}

    static final int N = 2880;
    static final int TOKENS = 16;

    /** Runs each kernel for about {@code millis} of CPU time after a warm-up; returns the rates by name. */
    public static Map<String, Double> measure(long millis) {
        Map<String, Double> r = new LinkedHashMap<>();
        r.put("vector_bits", (double) KernelChoice.vectorBits());
        r.put("tile_tokens", (double) KernelChoice.TILE_TOKENS);
        try (Arena arena = Arena.ofConfined()) {
            Random rnd = new Random(1);
            Matrix mxfp4 = random(WeightType.MXFP4, arena, rnd);
            Matrix bf16 = random(WeightType.BF16, arena, rnd);
            float[] x = new float[TOKENS * N];
            for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
            int[] offs = new int[TOKENS];
            for (int t = 0; t < TOKENS; t++) offs[t] = t * N;
            float[] out = new float[TOKENS * N];
            float[] scratch = new float[Matrix.scratchSize(N)];
            Runnable mv4 = () -> mxfp4.matvec(x, 0, out, 0, 0, N, scratch);
            Runnable mvb = () -> bf16.matvec(x, 0, out, 0, 0, N, scratch);
            Runnable mm4 = () -> mxfp4.matmul(x, offs, 0, TOKENS, out, offs, 0, N, scratch);
            Runnable few = () -> bf16.matmul(x, offs, 0, 4, out, offs, 0, N, scratch);
            r.put("mxfp4_matvec_gb_s", mxfp4.byteSize() / seconds(mv4, millis) / 1e9);
            r.put("bf16_matvec_gb_s", bf16.byteSize() / seconds(mvb, millis) / 1e9);
            r.put("mxfp4_matmul16_gflop_s", 2.0 * N * N * TOKENS / seconds(mm4, millis) / 1e9);
            // four sequences decoding together: the rows should stream about as fast as for one
            r.put("bf16_matmul4_gb_s", bf16.byteSize() / seconds(few, millis) / 1e9);
        }
        return r;
    }

    /** CPU seconds per run of {@code body}: warm-up (compilation) first, then the best of a few timed batches. */
    private static double seconds(Runnable body, long millis) {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        long warm = bean.getCurrentThreadCpuTime() + millis * 1_000_000L;
        while (bean.getCurrentThreadCpuTime() < warm) body.run();
        double best = Double.MAX_VALUE;
        for (int batch = 0; batch < 5; batch++) {
            long t0 = bean.getCurrentThreadCpuTime();
            int runs = 0;
            long t;
            do {
                body.run();
                runs++;
                t = bean.getCurrentThreadCpuTime();
            } while (t - t0 < millis * 200_000L);
            best = Math.min(best, (t - t0) / 1e9 / runs);
        }
        return best;
    }

    private static Matrix random(WeightType type, Arena arena, Random rnd) {
        long rowBytes = type.rowBytes(N);
        MemorySegment data = arena.allocate(rowBytes * N, 64);
        for (int r = 0; r < N; r++) {
            long row = r * rowBytes;
            for (long i = 0; i < rowBytes; i++) data.set(ValueLayout.JAVA_BYTE, row + i, (byte) rnd.nextInt());
            if (type == WeightType.MXFP4) {
                for (int b = 0; b < N / 32; b++)
                    data.set(ValueLayout.JAVA_BYTE, row + 17L * b, (byte) (120 + rnd.nextInt(10)));
            } else {
                for (int i = 0; i < N; i++) {
                    data.set(ValueLayout.JAVA_SHORT_UNALIGNED, row + 2L * i, (short)
                            (Float.floatToIntBits((float) rnd.nextGaussian()) >>> 16));
                }
            }
        }
        return Matrix.of(type, N, N, data, 0);
    }

    public static void main(String[] args) {
        long millis = args.length > 0 ? Long.parseLong(args[0]) : 400;
        StringBuilder json = new StringBuilder("{\"species\":\"")
                .append(KernelChoice.species())
                .append('"');
        measure(millis)
                .forEach((k, v) -> json.append(",\"").append(k).append("\":").append(Math.round(v * 100) / 100.0));
        System.out.println(json.append('}'));
    }
}
