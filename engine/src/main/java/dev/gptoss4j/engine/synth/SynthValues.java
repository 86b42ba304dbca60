package dev.gptoss4j.engine.synth;

/**
 * Which random values each tensor of a synthetic gpt-oss model holds, by its Hugging Face name. The scales
 * keep activations in a sane range through any number of layers, so generation never meets NaN or Inf:
 * RMSNorm weights near 1, projections with standard deviation 1/sqrt(fan-in) (0.019 for the real models,
 * about their initializer range), small biases and embeddings, sinks of order 0.5, and MXFP4 experts whose
 * block scales make a row's output about as large as its input.
 */
final class SynthValues {

    private static final float SMALL = 0.02f;

    private final SynthConfig config;
    private final long seed;

    SynthValues(SynthConfig config, long seed) {
        this.config = config;
        this.seed = seed;
    }

    /** The values of a floating-point tensor, by its Hugging Face name. */
    FloatField floats(String hfName) {
        long stream = SynthRandom.stream(seed, hfName);
        if (hfName.endsWith("layernorm.weight") || hfName.equals("model.norm.weight")) {
            return new FloatField(stream, 1.0f, 0.1f, true);
        }
        if (hfName.endsWith(".sinks")) return new FloatField(stream, 0.0f, 0.5f, false);
        if (hfName.endsWith("bias") || hfName.equals("model.embed_tokens.weight")) {
            return new FloatField(stream, 0.0f, SMALL, false);
        }
        int fanIn;
        if (hfName.endsWith("o_proj.weight")) {
            fanIn = config.queryDim();
        } else if (hfName.endsWith("q_proj.weight")
                || hfName.endsWith("k_proj.weight")
                || hfName.endsWith("v_proj.weight")
                || hfName.endsWith("router.weight")
                || hfName.equals("lm_head.weight")) {
            fanIn = config.hidden();
        } else {
            throw new IllegalArgumentException("no synthetic values defined for tensor " + hfName);
        }
        return new FloatField(stream, 0.0f, (float) (1.0 / Math.sqrt(fanIn)), false);
    }

    /** The MXFP4 values of {@code model.layers.N.mlp.experts.gate_up_proj} or {@code down_proj}. */
    Mxfp4Field experts(int layer, String projection) {
        int fanIn = switch (projection) {
            case "gate_up_proj" -> config.hidden();
            case "down_proj" -> config.intermediate();
            default -> throw new IllegalArgumentException("no expert projection " + projection);
        };
        return Mxfp4Field.of(seed, "model.layers." + layer + ".mlp.experts." + projection, fanIn);
    }
}
