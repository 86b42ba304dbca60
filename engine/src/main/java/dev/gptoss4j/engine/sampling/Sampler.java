package dev.gptoss4j.engine.sampling;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Picks tokens from logits as a {@link SamplerConfig} says. Holds its random generator and scratch buffers:
 * one sampler per generation, not shared between threads. {@link #lastLogprob()} is the natural log of the
 * chosen token's probability under the model's unmodified distribution (softmax of the raw logits).
 */
public final class Sampler {

    private final SamplerConfig config;
    private final SplittableRandom random;
    private final float[] work;
    private final long[] order;
    private final int[] counts;
    private final int[] touched;
    private float lastLogprob;

    public Sampler(SamplerConfig config, int vocabSize) {
        this.config = config;
        this.random = new SplittableRandom(config.seed());
        this.work = new float[vocabSize];
        this.order = new long[vocabSize];
        this.counts = new int[vocabSize];
        this.touched = new int[vocabSize];
    }

    public SamplerConfig config() {
        return config;
    }

    public float lastLogprob() {
        return lastLogprob;
    }

    /**
     * The next token for {@code logits} (not modified), given the tokens so far ({@code history[0..length)})
     * for the penalties.
     */
    public int sample(float[] logits, int[] history, int length) {
        return sample(logits, 0, history, length);
    }

    /** {@link #sample(float[], int[], int)} of the logits at {@code logits[offset .. offset+vocabulary)}. */
    public int sample(float[] logits, int offset, int[] history, int length) {
        int n = work.length;
        if (offset < 0 || logits.length - offset < n) {
            throw new IllegalArgumentException("expected " + n + " logits at " + offset + ", got " + logits.length);
        }
        System.arraycopy(logits, offset, work, 0, n);
        for (Map.Entry<Integer, Float> bias : config.logitBias().entrySet()) {
            int id = bias.getKey();
            if (id >= 0 && id < n) work[id] += bias.getValue();
        }
        applyPenalties(history, length);
        int chosen = config.isGreedy() ? argmax(work) : draw();
        lastLogprob = logSoftmaxAt(logits, offset, n, chosen);
        return chosen;
    }

    private void applyPenalties(int[] history, int length) {
        boolean any =
                config.repetitionPenalty() != 1f || config.presencePenalty() != 0f || config.frequencyPenalty() != 0f;
        if (!any || length == 0) return;
        int start = config.penaltyLastN() == 0 ? 0 : Math.max(0, length - config.penaltyLastN());
        int distinct = 0;
        for (int i = start; i < length; i++) {
            int id = history[i];
            if (id < 0 || id >= work.length) continue;
            if (counts[id]++ == 0) touched[distinct++] = id;
        }
        for (int i = 0; i < distinct; i++) {
            int id = touched[i];
            float v = work[id];
            if (config.repetitionPenalty() != 1f) {
                v = v > 0 ? v / config.repetitionPenalty() : v * config.repetitionPenalty();
            }
            v -= config.presencePenalty() + config.frequencyPenalty() * counts[id];
            work[id] = v;
            counts[id] = 0;
        }
    }

    /** Temperature, top-k, top-p, min-p, then one draw. */
    private int draw() {
        int n = work.length;
        float invT = 1f / config.temperature();
        int m = 0;
        for (int i = 0; i < n; i++) {
            float v = work[i];
            if (v == Float.NEGATIVE_INFINITY || Float.isNaN(v)) continue;
            order[m++] = pack(v * invT, i);
        }
        if (m == 0) throw new IllegalStateException("every token is excluded (all logits are -infinity)");
        Arrays.sort(order, 0, m);
        // order[m-1] is the most likely; walk from there
        int keep = config.topK() > 0 ? Math.min(config.topK(), m) : m;
        float max = unpackValue(order[m - 1]);
        double sum = 0;
        for (int r = 0; r < keep; r++) {
            double p = Math.exp(unpackValue(order[m - 1 - r]) - max);
            work[r] = (float) p;
            sum += p;
        }
        if (config.topP() < 1f) {
            double cumulative = 0;
            int cut = keep;
            for (int r = 0; r < keep; r++) {
                cumulative += work[r] / sum;
                // a hair of tolerance so that probabilities summing to p exactly are not undone by rounding
                if (cumulative >= config.topP() - 1e-6) {
                    cut = r + 1;
                    break;
                }
            }
            keep = cut;
        }
        if (config.minP() > 0f) {
            // work[0] is exp(0) = 1: the most likely token's unnormalized probability
            int cut = 1;
            while (cut < keep && work[cut] >= config.minP() * work[0]) cut++;
            keep = cut;
        }
        double total = 0;
        for (int r = 0; r < keep; r++) total += work[r];
        double u = random.nextDouble() * total;
        for (int r = 0; r < keep; r++) {
            u -= work[r];
            if (u < 0) return unpackIndex(order[m - 1 - r]);
        }
        return unpackIndex(order[m - keep]);
    }

    /** Sortable packing: float order in the high half, index in the low half (higher index first on ties). */
    private static long pack(float value, int index) {
        int bits = Float.floatToIntBits(value);
        bits = bits >= 0 ? bits : bits ^ 0x7FFFFFFF;
        return ((long) bits << 32) | (index & 0xFFFFFFFFL);
    }

    private static float unpackValue(long packed) {
        int bits = (int) (packed >> 32);
        bits = bits >= 0 ? bits : bits ^ 0x7FFFFFFF;
        return Float.intBitsToFloat(bits);
    }

    private static int unpackIndex(long packed) {
        return (int) packed;
    }

    private static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
        return best;
    }

    /** {@code log softmax(logits)[index]}. */
    public static float logSoftmaxAt(float[] logits, int index) {
        return logSoftmaxAt(logits, 0, logits.length, index);
    }

    /** {@code log softmax(logits[offset .. offset+n))[index]}. */
    public static float logSoftmaxAt(float[] logits, int offset, int n, int index) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = offset; i < offset + n; i++) max = Math.max(max, logits[i]);
        double sum = 0;
        for (int i = offset; i < offset + n; i++) sum += Math.exp(logits[i] - max);
        return (float) (logits[offset + index] - max - Math.log(sum));
    }
}
