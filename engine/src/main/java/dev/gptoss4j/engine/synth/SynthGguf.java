package dev.gptoss4j.engine.synth;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * A synthetic gpt-oss model as one GGUF file, in the layout llama.cpp's converter produces from the
 * Hugging Face checkpoint: architecture {@code gpt-oss}, experts as MXFP4 ({@code ffn_gate_exps},
 * {@code ffn_up_exps} split from the interleaved {@code gate_up_proj}, {@code ffn_down_exps}), attention
 * and embedding matrices in the chosen type, everything else (norms, biases, sinks, router) F32.
 */
public final class SynthGguf {

    /** llama.cpp's {@code LLAMA_FTYPE_MOSTLY_MXFP4_MOE}, which its converter records for every gpt-oss file. */
    static final int FILE_TYPE_MXFP4_MOE = 38;

    private SynthGguf() {}

    /**
     * The GGUF writer for a model, ready to {@link GgufWriter#write}; {@code matrices} is the type of the
     * attention, embedding and output matrices (F32, F16, BF16 or Q8_0).
     */
    public static GgufWriter writer(SynthConfig c, long seed, GgufType matrices) {
        if (matrices == GgufType.MXFP4) {
            throw new IllegalArgumentException(
                    "--dtype mxfp4: only the experts are MXFP4; choose f32, f16, bf16 or q8_0");
        }
        SynthValues values = new SynthValues(c, seed);
        GgufWriter gguf = new GgufWriter();
        metadata(gguf, c);

        int h = c.hidden();
        int q = c.queryDim();
        int kv = c.kvDim();
        int e = c.experts();
        int inter = c.intermediate();
        matrix(gguf, values, "token_embd.weight", "model.embed_tokens.weight", c.vocab(), h, matrices);
        for (int l = 0; l < c.layers(); l++) {
            String blk = "blk." + l + ".";
            String hf = "model.layers." + l + ".";
            vector(gguf, values, blk + "attn_norm.weight", hf + "input_layernorm.weight", h);
            matrix(gguf, values, blk + "attn_q.weight", hf + "self_attn.q_proj.weight", q, h, matrices);
            vector(gguf, values, blk + "attn_q.bias", hf + "self_attn.q_proj.bias", q);
            matrix(gguf, values, blk + "attn_k.weight", hf + "self_attn.k_proj.weight", kv, h, matrices);
            vector(gguf, values, blk + "attn_k.bias", hf + "self_attn.k_proj.bias", kv);
            matrix(gguf, values, blk + "attn_v.weight", hf + "self_attn.v_proj.weight", kv, h, matrices);
            vector(gguf, values, blk + "attn_v.bias", hf + "self_attn.v_proj.bias", kv);
            matrix(gguf, values, blk + "attn_output.weight", hf + "self_attn.o_proj.weight", h, q, matrices);
            vector(gguf, values, blk + "attn_output.bias", hf + "self_attn.o_proj.bias", h);
            vector(gguf, values, blk + "attn_sinks.weight", hf + "self_attn.sinks", c.heads());
            vector(gguf, values, blk + "post_attention_norm.weight", hf + "post_attention_layernorm.weight", h);
            // The router stays F32 whatever --dtype says, as llama.cpp's converter keeps ffn_gate_inp.
            matrix(gguf, values, blk + "ffn_gate_inp.weight", hf + "mlp.router.weight", e, h, GgufType.F32);
            vector(gguf, values, blk + "ffn_gate_inp.bias", hf + "mlp.router.bias", e);

            Mxfp4Field gateUp = values.experts(l, "gate_up_proj");
            Mxfp4Field down = values.experts(l, "down_proj");
            long[] gateUpShape = {h, inter, e};
            gguf.addTensor(
                    blk + "ffn_gate_exps.weight",
                    GgufType.MXFP4,
                    gateUpShape,
                    new Mxfp4TensorData(gateUp, Mxfp4TensorData.Layout.GGML, e, inter, 2 * inter, 2, 0, h));
            gguf.addTensor(
                    blk + "ffn_up_exps.weight",
                    GgufType.MXFP4,
                    gateUpShape,
                    new Mxfp4TensorData(gateUp, Mxfp4TensorData.Layout.GGML, e, inter, 2 * inter, 2, 1, h));
            gguf.addTensor(
                    blk + "ffn_down_exps.weight",
                    GgufType.MXFP4,
                    new long[] {inter, h, e},
                    new Mxfp4TensorData(down, Mxfp4TensorData.Layout.GGML, e, h, h, 1, 0, inter));
            FloatField gateUpBias = values.floats(hf + "mlp.experts.gate_up_proj_bias");
            gguf.addTensor(
                    blk + "ffn_gate_exps.bias",
                    GgufType.F32,
                    new long[] {inter, e},
                    new FloatTensorData(gateUpBias, e, inter, 2L * inter, 0, 2, GgufType.F32));
            gguf.addTensor(
                    blk + "ffn_up_exps.bias",
                    GgufType.F32,
                    new long[] {inter, e},
                    new FloatTensorData(gateUpBias, e, inter, 2L * inter, 1, 2, GgufType.F32));
            gguf.addTensor(
                    blk + "ffn_down_exps.bias",
                    GgufType.F32,
                    new long[] {h, e},
                    FloatTensorData.plain(values.floats(hf + "mlp.experts.down_proj_bias"), e, h, GgufType.F32));
        }
        vector(gguf, values, "output_norm.weight", "model.norm.weight", h);
        matrix(gguf, values, "output.weight", "lm_head.weight", c.vocab(), h, matrices);
        return gguf;
    }

