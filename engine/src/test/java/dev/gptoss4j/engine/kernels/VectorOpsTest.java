package dev.gptoss4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rope, RMSNorm and the attention primitives at the width this JVM runs (the build reruns it at every width). */
class VectorOpsTest {

    /** Head sizes whose halves leave a vector tail at some width (18, 9) and none (32). */
    @ParameterizedTest
    @ValueSource(ints = {64, 36, 18})
    void ropeRotatesWithTheScalarArithmeticBitForBit(int headDim) {
        Random rnd = new Random(headDim);
        Rope rope = new Rope(headDim, 150000, 1.0, 4096, 1.0, 32.0);
        int half = headDim / 2;
        float[] cos = new float[half + 3], sin = new float[half + 3];
        rope.angles(1234, cos, sin, 3);
        float[] x = new float[3 * headDim + 5];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        float[] expected = x.clone();
        for (int h = 0; h < 3; h++) {
            int b = 5 + h * headDim;
            for (int i = 0; i < half; i++) {
                float x1 = x[b + i], x2 = x[b + half + i];
                expected[b + i] = x1 * cos[3 + i] - x2 * sin[3 + i];
                expected[b + half + i] = x2 * cos[3 + i] + x1 * sin[3 + i];
            }
        }
        rope.rotate(x, 5, 3, cos, sin, 3);
        for (int i = 0; i < x.length; i++)
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(x[i]), "at " + i);
    }

    @ParameterizedTest
    @ValueSource(ints = {2880, 37, 3})
    void rmsNormMatchesADoublePrecisionReference(int n) {
        Random rnd = new Random(n);
        float[] x = new float[n + 7];
        float[] scale = new float[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian() * 10;
        for (int i = 0; i < n; i++) scale[i] = 0.5f + rnd.nextFloat();
        float[] out = new float[n + 2];
        Ops.rmsNorm(out, 2, x, 7, scale, 1e-5f);
        double ss = 0;
        for (int i = 0; i < n; i++) ss += (double) x[7 + i] * x[7 + i];
        double inv = 1.0 / Math.sqrt(ss / n + 1e-5);
        for (int i = 0; i < n; i++)
            assertEquals(x[7 + i] * inv * scale[i], out[2 + i], 1e-5 * Math.abs(x[7 + i] * inv * scale[i]) + 1e-6);
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 45})
    void attentionDotAndAxpyMatchTheScalarResult(int n) {
        Random rnd = new Random(n);
        float[] q = new float[n + 1], k = new float[n + 2], acc = new float[n + 3];
        for (int i = 0; i < q.length; i++) q[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < k.length; i++) k[i] = (float) rnd.nextGaussian();
        double exact = 0, magnitude = 0;
        for (int i = 0; i < n; i++) {
            exact += (double) q[1 + i] * k[2 + i];
            magnitude += Math.abs((double) q[1 + i] * k[2 + i]);
        }
        assertEquals(exact, VectorKernels.dot(q, 1, k, 2, n), 1e-6 * magnitude);
        float[] expected = acc.clone();
        for (int i = 0; i < n; i++) expected[3 + i] = Math.fma(k[2 + i], 0.75f, expected[3 + i]);
        VectorKernels.addScaled(acc, 3, k, 2, 0.75f, n);
        for (int i = 0; i < acc.length; i++) assertEquals(expected[i], acc[i], 0f, "at " + i);
    }
}
