package dev.gptoss4j.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gptoss4j.engine.kernels.Matrix;
import dev.gptoss4j.engine.kernels.WeightType;
import dev.gptoss4j.engine.model.io.ModelFormatException;
import dev.gptoss4j.engine.model.safetensors.SafetensorsCheckpoint;
import dev.gptoss4j.engine.model.safetensors.SafetensorsFile;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Loads the two safetensors layouts: openai/gpt-oss's {@code original/} checkpoint and the Hugging Face one.
 * Both store the experts in MXFP4 ({@code blocks} + {@code scales}, gate and linear rows interleaved) and the
 * rest in bf16 (norms may be f32); they differ in tensor names and config keys, and HF splits q/k/v.
 */
final class CheckpointLoader {

    private CheckpointLoader() {}

    static LoadedModel load(Path dir, ModelLayout layout, SafetensorsCheckpoint ckpt, Arena arena) {
        JsonConfig json = JsonConfig.read(dir.resolve("config.json"));
        GptOssConfig config;
        try {
            config = layout == ModelLayout.ORIGINAL ? originalConfig(json) : huggingFaceConfig(json);
        } catch (ModelFormatException e) {
            if (e.getMessage().startsWith(json.file().toString())) throw e;
            throw new ModelFormatException(json.file() + ": " + e.getMessage(), e);
        }
        Tensors t = new Tensors(ckpt);
        int h = config.hiddenSize();
        int v = config.vocabSize();
        List<LayerWeights> layers = new ArrayList<>();
        Matrix embedding;
        Matrix unembedding;
        float[] norm;
        if (layout == ModelLayout.ORIGINAL) {
            embedding = t.matrix("embedding.weight", v, h);
            unembedding = t.matrix("unembedding.weight", v, h);
            norm = t.vector("norm.scale", h);
            for (int i = 0; i < config.numLayers(); i++) layers.add(originalLayer(t, config, "block." + i + "."));
        } else {
            embedding = t.matrix("model.embed_tokens.weight", v, h);
            unembedding = ckpt.contains("lm_head.weight") ? t.matrix("lm_head.weight", v, h) : embedding;
            norm = t.vector("model.norm.weight", h);
            for (int i = 0; i < config.numLayers(); i++) {
                layers.add(huggingFaceLayer(t, config, "model.layers." + i + "."));
            }
        }
        return new LoadedModel(
                dir, layout, config, new ModelWeights(embedding, layers, norm, unembedding), List.of(), arena);
    }

    private static LayerWeights originalLayer(Tensors t, GptOssConfig c, String p) {
        int h = c.hiddenSize();
        int q = c.qDim();
        int kv = c.kvDim();
        Matrix qkv = t.matrix(p + "attn.qkv.weight", q + 2 * kv, h);
        float[] qkvBias = t.vector(p + "attn.qkv.bias", q + 2 * kv);
        Experts experts = t.experts(
                p + "mlp.mlp1_weight.blocks",
                p + "mlp.mlp1_weight.scales",
                p + "mlp.mlp1_bias",
                p + "mlp.mlp2_weight.blocks",
                p + "mlp.mlp2_weight.scales",
                p + "mlp.mlp2_bias",
                c);
        return new LayerWeights(
                t.vector(p + "attn.norm.scale", h),
                qkv.rowRange(0, q),
                Arrays.copyOfRange(qkvBias, 0, q),
                qkv.rowRange(q, kv),
                Arrays.copyOfRange(qkvBias, q, q + kv),
                qkv.rowRange(q + kv, kv),
                Arrays.copyOfRange(qkvBias, q + kv, q + 2 * kv),
                t.vector(p + "attn.sinks", c.numHeads()),
                t.matrix(p + "attn.out.weight", h, q),
                t.vector(p + "attn.out.bias", h),
                t.vector(p + "mlp.norm.scale", h),
                t.matrix(p + "mlp.gate.weight", c.numExperts(), h),
                t.vector(p + "mlp.gate.bias", c.numExperts()),
                experts.gate,
                experts.gateBias,
                experts.up,
                experts.upBias,
                experts.down,
                experts.downBias);
    }

