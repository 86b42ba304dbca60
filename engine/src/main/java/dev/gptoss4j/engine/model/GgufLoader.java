package dev.gptoss4j.engine.model;

import dev.gptoss4j.engine.kernels.Matrix;
import dev.gptoss4j.engine.kernels.WeightType;
import dev.gptoss4j.engine.model.gguf.GgufFile;
import dev.gptoss4j.engine.model.io.ModelFormatException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Loads a GGUF file of architecture {@code gpt-oss} as llama.cpp's converter writes it: gate and linear expert
 * halves already split ({@code ffn_gate_exps} / {@code ffn_up_exps}), experts usually in ggml MXFP4 blocks,
 * other tensors F32/F16/BF16/Q8_0. ggml lists dimensions innermost first, so a [cols, rows] tensor is a
 * row-major rows x cols matrix.
 */
final class GgufLoader {

    static final String ARCH = "gpt-oss";

    private GgufLoader() {}

    static LoadedModel load(Path path, Arena arena) {
        GgufFile gguf = GgufFile.open(path, arena);
        Object arch = gguf.metadata().get("general.architecture");
        if (arch == null) {
            throw new ModelFormatException(path + ": missing key general.architecture (expected \"" + ARCH + "\")");
        }
        if (!ARCH.equals(arch)) {
            throw new ModelFormatException(path + ": wrong architecture \"" + arch + "\", expected \"" + ARCH + "\"");
        }
        Tensors t = new Tensors(gguf);
        GptOssConfig c;
        try {
            c = config(gguf, t);
        } catch (ModelFormatException e) {
            if (e.getMessage().startsWith(path.toString())) throw e;
            throw new ModelFormatException(path + ": " + e.getMessage(), e);
        }
        int h = c.hiddenSize();
        List<LayerWeights> layers = new ArrayList<>();
        for (int i = 0; i < c.numLayers(); i++) layers.add(layer(t, c, "blk." + i + "."));
        Matrix embedding = t.matrix("token_embd.weight", c.vocabSize(), h);
        Matrix output =
                gguf.tensors().containsKey("output.weight") ? t.matrix("output.weight", c.vocabSize(), h) : embedding;
        List<String> vocab = new ArrayList<>();
        if (gguf.metadata().get("tokenizer.ggml.tokens") instanceof List<?> tokens) {
            for (Object o : tokens) vocab.add(String.valueOf(o));
        }
        return new LoadedModel(
                path,
                ModelLayout.GGUF,
                c,
                new ModelWeights(embedding, layers, t.vector("output_norm.weight", h), output),
                vocab,
                arena);
    }

    private static LayerWeights layer(Tensors t, GptOssConfig c, String p) {
        int h = c.hiddenSize();
        int q = c.qDim();
        int kv = c.kvDim();
        int e = c.numExperts();
        int i = c.intermediateSize();
        return new LayerWeights(
                t.vector(p + "attn_norm.weight", h),
                t.matrix(p + "attn_q.weight", q, h),
                t.vector(p + "attn_q.bias", q),
                t.matrix(p + "attn_k.weight", kv, h),
                t.vector(p + "attn_k.bias", kv),
                t.matrix(p + "attn_v.weight", kv, h),
                t.vector(p + "attn_v.bias", kv),
                t.vector(p + "attn_sinks.weight", c.numHeads()),
                t.matrix(p + "attn_output.weight", h, q),
                t.vector(p + "attn_output.bias", h),
                t.vector(p + "post_attention_norm.weight", h),
                t.matrix(p + "ffn_gate_inp.weight", e, h),
                t.vector(p + "ffn_gate_inp.bias", e),
                t.experts(p + "ffn_gate_exps.weight", e, i, h),
                t.vectors(p + "ffn_gate_exps.bias", e, i),
                t.experts(p + "ffn_up_exps.weight", e, i, h),
                t.vectors(p + "ffn_up_exps.bias", e, i),
                t.experts(p + "ffn_down_exps.weight", e, h, i),
                t.vectors(p + "ffn_down_exps.bias", e, h));
    }

    private static GptOssConfig config(GgufFile g, Tensors t) {
        Meta m = new Meta(g);
        String a = ARCH + ".";
        int layers = m.requireInt(a + "block_count");
        int hidden = m.requireInt(a + "embedding_length");
        int heads = m.requireInt(a + "attention.head_count");
        int kvHeads = m.requireInt(a + "attention.head_count_kv");
        int headDim = m.intOr(a + "attention.key_length", hidden / heads);
        int expertWidth = m.has(a + "expert_feed_forward_length")
                ? m.requireInt(a + "expert_feed_forward_length")
                : m.requireInt(a + "feed_forward_length");
        GgufFile.TensorInfo embd = t.info("token_embd.weight");
        if (embd.dims().length != 2 || embd.dims()[0] != hidden || embd.dims()[1] > Integer.MAX_VALUE) {
            throw new ModelFormatException(g.path() + ": tensor token_embd.weight has dimensions "
                    + Arrays.toString(embd.dims()) + ", expected [" + hidden + ", vocab size]");
        }
        int vocab = Math.toIntExact(embd.dims()[1]);
        double factor = m.doubleOr(a + "rope.scaling.factor", 1.0);
        String scalingType = m.stringOr(a + "rope.scaling.type", factor > 1 ? "yarn" : "none");
        if (!scalingType.equals("yarn") && !scalingType.equals("none")) {
            throw new ModelFormatException(
                    g.path() + ": key " + a + "rope.scaling.type is \"" + scalingType + "\", expected \"yarn\"");
        }
        if (scalingType.equals("none")) factor = 1.0;
        int context = m.requireInt(a + "context_length");
        int initial = m.intOr(a + "rope.scaling.original_context_length", context);
        int eos = m.intOr("tokenizer.ggml.eos_token_id", -1);
        return new GptOssConfig(
                vocab,
                hidden,
                layers,
                heads,
                kvHeads,
                headDim,
                m.requireInt(a + "expert_count"),
                m.requireInt(a + "expert_used_count"),
                expertWidth,
                // gpt-oss fixes the SwiGLU clamp at 7.0 and GGUF has no key for it
                7.0f,
                m.requireInt(a + "attention.sliding_window"),
                // llama.cpp's gpt-oss graph uses the same rule as the reference: even layers slide
                GptOssConfig.alternatingSlidingLayers(layers),
                m.requireDouble(a + "rope.freq_base"),
                factor,
                m.doubleOr(a + "rope.scaling.yarn_beta_slow", 1.0),
                m.doubleOr(a + "rope.scaling.yarn_beta_fast", 32.0),
                initial,
                context,
                (float) m.requireDouble(a + "attention.layer_norm_rms_epsilon"),
                eos >= 0 ? new int[] {eos} : new int[0]);
    }

