package dev.gptoss4j.engine.kernels;

import java.util.Locale;

/**
 * How the key/value cache stores its numbers. Keys and values are computed in float32; a 16-bit type rounds them
 * to nearest-even when they are written and widens them exactly when attention reads them, halving the cache.
 */
public enum KvType {
    /** float32: exactly the numbers the forward pass computed (the reference's arithmetic). */
    F32(4),
    /** bfloat16: float32's range, 8 significant bits. */
    BF16(2),
    /** IEEE half precision: 11 significant bits, largest finite value 65504. */
    F16(2);

    private final int bytes;

    KvType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per stored number. */
    public int bytes() {
        return bytes;
    }

    /** Parses {@code f32}, {@code bf16} or {@code f16} (any case). */
    public static KvType parse(String name) {
        for (KvType t : values()) if (t.name().equalsIgnoreCase(name.trim())) return t;
        throw new IllegalArgumentException(
                "unknown key/value cache type '" + name + "': expected one of f32, bf16, f16");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
