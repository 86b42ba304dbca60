package dev.gptoss4j.engine.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of the hot dot products (F32, BF16, ggml MXFP4), float32 lanes and accumulation. They
 * sum in a different order than {@link ScalarKernels}, so results agree to rounding, not bit for bit.
 * Disabled with {@code -Dgptoss4j.scalar=true} or where the CPU has no useful vector width.
 */
final class VectorKernels {

    private VectorKernels() {}

    static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    static final VectorSpecies<Short> SS =
            VectorSpecies.of(short.class, VectorShape.forBitSize(Math.max(64, FS.vectorBitSize() / 2)));
    static final VectorSpecies<Byte> B128 = ByteVector.SPECIES_128;
    static final VectorSpecies<Float> F256 = FloatVector.SPECIES_256;

    static final boolean ENABLED = FS.length() >= 8 && SS.length() == FS.length()
            && !Boolean.getBoolean("gptoss4j.scalar");

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** Twice the FP4 values, as bytes (the exact integers 0..12); the block scale carries the factor 1/2. */
    private static final ByteVector FP4_TIMES_2 = ByteVector.fromArray(B128,
            new byte[] {0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12}, 0);

    static float dotF32(MemorySegment w, long base, float[] x, int n) {
        FloatVector acc = FloatVector.zero(FS);
        int i = 0;
        int bound = FS.loopBound(n);
        for (; i < bound; i += FS.length()) {
            FloatVector wv = FloatVector.fromMemorySegment(FS, w, base + 4L * i, LE);
            acc = wv.fma(FloatVector.fromArray(FS, x, i), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) sum += w.get(ScalarKernels.F32, base + 4L * i) * x[i];
        return sum;
    }

    static float dotBf16(MemorySegment w, long base, float[] x, int n) {
        FloatVector acc = FloatVector.zero(FS);
        int i = 0;
        int bound = FS.loopBound(n);
        for (; i < bound; i += FS.length()) {
            ShortVector raw = ShortVector.fromMemorySegment(SS, w, base + 2L * i, LE);
            FloatVector wv = ((IntVector) raw.convertShape(VectorOperators.S2I, IS, 0))
                    .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            acc = wv.fma(FloatVector.fromArray(FS, x, i), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) sum += Fp.bf16ToFloat(w.get(ScalarKernels.I16, base + 2L * i)) * x[i];
        return sum;
    }

    static float dotMxfp4(MemorySegment w, long base, float[] x, int n) {
        float sum = 0f;
        for (int b = 0; b < n / 32; b++) {
            long block = base + 17L * b;
            float scale = Fp.E8M0[w.get(ValueLayout.JAVA_BYTE, block) & 0xFF] * 0.5f;
            ByteVector q = ByteVector.fromMemorySegment(B128, w, block + 1, LE);
            ByteVector lo = q.and((byte) 0x0F).selectFrom(FP4_TIMES_2);
            ByteVector hi = q.lanewise(VectorOperators.LSHR, 4).and((byte) 0x0F).selectFrom(FP4_TIMES_2);
            int xi = b * 32;
            FloatVector acc = ((FloatVector) lo.convertShape(VectorOperators.B2F, F256, 0))
                    .mul(FloatVector.fromArray(F256, x, xi));
            acc = ((FloatVector) lo.convertShape(VectorOperators.B2F, F256, 1))
                    .fma(FloatVector.fromArray(F256, x, xi + 8), acc);
            acc = ((FloatVector) hi.convertShape(VectorOperators.B2F, F256, 0))
                    .fma(FloatVector.fromArray(F256, x, xi + 16), acc);
            acc = ((FloatVector) hi.convertShape(VectorOperators.B2F, F256, 1))
                    .fma(FloatVector.fromArray(F256, x, xi + 24), acc);
            sum += acc.reduceLanes(VectorOperators.ADD) * scale;
        }
        return sum;
    }
}
