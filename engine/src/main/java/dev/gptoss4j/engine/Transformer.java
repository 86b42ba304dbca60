package dev.gptoss4j.engine;

import dev.gptoss4j.engine.kernels.Attention;
import dev.gptoss4j.engine.kernels.KvBuffer;
import dev.gptoss4j.engine.kernels.KvPool;
import dev.gptoss4j.engine.kernels.Matrix;
import dev.gptoss4j.engine.kernels.Ops;
import dev.gptoss4j.engine.kernels.Parallel;
import dev.gptoss4j.engine.kernels.Rope;
import dev.gptoss4j.engine.model.GptOssConfig;
import dev.gptoss4j.engine.model.LayerWeights;
import dev.gptoss4j.engine.model.ModelWeights;
import java.util.Arrays;

/**
 * The gpt-oss forward pass, with the names of the reference implementation (openai/gpt-oss
 * {@code gpt_oss/torch/model.py}): {@code Transformer} = embedding, {@code TransformerBlock}s of
 * {@code AttentionBlock} then {@code MLPBlock}, final {@code norm}, {@code unembedding}. Activations and
 * accumulation are float32.
 *
 * <p>It runs a batch of consecutive tokens at once (one token when decoding, a chunk of the prompt when
 * prefilling, a draft when verifying speculation): every weight row is decoded once and used for all the batch's
 * tokens, and the MLP groups the tokens by expert. Each token's numbers do not depend on the batch it ran in: the
 * kernels compute every element with the same arithmetic ({@link Matrix#matmul}), attention and norms run per
 * token, and the experts' outputs are summed in the router's order. The weights are shared and immutable;
 * everything that changes lives in a {@link State} owned by one session.
 */
final class Transformer {

    /** SwiGLU's sigmoid slope, fixed by the reference. */
    static final float SWIGLU_ALPHA = 1.702f;

    final GptOssConfig config;
    final ModelWeights weights;
    final Rope rope;
    final float smScale;

    Transformer(GptOssConfig config, ModelWeights weights) {
        this.config = config;
        this.weights = weights;
        this.rope = new Rope(
                config.headDim(),
                config.ropeTheta(),
                config.ropeScalingFactor(),
                config.initialContextLength(),
                config.ropeNtkAlpha(),
                config.ropeNtkBeta());
        this.smScale = (float) (1.0 / Math.sqrt(config.headDim()));
    }

    /** Per-session buffers for up to {@code capacity} tokens a call, allocated once; the forward pass allocates nothing. */
    static final class State {
        final int capacity; // most tokens per forward call
        final int logitRows; // most tokens with logits per call
        final float[] x; // residual stream, [token][hidden]
        final float[] t; // normed input of a block
        final float[] tk; // expert input in the experts' kernel order
        final float[] qkv; // q | k | v per token
        final float[] attn; // attention output, all heads
        final float[] hidden; // projection output
        final float[] routerLogits;
        final int[] expertIndices; // [token][k]
        final float[] expertWeights; // [token][k]
        final float[] gate; // expert hidden per (token, k), glu half
        final float[] up; // linear half
        final float[] act; // swiglu(gate, up) in the down projection's kernel order
        final float[] expertOut; // down projection per (token, k)
        final float[] moe; // weighted sum of one token's experts
        final float[] logits; // [row][vocab]
        final float[] cos; // [token][headDim/2]
        final float[] sin;
        final float[][] scores; // softmax scratch per worker: grows to a head group's scores (scoresMax)
        final int scoresMax; // floats of the widest head group's scores at the longest context
        final float[][] kvRows; // one block of one head's cached rows, widened, per worker
        final float[][] scratch; // decoded weight rows per worker
        final Parallel pool;

        // the batch: token ids, their positions and their sequences' caches (a batch may mix sequences)
        final int[] tokenIds;
        final int[] positions;
        final KvBuffer[][] caches;
        final int[] logitTokens; // batch indices whose logits are wanted, ascending

        // offsets of each token's (or expert pair's) row in the buffers above
        final int[] hiddenOffs;
        final int[] qOffs;
        final int[] kOffs;
        final int[] vOffs;
        final int[] attnOffs;
        final int[] routerOffs;
        final int[] logitOffs;
        final int[] logitIn;
        final int[] pairIn; // sorted by expert: the token's row of tk
        final int[] pairMid; // the pair's row of gate / up / act
        final int[] pairOut; // the pair's row of expertOut
        final int[] expertStart;
        final int[] active;
        int activeCount;