    /** Writes the model to {@code file} on {@code threads} threads. */
    public static void write(
            SynthConfig c, long seed, GgufType matrices, Path file, int threads, LongConsumer progress) {
        writer(c, seed, matrices).write(file, threads, progress);
    }

    private static void metadata(GgufWriter g, SynthConfig c) {
        String arch = "gpt-oss";
        g.putString("general.architecture", arch);
        g.putString("general.type", "model");
        g.putString("general.name", c.name() + " (synthetic, random weights)");
        // As llama.cpp labels mixtures: experts x (shared parameters + one expert's share in every layer).
        g.putString(
                "general.size_label",
                c.experts() + "x" + sizeLabel(c.nonExpertParameters() + (long) c.layers() * c.expertParameters()));
        g.putU32(arch + ".block_count", c.layers());
        g.putU32(arch + ".context_length", c.contextLength());
        g.putU32(arch + ".embedding_length", c.hidden());
        g.putU32(arch + ".feed_forward_length", c.intermediate());
        g.putU32(arch + ".attention.head_count", c.heads());
        g.putU32(arch + ".attention.head_count_kv", c.kvHeads());
        g.putString(arch + ".rope.scaling.type", "yarn");
        g.putF32(arch + ".rope.scaling.factor", (float) c.yarnFactor());
        g.putU32(arch + ".rope.scaling.original_context_length", c.yarnOriginalContext());
        g.putF32(arch + ".rope.scaling.yarn_beta_fast", (float) c.yarnBetaFast());
        g.putF32(arch + ".rope.scaling.yarn_beta_slow", (float) c.yarnBetaSlow());
        g.putF32(arch + ".rope.freq_base", (float) c.ropeTheta());
        g.putF32(arch + ".attention.layer_norm_rms_epsilon", (float) c.rmsNormEps());
        g.putU32(arch + ".expert_count", c.experts());
        g.putU32(arch + ".expert_used_count", c.expertsPerToken());
        g.putU32(arch + ".attention.key_length", c.headDim());
        g.putU32(arch + ".attention.value_length", c.headDim());
        g.putU32("general.file_type", FILE_TYPE_MXFP4_MOE);
        g.putU32(arch + ".attention.sliding_window", c.slidingWindow());
        g.putU32(arch + ".expert_feed_forward_length", c.intermediate());
        g.putU32("general.quantization_version", 2);

        GgufVocabulary v = GgufVocabulary.forSize(c.vocab());
        g.putString("tokenizer.ggml.model", "gpt2");
        g.putString("tokenizer.ggml.pre", "gpt-4o");
        g.putStrings("tokenizer.ggml.tokens", v.tokens());
        g.putI32s("tokenizer.ggml.token_type", v.types());
        g.putStrings("tokenizer.ggml.merges", v.merges());
        g.putU32("tokenizer.ggml.bos_token_id", v.bos());
        g.putU32("tokenizer.ggml.eos_token_id", v.eos());
        if (v.pad() >= 0) g.putU32("tokenizer.ggml.padding_token_id", v.pad());
    }

    private static void matrix(
            GgufWriter g, SynthValues values, String name, String hfName, long rows, int columns, GgufType type) {
        g.addTensor(
                name,
                type,
                new long[] {columns, rows},
                FloatTensorData.plain(values.floats(hfName), rows, columns, type));
    }

    private static void vector(GgufWriter g, SynthValues values, String name, String hfName, int length) {
        g.addTensor(
                name,
                GgufType.F32,
                new long[] {length},
                FloatTensorData.plain(values.floats(hfName), 1, length, GgufType.F32));
    }

    /** A parameter count the way GGUF size labels print it: 21B, 573K, 1.5M. */
    static String sizeLabel(long parameters) {
        String[] suffix = {"", "K", "M", "B", "T"};
        double v = parameters;
        int i = 0;
        while (v >= 1000 && i < suffix.length - 1) {
            v /= 1000;
            i++;
        }
        int digits = Math.max(0, 2 - String.valueOf((long) v).length());
        return String.format(Locale.ROOT, "%." + digits + "f", v) + suffix[i];
    }
}