    private static LayerWeights huggingFaceLayer(Tensors t, GptOssConfig c, String p) {
        int h = c.hiddenSize();
        int q = c.qDim();
        int kv = c.kvDim();
        String e = p + "mlp.experts.";
        Experts experts = t.experts(
                e + "gate_up_proj_blocks",
                e + "gate_up_proj_scales",
                e + "gate_up_proj_bias",
                e + "down_proj_blocks",
                e + "down_proj_scales",
                e + "down_proj_bias",
                c);
        return new LayerWeights(
                t.vector(p + "input_layernorm.weight", h),
                t.matrix(p + "self_attn.q_proj.weight", q, h),
                t.vector(p + "self_attn.q_proj.bias", q),
                t.matrix(p + "self_attn.k_proj.weight", kv, h),
                t.vector(p + "self_attn.k_proj.bias", kv),
                t.matrix(p + "self_attn.v_proj.weight", kv, h),
                t.vector(p + "self_attn.v_proj.bias", kv),
                t.vector(p + "self_attn.sinks", c.numHeads()),
                t.matrix(p + "self_attn.o_proj.weight", h, q),
                t.vector(p + "self_attn.o_proj.bias", h),
                t.vector(p + "post_attention_layernorm.weight", h),
                t.matrix(p + "mlp.router.weight", c.numExperts(), h),
                t.vector(p + "mlp.router.bias", c.numExperts()),
                experts.gate,
                experts.gateBias,
                experts.up,
                experts.upBias,
                experts.down,
                experts.downBias);
    }

    private record Experts(
            Matrix[] gate, float[][] gateBias, Matrix[] up, float[][] upBias, Matrix[] down, float[][] downBias) {}

    /** Typed, shape-checked access to the checkpoint's tensors. */
    private static final class Tensors {
        final SafetensorsCheckpoint ckpt;

        Tensors(SafetensorsCheckpoint ckpt) {
            this.ckpt = ckpt;
        }

        SafetensorsCheckpoint.Located get(String name, String dtypes, long... shape) {
            SafetensorsCheckpoint.Located l = ckpt.get(name);
            SafetensorsFile.TensorInfo info = l.info();
            if (!Arrays.equals(info.shape(), shape)) {
                throw new ModelFormatException(l.file().path() + ": tensor " + name + " has shape "
                        + Arrays.toString(info.shape()) + ", expected " + Arrays.toString(shape));
            }
            if (!Arrays.asList(dtypes.split(",")).contains(info.dtype())) {
                throw new ModelFormatException(l.file().path() + ": tensor " + name + " has dtype " + info.dtype()
                        + ", expected " + dtypes.replace(",", " or "));
            }
            return l;
        }

        Matrix matrix(String name, int rows, int cols) {
            SafetensorsCheckpoint.Located l = get(name, "BF16,F16,F32", rows, cols);
            return Matrix.of(
                    weightType(l.info().dtype()),
                    rows,
                    cols,
                    l.file().segment(),
                    l.info().offset());
        }

        float[] vector(String name, int n) {
            SafetensorsCheckpoint.Located l = get(name, "BF16,F16,F32", n);
            return Matrix.of(
                            weightType(l.info().dtype()),
                            1,
                            n,
                            l.file().segment(),
                            l.info().offset())
                    .toFloatArray();
        }

        float[][] vectors(String name, int count, int n) {
            SafetensorsCheckpoint.Located l = get(name, "BF16,F16,F32", count, n);
            Matrix m = Matrix.of(
                    weightType(l.info().dtype()),
                    count,
                    n,
                    l.file().segment(),
                    l.info().offset());
            float[][] out = new float[count][n];
            for (int i = 0; i < count; i++) m.readRow(i, out[i]);
            return out;
        }