        // the work of the current parallel step, read by the pre-built bodies
        LayerWeights layer;
        int layerIndex;
        int count;
        Matrix matrix;
        float[] in;
        int[] inOffs;
        float[] out;
        int[] outOffs;
        int rows;
        int projectCount;
        int headSplit; // parts each key/value head's group of query heads is split into for the workers

        final Parallel.WorkerBody project;
        final Parallel.WorkerBody qkvBody;
        final Parallel.WorkerBody heads;
        final Parallel.WorkerBody gateUp;
        final Parallel.WorkerBody down;

        /**
         * @param maxContext the longest sequence this state will run (sizes the attention scratch)
         * @param capacity   most tokens per forward call
         * @param logitRows  most tokens with logits per call
         */
        State(Transformer tf, int maxContext, int capacity, int logitRows, Parallel pool) {
            GptOssConfig c = tf.config;
            this.capacity = capacity;
            this.logitRows = logitRows;
            int h = c.hiddenSize();
            int k = c.expertsPerToken();
            int qkvDim = c.qDim() + 2 * c.kvDim();
            x = new float[capacity * h];
            t = new float[capacity * h];
            tk = new float[capacity * h];
            qkv = new float[capacity * qkvDim];
            attn = new float[capacity * c.qDim()];
            hidden = new float[capacity * h];
            routerLogits = new float[capacity * c.numExperts()];
            expertIndices = new int[capacity * k];
            expertWeights = new float[capacity * k];
            gate = new float[capacity * k * c.intermediateSize()];
            up = new float[gate.length];
            act = new float[gate.length];
            expertOut = new float[capacity * k * h];
            moe = new float[h];
            logits = new float[logitRows * c.vocabSize()];
            cos = new float[capacity * (c.headDim() / 2)];
            sin = new float[cos.length];
            int longest = 0;
            for (int l = 0; l < c.numLayers(); l++) {
                longest = Math.max(longest, c.isSliding(l) ? Math.min(c.slidingWindow(), maxContext) : maxContext);
            }
            scores = new float[pool.threads()][longest + 1];
            scoresMax = Attention.groupScratch(c.numHeads() / c.numKvHeads(), longest);
            kvRows = new float[pool.threads()][Attention.rowScratch(c.headDim())];
            tokenIds = new int[capacity];
            positions = new int[capacity];
            caches = new KvBuffer[capacity][];
            logitTokens = new int[logitRows];
            int widest = Math.max(Math.max(h, c.qDim()), c.intermediateSize());
            scratch = new float[pool.threads()][Matrix.scratchSize(widest)];
            this.pool = pool;

            hiddenOffs = offsets(capacity, h, 0);
            qOffs = offsets(capacity, qkvDim, 0);
            kOffs = offsets(capacity, qkvDim, c.qDim());
            vOffs = offsets(capacity, qkvDim, c.qDim() + c.kvDim());
            attnOffs = offsets(capacity, c.qDim(), 0);
            routerOffs = offsets(capacity, c.numExperts(), 0);
            logitOffs = offsets(logitRows, c.vocabSize(), 0);
            logitIn = new int[logitRows];
            pairIn = new int[capacity * k];
            pairMid = new int[capacity * k];
            pairOut = new int[capacity * k];
            expertStart = new int[c.numExperts() + 1];
            active = new int[c.numExperts()];

            project = (worker, from, to) -> matrix.matmul(
                    in,
                    inOffs,
                    0,
                    projectCount,
                    out,
                    outOffs,
                    Matrix.TILE_ROWS * from,
                    Math.min(rows, Matrix.TILE_ROWS * to),
                    scratch[worker]);
            qkvBody = (worker, from, to) -> tf.qkvRows(this, worker, from, to);
            heads = (worker, from, to) -> tf.attentionHeads(this, worker, from, to);
            gateUp = (worker, from, to) -> tf.gateUpRows(this, worker, from, to);
            down = (worker, from, to) -> tf.downRows(this, worker, from, to);
        }

