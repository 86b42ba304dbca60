package dev.gptoss4j.engine.synth;

/**
 * The values of one floating-point tensor of a synthetic model, by flat index in its Hugging Face layout:
 * {@code centre + scale * noise}, where the noise is approximately normal or uniform in [-1, 1). Values are
 * rounded to bfloat16 so every file format (f32, bf16, f16 up to its rounding) holds the same numbers.
 */
record FloatField(long stream, float centre, float scale, boolean uniform) {

    float at(long index) {
        long bits = SynthRandom.bits(stream, index);
        float noise = uniform ? SynthRandom.uniform(bits) : SynthRandom.gaussian(bits);
        return FloatFormats.fromBf16(FloatFormats.bf16(centre + scale * noise));
    }
}
