package dev.gptoss4j.engine.synth;

/**
 * The MXFP4 values of one expert weight tensor of a synthetic model, by block index in its Hugging Face
 * layout ({@code [experts, rows, columns / 32]} blocks of 32 values). Each block has 32 random 4-bit E2M1
 * codes (value {@code i} is nibble {@code i % 16} of {@link #low} for {@code i < 16}, else of {@link #high})
 * and an E8M0 scale of {@code 2^(exponent - 1 .. exponent + 1)}.
 */
record Mxfp4Field(long blockStream, long scaleStream, int exponent) {

    /** Mean square of the 16 E2M1 values (0, 0.5, 1, 1.5, 2, 3, 4, 6 and their negatives). */
    private static final double E2M1_MEAN_SQUARE = (0 + 0.25 + 1 + 2.25 + 4 + 9 + 16 + 36) / 8.0;

    static Mxfp4Field of(long seed, String hfPrefix, int fanIn) {
        // Scale so that a row's dot product with a unit-variance input has about unit variance.
        int exponent = (int) Math.round(Math.log(1.0 / (Math.sqrt(E2M1_MEAN_SQUARE) * Math.sqrt(fanIn))) / Math.log(2));
        return new Mxfp4Field(
                SynthRandom.stream(seed, hfPrefix + "_blocks"),
                SynthRandom.stream(seed, hfPrefix + "_scales"),
                exponent);
    }

    /** Codes of values 0..15 of a block, value i in bits 4i..4i+3. */
    long low(long block) {
        return SynthRandom.bits(blockStream, 2 * block);
    }

    /** Codes of values 16..31 of a block. */
    long high(long block) {
        return SynthRandom.bits(blockStream, 2 * block + 1);
    }

    /** The E8M0 scale byte (bias 127) of a block. */
    byte scale(long block) {
        long r = Long.remainderUnsigned(SynthRandom.bits(scaleStream, block), 3);
        return (byte) (127 + exponent - 1 + r);
    }
}