        private static int[] offsets(int n, int stride, int base) {
            int[] o = new int[n];
            for (int i = 0; i < n; i++) o[i] = base + i * stride;
            return o;
        }

        /** Bytes of the buffers (not the cache). */
        long bufferBytes() {
            long floats = (long) x.length
                    + t.length
                    + tk.length
                    + qkv.length
                    + attn.length
                    + hidden.length
                    + routerLogits.length
                    + expertWeights.length
                    + gate.length
                    + up.length
                    + act.length
                    + expertOut.length
                    + moe.length
                    + logits.length
                    + cos.length
                    + sin.length;
            for (float[] s : scores) floats += s.length;
            for (float[] s : scratch) floats += s.length;
            for (float[] s : kvRows) floats += s.length;
            return 4 * floats;
        }

        /**
         * Bytes of the buffers once attention's scratch has grown to its most (every worker's scores holding a
         * head group at the longest context): what a sequence of that length costs on the heap, the cache aside.
         */
        long peakBufferBytes() {
            long grown = 0;
            for (float[] s : scores) grown += Math.max(0, scoresMax - s.length);
            return bufferBytes() + 4 * grown;
        }
    }

    /**
     * The key/value cache of one sequence, a buffer per layer. A batch writes all its keys before attending, so a
     * sliding layer's ring holds the window plus the batch ({@code batch}) plus {@code ringSlack} positions kept for
     * rewinding; a sliding layer whose ring would span the whole context keeps everything instead.
     */
    KvBuffer[] newCache(KvPool pool, int maxContext, int batch, int ringSlack) {
        GptOssConfig c = config;
        KvBuffer[] cache = new KvBuffer[c.numLayers()];
        for (int l = 0; l < c.numLayers(); l++) {
            if (c.isSliding(l) && c.slidingWindow() + batch - 1 < maxContext) {
                cache[l] = KvBuffer.ring(pool, Math.min(maxContext, c.slidingWindow() + batch - 1 + ringSlack));
            } else {
                cache[l] = KvBuffer.growing(pool, maxContext);
            }
        }
        return cache;
    }

    /**
     * Runs {@code tokens[from .. from+count)} of one sequence at positions {@code start ..} through the model,
     * appending their keys and values to {@code cache}. For the {@code logitCount} batch indices in
     * {@code logitTokens} (ascending), fills row {@code j} of {@code s.logits} with the logits after token
     * {@code logitTokens[j]}.
     */
    void forward(
            State s,
            KvBuffer[] cache,
            int[] tokens,
            int from,
            int count,
            int start,
            int[] logitTokens,
            int logitCount) {
        checkBatch(s, count, logitCount);
        for (int i = 0; i < count; i++) {
            s.tokenIds[i] = tokens[from + i];
            s.positions[i] = start + i;
            s.caches[i] = cache;
        }
        System.arraycopy(logitTokens, 0, s.logitTokens, 0, logitCount);
        forward(s, count, logitCount);
    }

    private static void checkBatch(State s, int count, int logitCount) {
        if (count < 1 || count > s.capacity || logitCount > s.logitRows) {
            throw new IllegalArgumentException("batch of " + count + " tokens with " + logitCount
                    + " logits exceeds the state's " + s.capacity + " / " + s.logitRows);
        }
    }

    /**
     * Runs the batch the caller put in {@code s.tokenIds}, {@code s.positions} and {@code s.caches} (the first
     * {@code count} entries; tokens of several sequences may be mixed, each sequence's tokens consecutive and in
     * order) and fills logits row {@code j} for batch index {@code s.logitTokens[j]}, {@code j < logitCount}. Every
     * token's numbers are the same whatever else is in the batch.
     */
    void forward(State s, int count, int logitCount) {
        GptOssConfig c = config;
        int h = c.hiddenSize();
        checkBatch(s, count, logitCount);
        s.count = count;
        int half = c.headDim() / 2;
        for (int i = 0; i < count; i++) {
            weights.embedding().readRow(s.tokenIds[i], s.x, i * h);
            rope.angles(s.positions[i], s.cos, s.sin, i * half);
        }
        for (int l = 0; l < c.numLayers(); l++) {
            s.layer = weights.layers().get(l);
            s.layerIndex = l;
            attentionBlock(s);
            mlpBlock(s);
        }
        if (logitCount > 0) {
            for (int j = 0; j < logitCount; j++) {
                int i = s.logitTokens[j];
                Ops.rmsNorm(s.t, i * h, s.x, i * h, weights.norm(), c.rmsNormEps());
                s.logitIn[j] = i * h;
            }
            project(s, weights.unembedding(), s.t, s.logitIn, logitCount, s.logits, s.logitOffs);
        }
    }