        /** {@code count} MXFP4 matrices of {@code rows x cols} from a [count, rows, cols/32, 16] blocks tensor. */
        Matrix[] mxfp4(String blocksName, String scalesName, int count, int rows, int cols) {
            if (cols % 32 != 0) {
                throw new ModelFormatException(ckpt.directory() + ": tensor " + blocksName + ": MXFP4 needs a width "
                        + "that is a multiple of 32, the config gives " + cols);
            }
            SafetensorsCheckpoint.Located blocks = get(blocksName, "U8,I8", count, rows, cols / 32, 16);
            SafetensorsCheckpoint.Located scales = get(scalesName, "U8,I8", count, rows, cols / 32);
            Matrix[] out = new Matrix[count];
            long blockBytes = (long) rows * (cols / 2);
            long scaleBytes = (long) rows * (cols / 32);
            for (int e = 0; e < count; e++) {
                out[e] = Matrix.mxfp4Split(
                        rows,
                        cols,
                        blocks.file().segment(),
                        blocks.info().offset() + e * blockBytes,
                        scales.file().segment(),
                        scales.info().offset() + e * scaleBytes);
            }
            return out;
        }

        Experts experts(
                String upBlocks,
                String upScales,
                String upBias,
                String downBlocks,
                String downScales,
                String downBias,
                GptOssConfig c) {
            int e = c.numExperts();
            int h = c.hiddenSize();
            int i = c.intermediateSize();
            if (!ckpt.contains(upBlocks)) {
                throw new ModelFormatException(ckpt.directory() + ": missing tensor " + upBlocks
                        + " (expected the experts in MXFP4; unquantized expert checkpoints are not supported)");
            }
            Matrix[] fused = mxfp4(upBlocks, upScales, e, 2 * i, h);
            float[][] fusedBias = vectors(upBias, e, 2 * i);
            Matrix[] gate = new Matrix[e];
            Matrix[] up = new Matrix[e];
            float[][] gateBias = new float[e][i];
            float[][] upBiasOut = new float[e][i];
            for (int x = 0; x < e; x++) {
                // the fused projection interleaves its halves: row 2j is glu unit j, row 2j+1 linear unit j
                gate[x] = fused[x].everyNthRow(0, 2);
                up[x] = fused[x].everyNthRow(1, 2);
                for (int j = 0; j < i; j++) {
                    gateBias[x][j] = fusedBias[x][2 * j];
                    upBiasOut[x][j] = fusedBias[x][2 * j + 1];
                }
            }
            Matrix[] down = mxfp4(downBlocks, downScales, e, h, i);
            return new Experts(gate, gateBias, up, upBiasOut, down, vectors(downBias, e, h));
        }
    }

    static WeightType weightType(String dtype) {
        return switch (dtype) {
            case "BF16" -> WeightType.BF16;
            case "F16" -> WeightType.F16;
            case "F32" -> WeightType.F32;
            default -> throw new IllegalArgumentException(dtype);
        };
    }

    /** config.json of openai/gpt-oss's own checkpoint; absent optional keys take the reference's defaults. */
    static GptOssConfig originalConfig(JsonConfig j) {
        int layers = j.requireInt("num_hidden_layers");
        double factor = j.doubleOr("rope_scaling_factor", 32.0);
        int initial = j.intOr("initial_context_length", 4096);
        return new GptOssConfig(
                j.requireInt("vocab_size"),
                j.requireInt("hidden_size"),
                layers,
                j.requireInt("num_attention_heads"),
                j.requireInt("num_key_value_heads"),
                j.requireInt("head_dim"),
                j.requireInt("num_experts"),
                j.requireInt("experts_per_token"),
                j.requireInt("intermediate_size"),
                (float) j.doubleOr("swiglu_limit", 7.0),
                j.requireInt("sliding_window"),
                GptOssConfig.alternatingSlidingLayers(layers),
                j.doubleOr("rope_theta", 150000.0),
                factor,
                j.doubleOr("rope_ntk_alpha", 1.0),
                j.doubleOr("rope_ntk_beta", 32.0),
                initial,
                (int) Math.min(Integer.MAX_VALUE, Math.round(initial * Math.max(1.0, factor))),
                1e-5f,
                new int[0]);
    }

