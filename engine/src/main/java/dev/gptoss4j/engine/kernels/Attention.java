package dev.gptoss4j.engine.kernels;

/**
 * Scaled dot-product attention of one query head over cached keys and values, with a learned attention sink:
 * the sink is one more logit in the softmax whose value row is empty, so it only takes probability mass away
 * (the reference's {@code sdpa} appends S to QK, softmaxes, and drops the last column).
 */
public final class Attention {

    private Attention() {}

    /**
     * @param q        query vector array; the head starts at {@code qOffset}
     * @param kv       the layer's cache
     * @param kvOffset offset of this head's slice inside a cached row ({@code kvHead * headDim})
     * @param from     first visible position (inclusive)
     * @param to       last visible position (inclusive): the current token
     * @param sink     the head's sink logit
     * @param scale    softmax scale, 1/sqrt(headDim)
     * @param scores   scratch of at least {@code to - from + 2} floats
     * @param out      receives the head's output at {@code outOffset}
     */
    public static void attendHead(float[] q, int qOffset, KvBuffer kv, int kvOffset, int headDim,
                                  int from, int to, float sink, float scale, float[] scores,
                                  float[] out, int outOffset) {
        int n = to - from + 1;
        boolean vector = VectorKernels.ENABLED && headDim % VectorKernels.L == 0;
        for (int t = 0; t < n; t++) {
            int pos = from + t;
            float[] k = kv.keys(pos);
            int off = kv.offset(pos) + kvOffset;
            float dot;
            if (vector) {
                dot = VectorKernels.dot(q, qOffset, k, off, headDim);
            } else {
                dot = 0f;
                for (int i = 0; i < headDim; i++) dot += q[qOffset + i] * k[off + i];
            }
            scores[t] = dot * scale;
        }
        scores[n] = sink;
        Ops.softmax(scores, 0, n + 1);
        for (int i = 0; i < headDim; i++) out[outOffset + i] = 0f;
        for (int t = 0; t < n; t++) {
            int pos = from + t;
            float[] v = kv.values(pos);
            int off = kv.offset(pos) + kvOffset;
            if (vector) {
                VectorKernels.addScaled(out, outOffset, v, off, scores[t], headDim);
            } else {
                float w = scores[t];
                for (int i = 0; i < headDim; i++) out[outOffset + i] += w * v[off + i];
            }
        }
    }
}