    /** Typed metadata access with errors naming file and key. */
    private record Meta(GgufFile g) {
        boolean has(String key) {
            return g.metadata().containsKey(key);
        }

        int requireInt(String key) {
            Object v = g.metadata().get(key);
            if (v == null) throw new ModelFormatException(g.path() + ": missing key " + key);
            if (!(v instanceof Integer || v instanceof Long)
                    || ((Number) v).longValue() > Integer.MAX_VALUE
                    || ((Number) v).longValue() < Integer.MIN_VALUE) {
                throw new ModelFormatException(g.path() + ": key " + key + " should be an integer, got " + v);
            }
            return ((Number) v).intValue();
        }

        int intOr(String key, int fallback) {
            return has(key) ? requireInt(key) : fallback;
        }

        double requireDouble(String key) {
            Object v = g.metadata().get(key);
            if (v == null) throw new ModelFormatException(g.path() + ": missing key " + key);
            if (!(v instanceof Number n)) {
                throw new ModelFormatException(g.path() + ": key " + key + " should be a number, got " + v);
            }
            return n.doubleValue();
        }

        double doubleOr(String key, double fallback) {
            return has(key) ? requireDouble(key) : fallback;
        }

        String stringOr(String key, String fallback) {
            Object v = g.metadata().get(key);
            return v == null ? fallback : String.valueOf(v);
        }
    }

    private record Tensors(GgufFile g) {
        GgufFile.TensorInfo info(String name) {
            GgufFile.TensorInfo info = g.tensors().get(name);
            if (info == null) throw new ModelFormatException(g.path() + ": missing tensor " + name);
            return info;
        }

        /** The tensor with ggml dimensions {@code dims} (innermost first) and one of the supported types. */
        GgufFile.TensorInfo get(String name, long... dims) {
            GgufFile.TensorInfo info = info(name);
            if (!Arrays.equals(info.dims(), dims)) {
                throw new ModelFormatException(g.path() + ": tensor " + name + " has dimensions "
                        + Arrays.toString(info.dims()) + ", expected " + Arrays.toString(dims));
            }
            if (info.byteSize() < 0) {
                throw new ModelFormatException(g.path() + ": tensor " + name + " has unsupported type "
                        + GgufFile.typeName(info.type()) + ", expected F32, F16, BF16, Q8_0 or MXFP4");
            }
            return info;
        }

        Matrix matrix(String name, int rows, int cols) {
            GgufFile.TensorInfo info = get(name, cols, rows);
            return Matrix.of(weightType(info), rows, cols, g.segment(), info.offset());
        }

        Matrix[] experts(String name, int count, int rows, int cols) {
            GgufFile.TensorInfo info = get(name, cols, rows, count);
            WeightType type = weightType(info);
            long bytes = type.rowBytes(cols) * rows;
            Matrix[] out = new Matrix[count];
            for (int e = 0; e < count; e++)
                out[e] = Matrix.of(type, rows, cols, g.segment(), info.offset() + e * bytes);
            return out;
        }

        float[] vector(String name, int n) {
            GgufFile.TensorInfo info = get(name, n);
            return Matrix.of(weightType(info), 1, n, g.segment(), info.offset()).toFloatArray();
        }

        float[][] vectors(String name, int count, int n) {
            GgufFile.TensorInfo info = get(name, n, count);
            Matrix m = Matrix.of(weightType(info), count, n, g.segment(), info.offset());
            float[][] out = new float[count][n];
            for (int i = 0; i < count; i++) m.readRow(i, out[i]);
            return out;
        }

        WeightType weightType(GgufFile.TensorInfo info) {
            return switch (info.type()) {
                case GgufFile.TYPE_F32 -> WeightType.F32;
                case GgufFile.TYPE_F16 -> WeightType.F16;
                case GgufFile.TYPE_BF16 -> WeightType.BF16;
                case GgufFile.TYPE_Q8_0 -> WeightType.Q8_0;
                case GgufFile.TYPE_MXFP4 -> WeightType.MXFP4;
                default ->
                    throw new ModelFormatException(g.path() + ": tensor " + info.name() + " has unsupported type "
                            + GgufFile.typeName(info.type()) + ", expected F32, F16, BF16, Q8_0 or MXFP4");
            };
        }
    }
}
