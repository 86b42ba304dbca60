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

    /**
     * {@link #attendHead} for {@code heads} query heads that share key/value head {@code kvHead} (grouped-query
     * attention: gpt-oss has 8 query heads per key/value head), reading each cached row once for all of them:
     * block by block, a block's keys (then values) are widened to float32 once into {@code rows} and every head's
     * scores (then outputs) are formed from them. Each head gets bit for bit what {@link #attendHead} gives it.
     *
     * @param q         query heads {@code g = 0..heads-1} start at {@code qOffset + g * headDim}
     * @param sinks     head g's sink logit is {@code sinks[sinkOffset + g]}
     * @param scores    scratch of at least {@link #groupScratch heads * (to - from + 2)} floats
     * @param rows      scratch of at least {@link #rowScratch} floats
     * @param out       head g's output goes to {@code outOffset + g * headDim}
     */
    public static void attendGroup(
            float[] q,
            int qOffset,
            int heads,
            KvBuffer kv,
            int kvHead,
            int from,
            int to,
            float[] sinks,
            int sinkOffset,
            float scale,
            float[] scores,
            float[] rows,
            float[] out,
            int outOffset) {
        KvPool pool = kv.pool();
        KvType type = pool.type();
        int headDim = pool.headDim();
        long values = pool.valuesOffset();
        int n = to - from + 1;
        int stride = n + 1;
        // keys in cache order, a block's rows of this head at a time (contiguous in the block)
        for (int pos = from; pos <= to; ) {
            int slot = pos % KvPool.BLOCK;
            int count = Math.min(to + 1, pos - slot + KvPool.BLOCK) - pos;
            var seg = pool.segment(kv.block(pos));
            KvKernels.decodeRows(type, seg, pool.keyOffset(kvHead, slot), rows, 0, count * headDim);
            for (int g = 0; g < heads; g++) {
                KvKernels.scores(
                        q, qOffset + g * headDim, rows, count, headDim, scale, scores, g * stride + pos - from);
            }
            pos += count;
        }
        for (int g = 0; g < heads; g++) {
            scores[g * stride + n] = sinks[sinkOffset + g];
            Ops.softmax(scores, g * stride, g * stride + n + 1);
        }
        java.util.Arrays.fill(out, outOffset, outOffset + heads * headDim, 0f);
        for (int pos = from; pos <= to; ) {
            int slot = pos % KvPool.BLOCK;
            int count = Math.min(to + 1, pos - slot + KvPool.BLOCK) - pos;
            var seg = pool.segment(kv.block(pos));
            KvKernels.decodeRows(type, seg, values + pool.keyOffset(kvHead, slot), rows, 0, count * headDim);
            for (int g = 0; g < heads; g++) {
                KvKernels.accumulate(
                        scores, g * stride + pos - from, rows, count, headDim, out, outOffset + g * headDim);
            }
            pos += count;
        }
    }

    /** Floats of {@code scores} scratch {@link #attendGroup} needs for {@code heads} heads over {@code positions}. */
    public static int groupScratch(int heads, int positions) {
        return heads * (positions + 1);
    }

    /** Floats of {@code rows} scratch {@link #attendGroup} needs: one block of one head's rows. */
    public static int rowScratch(int headDim) {
        return KvPool.BLOCK * headDim;
    }
}
