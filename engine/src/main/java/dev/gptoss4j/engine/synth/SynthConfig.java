package dev.gptoss4j.engine.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hyper-parameters of a gpt-oss model, named as the Hugging Face {@code config.json} names them, with
 * the real models as presets. A synthetic model has exactly these shapes; only the values are random.
 *
 * @param name                 a label written into the files (GGUF {@code general.name})
 * @param layers               {@code num_hidden_layers}
 * @param hidden               {@code hidden_size}, the residual stream width
 * @param heads                {@code num_attention_heads} (query heads)
 * @param kvHeads              {@code num_key_value_heads}
 * @param headDim              {@code head_dim}
 * @param experts              {@code num_local_experts}
 * @param expertsPerToken      {@code num_experts_per_tok}
 * @param intermediate         {@code intermediate_size}, the width of one expert
 * @param vocab                {@code vocab_size}
 * @param slidingWindow        {@code sliding_window} of the sliding-attention layers
 * @param layerTypes           {@code layer_types}: {@code sliding_attention} or {@code full_attention} per layer
 * @param contextLength        {@code max_position_embeddings}
 * @param initialContextLength {@code initial_context_length}
 * @param ropeTheta            {@code rope_theta}
 * @param yarnFactor           {@code rope_scaling.factor}
 * @param yarnBetaFast         {@code rope_scaling.beta_fast}
 * @param yarnBetaSlow         {@code rope_scaling.beta_slow}
 * @param yarnOriginalContext  {@code rope_scaling.original_max_position_embeddings}
 * @param swigluLimit          {@code swiglu_limit}
 * @param rmsNormEps           {@code rms_norm_eps}
 */
