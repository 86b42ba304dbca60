package dev.gptoss4j.engine.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * A synthetic gpt-oss model as a Hugging Face transformers checkpoint directory, the layout of
 * openai/gpt-oss-20b: {@code config.json} (with {@code layer_types}, {@code rope_scaling} and the MXFP4
 * {@code quantization_config}) and safetensors with {@code model.layers.N.*} names: attention, router and
 * embeddings BF16, norms F32, experts as MXFP4 {@code *_blocks} / {@code *_scales} (U8) with BF16 biases, gate
 * and up rows interleaved. A model larger than the shard size is split into
 * {@code model-0000i-of-0000n.safetensors} files with a {@code model.safetensors.index.json}, as
 * {@code save_pretrained} does; a smaller one is a single {@code model.safetensors}.
 */
public final class SynthHf {

    /** transformers' default {@code max_shard_size} of 5 GB. */
    public static final long DEFAULT_SHARD_BYTES = 5_000_000_000L;

    public static final String CONFIG = "config.json";
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SynthHf() {}

    /** One tensor of the checkpoint, before it is assigned to a shard. */
    private record Entry(String name, String dtype, long[] shape, TensorData data) {}

    /**
     * Writes the checkpoint into {@code dir} (created if needed) and returns the files written:
     * config.json, the safetensors files and, when sharded, the index.
     */
    public static List<Path> write(
            SynthConfig c, long seed, Path dir, long maxShardBytes, int threads, LongConsumer progress) {
        if (maxShardBytes <= 0) throw new IllegalArgumentException("shard size must be positive, got " + maxShardBytes);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create output directory " + dir + ": " + e.getMessage(), e);
        }
        List<Path> written = new ArrayList<>();
        Path config = dir.resolve(CONFIG);
        writeJson(config, configJson(c));
        written.add(config);

