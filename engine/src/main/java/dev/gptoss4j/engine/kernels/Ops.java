package dev.gptoss4j.engine.kernels;

/** Small element-wise and reduction kernels of the forward pass, float32 throughout. */
public final class Ops {

    private Ops() {}

    /** {@code out = x / sqrt(mean(x^2) + eps) * scale}: RMSNorm as the reference computes it. */
    public static void rmsNorm(float[] out, float[] x, float[] scale, float eps) {
        rmsNorm(out, 0, x, 0, scale, eps);
    }

    /**
     * {@link #rmsNorm} of {@code x[xOff..xOff+n)} into {@code out[outOff..)}, n = scale length; vectorized at the
     * kernels' width (the mean square then sums in the kernels' lane order).
     */
    public static void rmsNorm(float[] out, int outOff, float[] x, int xOff, float[] scale, float eps) {
        int n = scale.length;
        float sumSquares;
        if (VectorKernels.ENABLED) {
            sumSquares = VectorKernels.sumOfSquares(x, xOff, n);
        } else {
            sumSquares = 0f;
            for (int i = 0; i < n; i++) sumSquares += x[xOff + i] * x[xOff + i];
        }
        float inv = (float) (1.0 / Math.sqrt(sumSquares / n + eps));
        if (VectorKernels.ENABLED) {
            VectorKernels.scaleBy(out, outOff, x, xOff, inv, scale, n);
        } else {
            for (int i = 0; i < n; i++) out[outOff + i] = x[xOff + i] * inv * scale[i];
        }
    }

    /** In-place softmax of {@code x[from..to)}, max-subtracted for stability. */
    public static void softmax(float[] x, int from, int to) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) max = Math.max(max, x[i]);
        float sum = 0f;
        for (int i = from; i < to; i++) {
            float e = (float) Math.exp(x[i] - max);
            x[i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int i = from; i < to; i++) x[i] *= inv;
    }

    /**
     * gpt-oss's clamped SwiGLU for one unit: the gate is clamped from above, the linear half on both sides, and
     * the linear half gets an extra +1: {@code glu * sigmoid(alpha * glu) * (linear + 1)}.
     */
    public static float swiglu(float glu, float linear, float alpha, float limit) {
        float g = Math.min(glu, limit);
        float l = Math.max(-limit, Math.min(linear, limit));
        float sigmoid = (float) (1.0 / (1.0 + Math.exp(-alpha * g)));
        return g * sigmoid * (l + 1f);
    }

    /** {@code acc += w * x} over the first {@code n} elements. */
    public static void addScaled(float[] acc, float[] x, float w, int n) {
        for (int i = 0; i < n; i++) acc[i] += w * x[i];
    }

    /** {@code acc += x} over the first {@code n} elements. */
    public static void add(float[] acc, float[] x, int n) {
        for (int i = 0; i < n; i++) acc[i] += x[i];
    }

    /** Index of the largest value (the first one on ties). */
    public static int argmax(float[] x, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (x[i] > x[best]) best = i;
        return best;
    }
}
