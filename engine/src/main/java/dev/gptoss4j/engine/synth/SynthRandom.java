package dev.gptoss4j.engine.synth;

import java.nio.charset.StandardCharsets;

/**
 * Counter-based random numbers: the value at index {@code i} of a named stream depends only on
 * (seed, stream name, i). So any chunk of any tensor can be generated on any thread in any order, the
 * files are byte-identical for a seed, and the GGUF and Hugging Face files of one seed hold the same model
 * even though their layouts differ (each reads the value of the element it places).
 */
final class SynthRandom {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    /** sqrt(3): the Irwin-Hall sum of four uniforms has variance 1/3. */
    private static final float UNIT_VARIANCE = 1.7320508f;

    private static final float TWO_TO_MINUS_16 = 1.0f / 65536.0f;

    private SynthRandom() {}

    /** The key of a stream: FNV-1a of its name, mixed with the seed. */
    static long stream(long seed, String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(h ^ mix(seed + GOLDEN));
    }

    /** 64 random bits at an index of a stream. */
    static long bits(long stream, long index) {
        return mix(stream + index * GOLDEN);
    }

    /**
     * An approximately standard normal value from 64 bits: the sum of four 16-bit uniforms (Irwin-Hall),
     * centred and scaled to unit variance. Bounded by +-3.46, which keeps synthetic activations tame.
     */
    static float gaussian(long bits) {
        int sum = (int) (bits & 0xffff)
                + (int) ((bits >>> 16) & 0xffff)
                + (int) ((bits >>> 32) & 0xffff)
                + (int) (bits >>> 48);
        return (sum * TWO_TO_MINUS_16 - 2.0f) * UNIT_VARIANCE;
    }

    /** A uniform value in [-1, 1) from the top 24 bits. */
    static float uniform(long bits) {
        return (bits >>> 40) * (1.0f / (1 << 23)) - 1.0f;
    }

    /** SplitMix64's finaliser: a bijection that spreads every input bit over the output. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
