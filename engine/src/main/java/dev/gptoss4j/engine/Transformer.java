package dev.gptoss4j.engine;

import dev.gptoss4j.engine.kernels.Attention;
import dev.gptoss4j.engine.kernels.KvBuffer;
import dev.gptoss4j.engine.kernels.Matrix;
import dev.gptoss4j.engine.kernels.Ops;
import dev.gptoss4j.engine.kernels.Parallel;
import dev.gptoss4j.engine.kernels.Rope;
import dev.gptoss4j.engine.model.GptOssConfig;
import dev.gptoss4j.engine.model.LayerWeights;
import dev.gptoss4j.engine.model.ModelWeights;

/**
 * The gpt-oss forward pass for one token, with the names of the reference implementation
 * (openai/gpt-oss {@code gpt_oss/torch/model.py}): {@code Transformer} = embedding, {@code TransformerBlock}s of
 * {@code AttentionBlock} then {@code MLPBlock}, final {@code norm}, {@code unembedding}. Activations and
 * accumulation are float32. The weights are shared and immutable; everything that changes per token lives in
 * a {@link State} owned by one session.
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
        this.rope = new Rope(config.headDim(), config.ropeTheta(), config.ropeScalingFactor(),
                config.initialContextLength(), config.ropeNtkAlpha(), config.ropeNtkBeta());
        this.smScale = (float) (1.0 / Math.sqrt(config.headDim()));
    }

    /** Per-session buffers, allocated once; the per-token loop allocates nothing. */
    static final class State {
        final float[] x;          // residual stream
        final float[] t;          // normed input of a block
        final float[] qkv;        // q | k | v of the current token
        final float[] attn;       // attention output, all heads
        final float[] hidden;     // scratch of hidden size (projections)
        final float[] moe;        // weighted sum of the experts
        final float[] routerLogits;
        final int[] expertIndices;
        final float[] expertWeights;
        final float[] glu;        // expert hidden, glu half
        final float[] linear;     // expert hidden, linear half
        final float[] logits;
        final float[] cos;
        final float[] sin;
        final float[][] scores;   // one softmax scratch per head
        final KvBuffer[] cache;
        final Parallel pool;

        // the work of the current parallel step, read by the pre-built bodies below
        LayerWeights layer;
        int layerIndex;
        int position;
        Matrix matrix;
        Matrix matrix2;
        float[] in;
        float[] out;
        float[] out2;

        State(GptOssConfig c, int maxContext, int ringSlack, Parallel pool) {
            x = new float[c.hiddenSize()];
            t = new float[c.hiddenSize()];
            qkv = new float[c.qDim() + 2 * c.kvDim()];
            attn = new float[c.qDim()];
            hidden = new float[c.hiddenSize()];
            moe = new float[c.hiddenSize()];
            routerLogits = new float[c.numExperts()];
            expertIndices = new int[c.expertsPerToken()];
            expertWeights = new float[c.expertsPerToken()];
            glu = new float[c.intermediateSize()];
            linear = new float[c.intermediateSize()];
            logits = new float[c.vocabSize()];
            cos = new float[c.headDim() / 2];
            sin = new float[c.headDim() / 2];
            int longest = 0;
            cache = new KvBuffer[c.numLayers()];
            for (int l = 0; l < c.numLayers(); l++) {
                if (c.isSliding(l) && c.slidingWindow() < maxContext) {
                    int capacity = Math.min(maxContext, c.slidingWindow() + ringSlack);
                    cache[l] = KvBuffer.ring(c.kvDim(), capacity);
                    longest = Math.max(longest, c.slidingWindow());
                } else {
                    cache[l] = KvBuffer.growing(c.kvDim(), maxContext);
                    longest = maxContext;
                }
            }
            scores = new float[c.numHeads()][longest + 1];
            this.pool = pool;
        }
    }

    /** Rows of one matrix: {@code out = matrix . in}. */
    private static Parallel.RangeBody matvec(State s) {
        return (from, to) -> s.matrix.matvec(s.in, s.out, from, to);
    }

    /** Rows of two matrices with the same input: {@code out = matrix . in}, {@code out2 = matrix2 . in}. */
    private static Parallel.RangeBody matvecPair(State s) {
        return (from, to) -> {
            int n = s.matrix.rows();
            for (int r = from; r < to; r++) {
                if (r < n) s.out[r] = s.matrix.dot(r, s.in);
                else s.out2[r - n] = s.matrix2.dot(r - n, s.in);
            }
        };
    }

    /** Pre-built parallel bodies of one state, so the per-token loop creates no lambdas. */
    static final class Bodies {
        final Parallel.RangeBody matvec;
        final Parallel.RangeBody matvecPair;
        final Parallel.RangeBody qkv;
        final Parallel.RangeBody heads;

        Bodies(Transformer tf, State s) {
            matvec = matvec(s);
            matvecPair = matvecPair(s);
            qkv = (from, to) -> tf.qkvRows(s, from, to);
            heads = (from, to) -> tf.attentionHeads(s, from, to);
        }
    }

    /**
     * Runs token {@code token} at position {@code position} through the model, appending its keys and values to
     * the cache; fills {@code s.logits} when {@code computeLogits}.
     */
    void forward(State s, Bodies b, int token, int position, boolean computeLogits) {
        GptOssConfig c = config;
        weights.embedding().readRow(token, s.x);
        rope.angles(position, s.cos, s.sin);
        s.position = position;
        for (int l = 0; l < c.numLayers(); l++) {
            s.layer = weights.layers().get(l);
            s.layerIndex = l;
            attentionBlock(s, b);
            mlpBlock(s, b);
        }
        if (computeLogits) {
            Ops.rmsNorm(s.t, s.x, weights.norm(), c.rmsNormEps());
            run(s, b.matvec, weights.unembedding(), s.t, s.logits);
        }
    }

    /** {@code x = x + out(sdpa(rope(q), rope(k), v, sinks))} of {@code norm(x)}. */
    private void attentionBlock(State s, Bodies b) {
        GptOssConfig c = config;
        LayerWeights w = s.layer;
        Ops.rmsNorm(s.t, s.x, w.attnNorm(), c.rmsNormEps());
        s.pool.forRange(s.qkv.length, b.qkv);
        rope.rotate(s.qkv, 0, c.numHeads(), s.cos, s.sin);
        rope.rotate(s.qkv, c.qDim(), c.numKvHeads(), s.cos, s.sin);
        KvBuffer kv = s.cache[s.layerIndex];
        kv.reserve(s.position);
        int off = kv.offset(s.position);
        System.arraycopy(s.qkv, c.qDim(), kv.keys(s.position), off, c.kvDim());
        System.arraycopy(s.qkv, c.qDim() + c.kvDim(), kv.values(s.position), off, c.kvDim());
        s.pool.forRange(c.numHeads(), b.heads);
        run(s, b.matvec, w.wo(), s.attn, s.hidden);
        float[] bo = w.bo();
        for (int i = 0; i < c.hiddenSize(); i++) s.x[i] += s.hidden[i] + bo[i];
    }

    /** One output row of the fused q|k|v projection, bias included. */
    private void qkvRows(State s, int from, int to) {
        LayerWeights w = s.layer;
        int q = config.qDim();
        int kv = config.kvDim();
        for (int r = from; r < to; r++) {
            if (r < q) s.qkv[r] = w.wq().dot(r, s.t) + w.bq()[r];
            else if (r < q + kv) s.qkv[r] = w.wk().dot(r - q, s.t) + w.bk()[r - q];
            else s.qkv[r] = w.wv().dot(r - q - kv, s.t) + w.bv()[r - q - kv];
        }
    }

    /**
     * Query heads {@code from..to-1}. Head h reads key/value head {@code h / (heads / kvHeads)}; a sliding
     * layer sees the last {@code sliding_window} positions including the current one.
     */
    private void attentionHeads(State s, int from, int to) {
        GptOssConfig c = config;
        int qPerKv = c.numHeads() / c.numKvHeads();
        int first = c.isSliding(s.layerIndex) ? Math.max(0, s.position - c.slidingWindow() + 1) : 0;
        KvBuffer kv = s.cache[s.layerIndex];
        float[] sinks = s.layer.sinks();
        for (int h = from; h < to; h++) {
            int kvHead = h / qPerKv;
            Attention.attendHead(s.qkv, h * c.headDim(), kv, kvHead * c.headDim(), c.headDim(),
                    first, s.position, sinks[h], smScale, s.scores[h], s.attn, h * c.headDim());
        }
    }

    /**
     * {@code x = x + sum_e w_e * (mlp2_e(swiglu(mlp1_e(norm(x)))))} over the router's top-k experts, the
     * weights {@code w} being the softmax of the k selected router logits.
     */
    private void mlpBlock(State s, Bodies b) {
        GptOssConfig c = config;
        LayerWeights w = s.layer;
        Ops.rmsNorm(s.t, s.x, w.mlpNorm(), c.rmsNormEps());
        run(s, b.matvec, w.router(), s.t, s.routerLogits);
        for (int e = 0; e < c.numExperts(); e++) s.routerLogits[e] += w.routerBias()[e];
        topK(s.routerLogits, s.expertIndices, s.expertWeights);
        Ops.softmax(s.expertWeights, 0, s.expertWeights.length);
        java.util.Arrays.fill(s.moe, 0f);
        for (int k = 0; k < s.expertIndices.length; k++) {
            int e = s.expertIndices[k];
            // mlp1: both halves of the fused projection in one parallel pass
            s.matrix = w.expertGate()[e];
            s.matrix2 = w.expertUp()[e];
            s.in = s.t;
            s.out = s.glu;
            s.out2 = s.linear;
            s.pool.forRange(2 * c.intermediateSize(), b.matvecPair);
            float[] gateBias = w.gateBias()[e];
            float[] upBias = w.upBias()[e];
            for (int j = 0; j < c.intermediateSize(); j++) {
                s.glu[j] = Ops.swiglu(s.glu[j] + gateBias[j], s.linear[j] + upBias[j], SWIGLU_ALPHA, c.swigluLimit());
            }
            // mlp2
            run(s, b.matvec, w.expertDown()[e], s.glu, s.hidden);
            float[] downBias = w.downBias()[e];
            float weight = s.expertWeights[k];
            for (int i = 0; i < c.hiddenSize(); i++) s.moe[i] += weight * (s.hidden[i] + downBias[i]);
        }
        Ops.add(s.x, s.moe, c.hiddenSize());
    }

    private static void run(State s, Parallel.RangeBody matvec, Matrix m, float[] in, float[] out) {
        s.matrix = m;
        s.in = in;
        s.out = out;
        s.pool.forRange(m.rows(), matvec);
    }

    /**
     * The {@code k} largest values, largest first (ties: lower index first), as {@code torch.topk(sorted=True)}.
     */
    static void topK(float[] values, int[] indices, float[] selected) {
        int k = indices.length;
        for (int i = 0; i < k; i++) {
            int best = -1;
            for (int e = 0; e < values.length; e++) {
                boolean taken = false;
                for (int j = 0; j < i; j++) if (indices[j] == e) { taken = true; break; }
                if (!taken && (best < 0 || values[e] > values[best])) best = e;
            }
            indices[i] = best;
            selected[i] = values[best];
        }
    }
}