        List<List<Entry>> shards = shard(tensors(c, seed), maxShardBytes);
        if (shards.size() == 1) {
            Path file = dir.resolve(SINGLE_FILE);
            safetensors(shards.getFirst()).write(file, threads, progress);
            written.add(file);
            return written;
        }
        Map<String, String> weightMap = new TreeMap<>();
        long total = 0;
        for (int i = 0; i < shards.size(); i++) {
            String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
            SafetensorsWriter w = safetensors(shards.get(i));
            w.write(dir.resolve(name), threads, progress);
            written.add(dir.resolve(name));
            total += w.dataBytes();
            for (String t : w.tensorNames()) weightMap.put(t, name);
        }
        ObjectNode index = JSON.createObjectNode();
        index.putObject("metadata").put("total_size", total);
        ObjectNode map = index.putObject("weight_map");
        weightMap.forEach(map::put);
        Path indexFile = dir.resolve(INDEX);
        writeJson(indexFile, index);
        written.add(indexFile);
        return written;
    }

    /** The config.json of a model, with the keys and values gpt-oss's own has. */
    public static ObjectNode configJson(SynthConfig c) {
        ObjectNode o = JSON.createObjectNode();
        o.putArray("architectures").add("GptOssForCausalLM");
        o.put("model_type", "gpt_oss");
        o.put("num_hidden_layers", c.layers());
        o.put("num_local_experts", c.experts());
        o.put("num_experts_per_tok", c.expertsPerToken());
        o.put("experts_per_token", c.expertsPerToken());
        o.put("vocab_size", c.vocab());
        o.put("hidden_size", c.hidden());
        o.put("intermediate_size", c.intermediate());
        o.put("head_dim", c.headDim());
        o.put("num_attention_heads", c.heads());
        o.put("num_key_value_heads", c.kvHeads());
        o.put("sliding_window", c.slidingWindow());
        ArrayNode types = o.putArray("layer_types");
        c.layerTypes().forEach(types::add);
        o.put("max_position_embeddings", c.contextLength());
        o.put("initial_context_length", c.initialContextLength());
        o.put("rope_theta", c.ropeTheta());
        ObjectNode rope = o.putObject("rope_scaling");
        rope.put("beta_fast", c.yarnBetaFast());
        rope.put("beta_slow", c.yarnBetaSlow());
        rope.put("factor", c.yarnFactor());
        rope.put("rope_type", "yarn");
        rope.put("truncate", false);
        rope.put("original_max_position_embeddings", c.yarnOriginalContext());
        o.put("swiglu_limit", c.swigluLimit());
        o.put("rms_norm_eps", c.rmsNormEps());
        o.put("attention_bias", true);
        o.put("attention_dropout", 0.0);
        o.put("hidden_act", "silu");
        o.put("initializer_range", 0.02);
        o.put("tie_word_embeddings", false);
        o.put("eos_token_id", GgufVocabulary.eosId(c.vocab()));
        o.put("pad_token_id", GgufVocabulary.padId(c.vocab()));
        o.put("torch_dtype", "bfloat16");
        o.put("use_cache", true);
        ObjectNode q = o.putObject("quantization_config");
        q.put("quant_method", "mxfp4");
        q.putArray("modules_to_not_convert")
                .add("model.layers.*.self_attn")
                .add("model.layers.*.mlp.router")
                .add("model.embed_tokens")
                .add("lm_head");
        return o;
    }

    private static List<Entry> tensors(SynthConfig c, long seed) {
        SynthValues values = new SynthValues(c, seed);
        List<Entry> list = new ArrayList<>();
        int h = c.hidden();
        int q = c.queryDim();
        int kv = c.kvDim();
        int e = c.experts();
        int inter = c.intermediate();
        bf16(list, values, "model.embed_tokens.weight", c.vocab(), h);
        for (int l = 0; l < c.layers(); l++) {
            String p = "model.layers." + l + ".";
            f32(list, values, p + "input_layernorm.weight", h);
            bf16(list, values, p + "self_attn.q_proj.weight", q, h);
            bf16(list, values, p + "self_attn.k_proj.weight", kv, h);
            bf16(list, values, p + "self_attn.v_proj.weight", kv, h);
            bf16(list, values, p + "self_attn.q_proj.bias", q);
            bf16(list, values, p + "self_attn.k_proj.bias", kv);
            bf16(list, values, p + "self_attn.v_proj.bias", kv);
            bf16(list, values, p + "self_attn.sinks", c.heads());
            bf16(list, values, p + "self_attn.o_proj.weight", h, q);
            bf16(list, values, p + "self_attn.o_proj.bias", h);
            f32(list, values, p + "post_attention_layernorm.weight", h);
            bf16(list, values, p + "mlp.router.weight", e, h);
            bf16(list, values, p + "mlp.router.bias", e);
            experts(list, values.experts(l, "gate_up_proj"), p + "mlp.experts.gate_up_proj", e, 2 * inter, h);
            bf16(list, values, p + "mlp.experts.gate_up_proj_bias", e, 2 * inter);
            experts(list, values.experts(l, "down_proj"), p + "mlp.experts.down_proj", e, h, inter);
            bf16(list, values, p + "mlp.experts.down_proj_bias", e, h);
        }
        f32(list, values, "model.norm.weight", h);
        bf16(list, values, "lm_head.weight", c.vocab(), h);
        return list;
    }

    private static void bf16(List<Entry> list, SynthValues v, String name, long rows, int columns) {
        list.add(new Entry(
                name,
                "BF16",
                new long[] {rows, columns},
                FloatTensorData.plain(v.floats(name), rows, columns, GgufType.BF16)));
    }

    private static void bf16(List<Entry> list, SynthValues v, String name, int length) {
        list.add(new Entry(
                name, "BF16", new long[] {length}, FloatTensorData.plain(v.floats(name), 1, length, GgufType.BF16)));
    }

    private static void f32(List<Entry> list, SynthValues v, String name, int length) {
        list.add(new Entry(
                name, "F32", new long[] {length}, FloatTensorData.plain(v.floats(name), 1, length, GgufType.F32)));
    }

    private static void experts(List<Entry> list, Mxfp4Field field, String prefix, int experts, int rows, int columns) {
        int blocks = columns / SynthConfig.MXFP4_BLOCK;
        list.add(new Entry(
                prefix + "_blocks",
                "U8",
                new long[] {experts, rows, blocks, 16},
                new Mxfp4TensorData(field, Mxfp4TensorData.Layout.HF_BLOCKS, experts, rows, rows, 1, 0, columns)));
        list.add(new Entry(
                prefix + "_scales",
                "U8",
                new long[] {experts, rows, blocks},
                new Mxfp4TensorData(field, Mxfp4TensorData.Layout.HF_SCALES, experts, rows, rows, 1, 0, columns)));
    }

    /** Greedy split in tensor order: a shard takes tensors until the next would push it past the limit. */
    private static List<List<Entry>> shard(List<Entry> tensors, long maxBytes) {
        List<List<Entry>> shards = new ArrayList<>();
        List<Entry> current = new ArrayList<>();
        long size = 0;
        for (Entry t : tensors) {
            long bytes = t.data.byteSize();
            if (!current.isEmpty() && size + bytes > maxBytes) {
                shards.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(t);
            size += bytes;
        }
        if (!current.isEmpty()) shards.add(current);
        return shards;
    }

    private static SafetensorsWriter safetensors(List<Entry> tensors) {
        SafetensorsWriter w = new SafetensorsWriter(Map.of("format", "pt"));
        for (Entry t : tensors) w.addTensor(t.name, t.dtype, t.shape, t.data);
        return w;
    }

    private static void writeJson(Path file, ObjectNode json) {
        try {
            JSON.writeValue(file.toFile(), json);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file + ": " + e.getMessage(), e);
        }
    }
}