    /** {@code x = x + out(sdpa(rope(q), rope(k), v, sinks))} of {@code norm(x)}, per token. */
    private void attentionBlock(State s) {
        GptOssConfig c = config;
        LayerWeights w = s.layer;
        int h = c.hiddenSize();
        int hd = c.headDim();
        for (int i = 0; i < s.count; i++) Ops.rmsNorm(s.t, i * h, s.x, i * h, w.attnNorm(), c.rmsNormEps());
        s.pool.forEach(units(c.qDim()) + 2 * units(c.kvDim()), s.qkvBody);
        for (int i = 0; i < s.count; i++) {
            int q = s.qOffs[i];
            int k = s.kOffs[i];
            int v = s.vOffs[i];
            for (int j = 0; j < c.qDim(); j++) s.qkv[q + j] += w.bq()[j];
            for (int j = 0; j < c.kvDim(); j++) s.qkv[k + j] += w.bk()[j];
            for (int j = 0; j < c.kvDim(); j++) s.qkv[v + j] += w.bv()[j];
            rope.rotate(s.qkv, q, c.numHeads(), s.cos, s.sin, i * (hd / 2));
            rope.rotate(s.qkv, k, c.numKvHeads(), s.cos, s.sin, i * (hd / 2));
            s.caches[i][s.layerIndex].write(s.positions[i], s.qkv, k, s.qkv, v);
        }
        // (token, key/value head, part of its query heads) units: whole groups unless the workers need more units
        int qPerKv = c.numHeads() / c.numKvHeads();
        int units = s.count * c.numKvHeads();
        s.headSplit = 1;
        while (units * s.headSplit < s.pool.threads() && s.headSplit < qPerKv) {
            do s.headSplit++;
            while (qPerKv % s.headSplit != 0);
        }
        s.pool.forEach(units * s.headSplit, s.heads);
        project(s, w.wo(), s.attn, s.attnOffs, s.count, s.hidden, s.hiddenOffs);
        float[] bo = w.bo();
        for (int i = 0; i < s.count; i++) {
            int o = i * h;
            for (int j = 0; j < h; j++) s.x[o + j] += s.hidden[o + j] + bo[j];
        }
    }

    /** Row tiles of the fused q|k|v projection, biases added afterwards. */
    private void qkvRows(State s, int worker, int from, int to) {
        LayerWeights w = s.layer;
        int qUnits = units(config.qDim());
        int kvUnits = units(config.kvDim());
        for (int u = from; u < to; u++) {
            Matrix m;
            int[] outOffs;
            int tile;
            if (u < qUnits) {
                m = w.wq();
                outOffs = s.qOffs;
                tile = u;
            } else if (u < qUnits + kvUnits) {
                m = w.wk();
                outOffs = s.kOffs;
                tile = u - qUnits;
            } else {
                m = w.wv();
                outOffs = s.vOffs;
                tile = u - qUnits - kvUnits;
            }
            m.matmul(
                    s.t,
                    s.hiddenOffs,
                    0,
                    s.count,
                    s.qkv,
                    outOffs,
                    Matrix.TILE_ROWS * tile,
                    Math.min(m.rows(), Matrix.TILE_ROWS * (tile + 1)),
                    s.scratch[worker]);
        }
    }