public record SynthConfig(
        String name,
        int layers,
        int hidden,
        int heads,
        int kvHeads,
        int headDim,
        int experts,
        int expertsPerToken,
        int intermediate,
        int vocab,
        int slidingWindow,
        List<String> layerTypes,
        int contextLength,
        int initialContextLength,
        double ropeTheta,
        double yarnFactor,
        double yarnBetaFast,
        double yarnBetaSlow,
        int yarnOriginalContext,
        double swigluLimit,
        double rmsNormEps) {

    public static final String SLIDING = "sliding_attention";
    public static final String FULL = "full_attention";

    /** The o200k_harmony vocabulary size; models of this size get the real tokenizer metadata. */
    public static final int O200K_HARMONY_VOCAB = 201088;

    /** MXFP4 packs 32 values per block, so expert rows must be whole blocks. */
    static final int MXFP4_BLOCK = 32;

    public SynthConfig {
        layerTypes = List.copyOf(layerTypes);
        validate(
                name,
                layers,
                hidden,
                heads,
                kvHeads,
                headDim,
                experts,
                expertsPerToken,
                intermediate,
                vocab,
                slidingWindow,
                layerTypes);
    }

    /** openai/gpt-oss-20b: 24 layers, 32 experts. */
    public static SynthConfig gptOss20b() {
        return real("gpt-oss-20b", 24, 32);
    }

    /** openai/gpt-oss-120b: 36 layers, 128 experts, otherwise the 20b's shapes. */
    public static SynthConfig gptOss120b() {
        return real("gpt-oss-120b", 36, 128);
    }

    /**
     * A small model with the full o200k_harmony vocabulary, so harmony prompts tokenize and run end to end:
     * 4 layers (sliding, full, sliding, full; window 8), hidden 64, 4 query and 2 key/value heads of 16,
     * 8 experts of width 64 with 4 per token, the real RoPE/YaRN settings.
     */
    public static SynthConfig tiny() {
        return new SynthConfig(
                "gpt-oss-tiny",
                4,
                64,
                4,
                2,
                16,
                8,
                4,
                64,
                O200K_HARMONY_VOCAB,
                8,
                alternating(4),
                131072,
                4096,
                150000.0,
                32.0,
                32.0,
                1.0,
                4096,
                7.0,
                1e-5);
    }

    private static SynthConfig real(String name, int layers, int experts) {
        return new SynthConfig(
                name,
                layers,
                2880,
                64,
                8,
                64,
                experts,
                4,
                2880,
                O200K_HARMONY_VOCAB,
                128,
                alternating(layers),
                131072,
                4096,
                150000.0,
                32.0,
                32.0,
                1.0,
                4096,
                7.0,
                1e-5);
    }

    /**
     * A preset by name ({@code 20b}, {@code 120b}, {@code tiny}, also {@code gpt-oss-20b} and so on) or, for
     * anything else, a Hugging Face style {@code config.json} at that path.
     */
    public static SynthConfig resolve(String presetOrFile) {
        return switch (presetOrFile.toLowerCase(Locale.ROOT)) {
            case "20b", "gpt-oss-20b" -> gptOss20b();
            case "120b", "gpt-oss-120b" -> gptOss120b();
            case "tiny", "gpt-oss-tiny" -> tiny();
            default -> {
                Path file = Path.of(presetOrFile);
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException(
                            "--config " + presetOrFile + ": not a preset (20b, 120b, tiny) and no such file");
                }
                yield fromHfConfig(file);
            }
        };
    }

    /** Reads a Hugging Face style {@code config.json} of a gpt-oss model. */
    public static SynthConfig fromHfConfig(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": not readable JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": expected a JSON object (a config.json)");
        }
        HfFields f = new HfFields(file, root);
        int layers = f.integer("num_hidden_layers");
        JsonNode rope = root.path("rope_scaling");
        HfFields r = new HfFields(file, rope);
        if (!rope.isObject()) {
            throw new IllegalArgumentException(file + ": field 'rope_scaling' is missing; gpt-oss needs YaRN settings");
        }
        String ropeType = rope.path("rope_type").asText(rope.path("type").asText(""));
        if (!ropeType.equals("yarn")) {
            throw new IllegalArgumentException(
                    file + ": rope_scaling.rope_type is '" + ropeType + "', expected 'yarn'");
        }
        List<String> types = layerTypes(file, root.get("layer_types"), layers);
        String name = root.path("_name_or_path").asText("");
        if (name.isEmpty()) name = "gpt-oss-" + file.getFileName().toString().replaceFirst("\\.json$", "");
        return new SynthConfig(
                name,
                layers,
                f.integer("hidden_size"),
                f.integer("num_attention_heads"),
                f.integer("num_key_value_heads"),
                f.integer("head_dim"),
                f.integer("num_local_experts"),
                root.has("num_experts_per_tok") ? f.integer("num_experts_per_tok") : f.integer("experts_per_token"),
                f.integer("intermediate_size"),
                f.integer("vocab_size"),
                f.integer("sliding_window"),
                types,
                f.integer("max_position_embeddings"),
                root.has("initial_context_length")
                        ? f.integer("initial_context_length")
                        : r.integer("original_max_position_embeddings"),
                f.number("rope_theta"),
                r.number("factor"),
                r.number("beta_fast"),
                r.number("beta_slow"),
                r.integer("original_max_position_embeddings"),
                root.has("swiglu_limit") ? f.number("swiglu_limit") : 7.0,
                root.has("rms_norm_eps") ? f.number("rms_norm_eps") : 1e-5);
    }

    private static List<String> layerTypes(Path file, JsonNode node, int layers) {
        if (node == null || node.isNull()) return alternating(layers);
        if (!node.isArray()) throw new IllegalArgumentException(file + ": field 'layer_types' must be an array");
        List<String> types = new ArrayList<>();
        node.forEach(n -> types.add(n.asText()));
        return types;
    }

    /** The same model with {@code n} layers (the layer types keep alternating, sliding first). */
    public SynthConfig withLayers(int n) {
        if (n < 1) throw new IllegalArgumentException("--layers must be at least 1, got " + n);
        List<String> types = new ArrayList<>();
        for (int i = 0; i < n; i++)
            types.add(i < layerTypes.size() ? layerTypes.get(i) : (i % 2 == 0 ? SLIDING : FULL));
        String label = n == layers ? name : name + "-" + n + "l";
        return new SynthConfig(
                label,
                n,
                hidden,
                heads,
                kvHeads,
                headDim,
                experts,
                expertsPerToken,
                intermediate,
                vocab,
                slidingWindow,
                types,
                contextLength,
                initialContextLength,
                ropeTheta,
                yarnFactor,
                yarnBetaFast,
                yarnBetaSlow,
                yarnOriginalContext,
                swigluLimit,
                rmsNormEps);
    }

    public boolean isSliding(int layer) {
        return layerTypes.get(layer).equals(SLIDING);
    }

    /** Width of the concatenated query heads. */
    public int queryDim() {
        return heads * headDim;
    }

    /** Width of the concatenated key (or value) heads. */
    public int kvDim() {
        return kvHeads * headDim;
    }

    /** Everything but the experts: what a GGUF {@code --dtype} changes. */
    public long nonExpertParameters() {
        long attention = (long) queryDim() * hidden
                + queryDim()
                + 2L * (kvDim() * (long) hidden + kvDim())
                + (long) hidden * queryDim()
                + hidden
                + heads;
        long perLayer = attention + 2L * hidden + (long) experts * hidden + experts;
        return 2L * vocab * hidden + layers * perLayer + hidden;
    }

    /** Parameters of one expert of one layer (weights and biases). */
    public long expertParameters() {
        return 2L * intermediate * hidden + 2L * intermediate + (long) hidden * intermediate + hidden;
    }

    static List<String> alternating(int layers) {
        List<String> types = new ArrayList<>(layers);
        for (int i = 0; i < layers; i++) types.add(i % 2 == 0 ? SLIDING : FULL);
        return types;
    }

    private static void validate(
            String name,
            int layers,
            int hidden,
            int heads,
            int kvHeads,
            int headDim,
            int experts,
            int expertsPerToken,
            int intermediate,
            int vocab,
            int slidingWindow,
            List<String> types) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("model name must not be empty");
        positive("num_hidden_layers", layers);
        positive("hidden_size", hidden);
        positive("num_attention_heads", heads);
        positive("num_key_value_heads", kvHeads);
        positive("head_dim", headDim);
        positive("num_local_experts", experts);
        positive("num_experts_per_tok", expertsPerToken);
        positive("intermediate_size", intermediate);
        positive("vocab_size", vocab);
        positive("sliding_window", slidingWindow);
        if (hidden % MXFP4_BLOCK != 0) {
            throw new IllegalArgumentException("hidden_size " + hidden + " must be a multiple of 32 (MXFP4 blocks)");
        }
        if (intermediate % MXFP4_BLOCK != 0) {
            throw new IllegalArgumentException(
                    "intermediate_size " + intermediate + " must be a multiple of 32 (MXFP4 blocks)");
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(
                    "num_attention_heads " + heads + " must be a multiple of num_key_value_heads " + kvHeads);
        }
        if (headDim % 2 != 0) throw new IllegalArgumentException("head_dim " + headDim + " must be even (RoPE pairs)");
        if (expertsPerToken > experts) {
            throw new IllegalArgumentException(
                    "num_experts_per_tok " + expertsPerToken + " exceeds num_local_experts " + experts);
        }
        if (types.size() != layers) {
            throw new IllegalArgumentException(
                    "layer_types has " + types.size() + " entries, num_hidden_layers is " + layers);
        }
        for (int i = 0; i < types.size(); i++) {
            String t = types.get(i);
            if (!t.equals(SLIDING) && !t.equals(FULL)) {
                throw new IllegalArgumentException(
                        "layer_types[" + i + "] is '" + t + "', expected '" + SLIDING + "' or '" + FULL + "'");
            }
        }
    }

    private static void positive(String field, long value) {
        if (value <= 0) throw new IllegalArgumentException(field + " must be positive, got " + value);
    }

    /** Typed access to a config.json object with errors that name the file and the field. */
    private record HfFields(Path file, JsonNode node) {
        int integer(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull())
                throw new IllegalArgumentException(file + ": field '" + field + "' is missing");
            if (!v.canConvertToInt() || !v.isIntegralNumber()) {
                throw new IllegalArgumentException(file + ": field '" + field + "' must be an integer, got " + v);
            }
            return v.intValue();
        }

        double number(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull())
                throw new IllegalArgumentException(file + ": field '" + field + "' is missing");
            if (!v.isNumber())
                throw new IllegalArgumentException(file + ": field '" + field + "' must be a number, got " + v);
            return v.doubleValue();
        }
    }
}
