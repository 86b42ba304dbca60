package dev.gptoss4j.engine.synth;

import java.util.Locale;

/**
 * The ggml tensor types a synthetic model uses, with ggml's type ids and block sizes. Block types store
 * {@code blockSize} values in {@code blockBytes} bytes: Q8_0 as an f16 scale and 32 int8 values, MXFP4 as an
 * E8M0 scale byte and 16 bytes of 4-bit E2M1 values (value j in the low nibble of byte j, value j + 16 in
 * its high nibble).
 */
public enum GgufType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q8_0(8, 32, 34),
    BF16(30, 1, 2),
    MXFP4(39, 32, 17);

    /** ggml's {@code enum ggml_type} value, as written in the tensor infos. */
    public final int id;

    public final int blockSize;
    public final int blockBytes;

    GgufType(int id, int blockSize, int blockBytes) {
        this.id = id;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /** Bytes of one row of {@code ne0} values; {@code ne0} must be whole blocks. */
    public int rowBytes(long ne0, String tensor) {
        if (ne0 % blockSize != 0) {
            throw new IllegalArgumentException("tensor " + tensor + ": first dimension " + ne0
                    + " is not a multiple of " + blockSize + ", the block size of " + this);
        }
        return Math.toIntExact(ne0 / blockSize * blockBytes);
    }

    /** The type a {@code --dtype} option names: f32, f16, bf16 or q8_0. */
    public static GgufType ofDtype(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "f32" -> F32;
            case "f16" -> F16;
            case "bf16" -> BF16;
            case "q8_0" -> Q8_0;
            default -> throw new IllegalArgumentException("--dtype " + name + ": expected f32, f16, bf16 or q8_0");
        };
    }
}
