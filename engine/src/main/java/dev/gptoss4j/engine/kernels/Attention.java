package dev.gptoss4j.engine.kernels;

/**
 * Scaled dot-product attention of one query head over cached keys and values, with a learned attention sink:
 * the sink is one more logit in the softmax whose value row is empty, so it only takes probability mass away
 * (the reference's {@code sdpa} appends S to QK, softmaxes, and drops the last column).
 */
public final class Attention {

    private Attention() {}

    /**
     * @param q         query vector array; the head starts at {@code qOffset}
     * @param kv        the layer's cache
     * @param kvHead    the key/value head this query head reads
     * @param from      first visible position (inclusive)
     * @param to        last visible position (inclusive): the current token
     * @param sink      the head's sink logit
     * @param scale     softmax scale, 1/sqrt(headDim)
     * @param scores    scratch of at least {@code to - from + 2} floats
     * @param out       receives the head's output at {@code outOffset}
     */
    public static void attendHead(
            float[] q,
            int qOffset,
            KvBuffer kv,
            int kvHead,
            int from,
            int to,
            float sink,
            float scale,
            float[] scores,
            float[] out,
            int outOffset) {
        KvPool pool = kv.pool();
        KvType type = pool.type();
        int headDim = pool.headDim();
        long rowBytes = (long) headDim * type.bytes();
        long values = pool.valuesOffset();
        int n = to - from + 1;
        // keys block by block: one head's rows of a block are contiguous, so they stream
        for (int pos = from; pos <= to; ) {
            int slot = pos % KvPool.BLOCK;
            int last = Math.min(to, pos - slot + KvPool.BLOCK - 1);
            var seg = pool.segment(kv.block(pos));
            long at = pool.keyOffset(kvHead, slot);
            for (; pos <= last; pos++, at += rowBytes) {
                scores[pos - from] = KvKernels.dot(type, q, qOffset, seg, at, headDim) * scale;
            }
        }
        scores[n] = sink;
        Ops.softmax(scores, 0, n + 1);
        for (int i = 0; i < headDim; i++) out[outOffset + i] = 0f;
        for (int pos = from; pos <= to; ) {
            int slot = pos % KvPool.BLOCK;
            int last = Math.min(to, pos - slot + KvPool.BLOCK - 1);
            var seg = pool.segment(kv.block(pos));
            long at = values + pool.keyOffset(kvHead, slot);
            for (; pos <= last; pos++, at += rowBytes) {
                KvKernels.addScaled(type, out, outOffset, seg, at, scores[pos - from], headDim);
            }
        }
    }
}