    /**
     * Units {@code from..to-1} of (token, key/value head, part): the part's query heads read key/value head
     * {@code kvHead} together ({@link Attention#attendGroup}: each cached row widened once for all of them); a
     * sliding layer sees the last {@code sliding_window} positions including the current one, and reads only those.
     */
    private void attentionHeads(State s, int worker, int from, int to) {
        GptOssConfig c = config;
        int hd = c.headDim();
        int qPerKv = c.numHeads() / c.numKvHeads();
        int split = s.headSplit;
        int heads = qPerKv / split;
        int perToken = c.numKvHeads() * split;
        boolean sliding = c.isSliding(s.layerIndex);
        float[] sinks = s.layer.sinks();
        for (int idx = from; idx < to; idx++) {
            int i = idx / perToken;
            int unit = idx % perToken;
            int kvHead = unit / split;
            int head = kvHead * qPerKv + (unit % split) * heads;
            int position = s.positions[i];
            int first = sliding ? Math.max(0, position - c.slidingWindow() + 1) : 0;
            float[] scores = s.scores[worker];
            int need = Attention.groupScratch(heads, position - first + 1);
            if (scores.length < need) {
                // grows with the context actually used, by doubling, up to the longest context's group
                scores = s.scores[worker] = new float[Math.max(need, Math.min(s.scoresMax, 2 * scores.length))];
            }
            Attention.attendGroup(
                    s.qkv,
                    s.qOffs[i] + head * hd,
                    heads,
                    s.caches[i][s.layerIndex],
                    kvHead,
                    first,
                    position,
                    sinks,
                    head,
                    smScale,
                    scores,
                    s.kvRows[worker],
                    s.attn,
                    s.attnOffs[i] + head * hd);
        }
    }

    /**
     * {@code x = x + sum_e w_e * (mlp2_e(swiglu(mlp1_e(norm(x)))))} over the router's top-k experts, the
     * weights {@code w} being the softmax of the k selected router logits. The batch's tokens are grouped by
     * expert so each expert's rows are decoded once for all the tokens that chose it.
     */
    private void mlpBlock(State s) {
        GptOssConfig c = config;
        LayerWeights w = s.layer;
        int h = c.hiddenSize();
        int k = c.expertsPerToken();
        int e = c.numExperts();
        Matrix gate0 = w.expertGate()[0];
        for (int i = 0; i < s.count; i++) {
            Ops.rmsNorm(s.t, i * h, s.x, i * h, w.mlpNorm(), c.rmsNormEps());
            gate0.permuteInput(s.t, i * h, s.tk, i * h);
        }
        project(s, w.router(), s.t, s.hiddenOffs, s.count, s.routerLogits, s.routerOffs);
        Arrays.fill(s.expertStart, 0);
        for (int i = 0; i < s.count; i++) {
            int r = i * e;
            for (int j = 0; j < e; j++) s.routerLogits[r + j] += w.routerBias()[j];
            topK(s.routerLogits, r, e, s.expertIndices, s.expertWeights, i * k, k);
            Ops.softmax(s.expertWeights, i * k, i * k + k);
            for (int j = 0; j < k; j++) s.expertStart[s.expertIndices[i * k + j] + 1]++;
        }
        // group the (token, k) pairs by expert, tokens in order within an expert
        s.activeCount = 0;
        for (int j = 0; j < e; j++) {
            if (s.expertStart[j + 1] > 0) s.active[s.activeCount++] = j;
            s.expertStart[j + 1] += s.expertStart[j];
        }
        int inter = c.intermediateSize();
        for (int i = 0; i < s.count; i++) {
            for (int j = 0; j < k; j++) {
                int p = i * k + j;
                int slot = s.expertStart[s.expertIndices[p]]++;
                s.pairIn[slot] = i * h;
                s.pairMid[slot] = p * inter;
                s.pairOut[slot] = p * h;
            }
        }
        for (int j = e; j > 0; j--) s.expertStart[j] = s.expertStart[j - 1];
        s.expertStart[0] = 0;
        // mlp1 + swiglu, then mlp2: worker i takes the i-th share of every active expert's rows, so the work is
        // even whatever the experts' token counts, and each share is one run of rows: 16-row tiles alternating
        // between experts kept the hardware prefetchers restarting (a decode step read experts at 13 GB/s, where
        // the same threads read the bf16 unembedding at 19)
        s.pool.forEach(s.pool.threads(), s.gateUp);
        s.pool.forEach(s.pool.threads(), s.down);
        for (int i = 0; i < s.count; i++) {
            Arrays.fill(s.moe, 0f);
            for (int j = 0; j < k; j++) {
                int p = i * k + j;
                float[] downBias = w.downBias()[s.expertIndices[p]];
                float weight = s.expertWeights[p];
                int o = p * h;
                for (int d = 0; d < h; d++) s.moe[d] += weight * (s.expertOut[o + d] + downBias[d]);
            }
            int o = i * h;
            for (int d = 0; d < h; d++) s.x[o + d] += s.moe[d];
        }
    }