    /** config.json of a Hugging Face transformers checkpoint ({@code model_type: gpt_oss}). */
    static GptOssConfig huggingFaceConfig(JsonConfig j) {
        int layers = j.requireInt("num_hidden_layers");
        boolean[] sliding;
        JsonNode types = j.root().get("layer_types");
        if (types != null && types.isArray()) {
            if (types.size() != layers) {
                throw new ModelFormatException(j.file() + ": key \"layer_types\" has " + types.size()
                        + " entries, expected num_hidden_layers = " + layers);
            }
            sliding = new boolean[layers];
            for (int i = 0; i < layers; i++) {
                String type = types.get(i).asText();
                switch (type) {
                    case "sliding_attention" -> sliding[i] = true;
                    case "full_attention" -> sliding[i] = false;
                    default ->
                        throw new ModelFormatException(j.file() + ": layer_types[" + i + "] is \"" + type
                                + "\", expected \"sliding_attention\" or \"full_attention\"");
                }
            }
        } else {
            sliding = GptOssConfig.alternatingSlidingLayers(layers);
        }
        JsonNode rope = j.root().get("rope_scaling");
        double factor = 1.0;
        double betaFast = 32.0;
        double betaSlow = 1.0;
        int initial = j.intOr("initial_context_length", 4096);
        if (rope != null && rope.isObject()) {
            factor = j.doubleOr(rope, "factor", 1.0, "rope_scaling.");
            betaFast = j.doubleOr(rope, "beta_fast", 32.0, "rope_scaling.");
            betaSlow = j.doubleOr(rope, "beta_slow", 1.0, "rope_scaling.");
            initial = (int) j.doubleOr(rope, "original_max_position_embeddings", initial, "rope_scaling.");
        }
        int experts = j.has("num_local_experts") ? j.requireInt("num_local_experts") : j.requireInt("num_experts");
        int perToken =
                j.has("num_experts_per_tok") ? j.requireInt("num_experts_per_tok") : j.requireInt("experts_per_token");
        int hidden = j.requireInt("hidden_size");
        int heads = j.requireInt("num_attention_heads");
        return new GptOssConfig(
                j.requireInt("vocab_size"),
                hidden,
                layers,
                heads,
                j.requireInt("num_key_value_heads"),
                j.intOr("head_dim", hidden / heads),
                experts,
                perToken,
                j.requireInt("intermediate_size"),
                (float) j.doubleOr("swiglu_limit", 7.0),
                j.intOr("sliding_window", 0),
                sliding,
                j.doubleOr("rope_theta", 150000.0),
                factor,
                betaSlow,
                betaFast,
                initial,
                j.intOr("max_position_embeddings", (int) Math.round(initial * Math.max(1.0, factor))),
                (float) j.doubleOr("rms_norm_eps", 1e-5),
                eosIds(j));
    }

    private static int[] eosIds(JsonConfig j) {
        JsonNode eos = j.root().get("eos_token_id");
        if (eos == null || eos.isNull()) return new int[0];
        if (eos.isIntegralNumber()) return new int[] {eos.asInt()};
        if (eos.isArray()) {
            int[] ids = new int[eos.size()];
            for (int i = 0; i < ids.length; i++) ids[i] = eos.get(i).asInt();
            return ids;
        }
        throw new ModelFormatException(j.file() + ": key \"eos_token_id\" should be an integer or a list, got " + eos);
    }
}
