package dev.gptoss4j.engine.sampling;

/**
 * The {@code k} most likely tokens of a distribution and their log-probabilities, {@code log softmax(logits)}, most
 * likely first (ties: lower id first). One pass for the normalizer and one for the selection, so asking for them on
 * every token costs two reads of the logits. Logits of {@code -inf} (tokens a constraint forbids) have
 * probability 0 and are never listed.
 *
 * @param tokens   the token ids, at most {@code k}
 * @param logprobs their natural-log probabilities, in the same order
 */
public record TopLogprobs(int[] tokens, float[] logprobs) {

    /** The most that can be asked (OpenAI's {@code top_logprobs} maximum). */
    public static final int MAX_K = 20;

    public static TopLogprobs of(float[] logits, int k) {
        if (k < 0 || k > MAX_K) throw new IllegalArgumentException("k must be in 0.." + MAX_K + ", got " + k);
        double logZ = logSumExp(logits);
        int[] ids = new int[k];
        float[] best = new float[k];
        int n = 0;
        for (int i = 0; i < logits.length && k > 0; i++) {
            float v = logits[i];
            if (v == Float.NEGATIVE_INFINITY || (n == k && v <= best[n - 1])) continue;
            int at = n < k ? n++ : k - 1;
            while (at > 0 && best[at - 1] < v) {
                best[at] = best[at - 1];
                ids[at] = ids[at - 1];
                at--;
            }
            best[at] = v;
            ids[at] = i;
        }
        int[] tokens = java.util.Arrays.copyOf(ids, n);
        float[] logprobs = new float[n];
        for (int j = 0; j < n; j++) logprobs[j] = (float) (best[j] - logZ);
        return new TopLogprobs(tokens, logprobs);
    }

    /** {@code log(sum(exp(logits)))}, computed stably (shifted by the maximum). */
    public static double logSumExp(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : logits) max = Math.max(max, v);
        if (max == Float.NEGATIVE_INFINITY) return max;
        double sum = 0;
        for (float v : logits) sum += Math.exp(v - max);
        return max + Math.log(sum);
    }
}