    private void gateUpRows(State s, int worker, int from, int to) {
        LayerWeights w = s.layer;
        int inter = config.intermediateSize();
        float limit = config.swigluLimit();
        int shares = s.pool.threads();
        for (int share = from; share < to; share++) {
            int r0 = share(inter, share, shares), r1 = share(inter, share + 1, shares);
            for (int a = 0; a < s.activeCount; a++) {
                int expert = s.active[a];
                int first = s.expertStart[expert];
                int n = s.expertStart[expert + 1] - first;
                w.expertGate()[expert].matmul(s.tk, s.pairIn, first, n, s.gate, s.pairMid, r0, r1, s.scratch[worker]);
                w.expertUp()[expert].matmul(s.tk, s.pairIn, first, n, s.up, s.pairMid, r0, r1, s.scratch[worker]);
                float[] gateBias = w.gateBias()[expert];
                float[] upBias = w.upBias()[expert];
                Matrix down = w.expertDown()[expert];
                for (int p = first; p < first + n; p++) {
                    int o = s.pairMid[p];
                    for (int j = r0; j < r1; j++) {
                        s.act[o + down.inputPosition(j)] =
                                Ops.swiglu(s.gate[o + j] + gateBias[j], s.up[o + j] + upBias[j], SWIGLU_ALPHA, limit);
                    }
                }
            }
        }
    }

    private void downRows(State s, int worker, int from, int to) {
        LayerWeights w = s.layer;
        int h = config.hiddenSize();
        int shares = s.pool.threads();
        for (int share = from; share < to; share++) {
            int r0 = share(h, share, shares), r1 = share(h, share + 1, shares);
            for (int a = 0; a < s.activeCount; a++) {
                int expert = s.active[a];
                int first = s.expertStart[expert];
                w.expertDown()[expert].matmul(
                        s.act,
                        s.pairMid,
                        first,
                        s.expertStart[expert + 1] - first,
                        s.expertOut,
                        s.pairOut,
                        r0,
                        r1,
                        s.scratch[worker]);
            }
        }
    }

    /** Where share {@code i} of {@code shares} begins in {@code rows} rows, on a {@link Matrix#TILE_ROWS} boundary. */
    private static int share(int rows, int i, int shares) {
        return i == shares ? rows : Matrix.TILE_ROWS * (int) ((long) units(rows) * i / shares);
    }

    /** {@code out[outOffs[i] + r] = m . in[inOffs[i]..]} for the first {@code count} rows of the offset tables. */
    private static void project(State s, Matrix m, float[] in, int[] inOffs, int count, float[] out, int[] outOffs) {
        s.matrix = m;
        s.in = in;
        s.inOffs = inOffs;
        s.projectCount = count;
        s.out = out;
        s.outOffs = outOffs;
        s.rows = m.rows();
        s.pool.forEach(units(m.rows()), s.project);
    }

    /** Row tiles of {@link Matrix#TILE_ROWS}, the rows one matrix-matrix call decodes at once. */
    private static int units(int rows) {
        return (rows + Matrix.TILE_ROWS - 1) / Matrix.TILE_ROWS;
    }

    /**
     * The {@code k} largest of {@code values[from..from+n)}, largest first (ties: lower index first), as
     * {@code torch.topk(sorted=True)}; indices relative to {@code from}.
     */
    static void topK(float[] values, int from, int n, int[] indices, float[] selected, int at, int k) {
        for (int i = 0; i < k; i++) {
            int best = -1;
            for (int e = 0; e < n; e++) {
                boolean taken = false;
                for (int j = 0; j < i; j++)
                    if (indices[at + j] == e) {
                        taken = true;
                        break;
                    }
                if (!taken && (best < 0 || values[from + e] > values[from + best])) best = e;
            }
            indices[at + i] = best;
            selected[at + i] = values[from + best];
        }
    }
}
