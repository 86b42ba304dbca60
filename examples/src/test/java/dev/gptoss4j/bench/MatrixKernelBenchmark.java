package dev.gptoss4j.bench;

import dev.gptoss4j.engine.kernels.Matrix;
import dev.gptoss4j.engine.kernels.WeightType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One thread's weight kernels on a gpt-oss-20b-shaped 2880 x 2880 matrix (an expert projection): {@code matvec}
 * is one decoded token (weights decoded on the fly), {@code matmul16} sixteen tokens sharing each decoded row (the
 * prefill path). The matrix is 33 MB in MXFP4 and 16.6 MB in bf16, larger than the L2 cache, so matvec scores
 * times the matrix size read as the kernel's streaming rate (GB/s); matmul16 does 265 MFLOP per operation.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp examples/target/gptoss.jar org.openjdk.jmh.Main MatrixKernelBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MatrixKernelBenchmark {

    static final int ROWS = 2880;
    static final int COLS = 2880;
    static final int TOKENS = 16;

    @Param({"MXFP4", "MXFP4_SPLIT", "BF16", "F16", "Q8_0", "F32"})
    public WeightType type;

    private Arena arena;
    private Matrix matrix;
    private float[] x;
    private float[] xs;
    private int[] xOffs;
    private int[] outOffs;
    private float[] out;
    private float[] scratch;

    @Setup(Level.Trial)
    public void setup() {
        arena = Arena.ofShared();
        Random rnd = new Random(1);
        long rowBytes = type.rowBytes(COLS);
        MemorySegment data = arena.allocate(rowBytes * ROWS, 64);
        for (long i = 0; i < data.byteSize(); i++) data.set(ValueLayout.JAVA_BYTE, i, (byte) rnd.nextInt());
        // valid scales / finite values where the encoding has them
        for (int r = 0; r < ROWS; r++) {
            long row = r * rowBytes;
            switch (type) {
                case MXFP4 -> {
                    for (int b = 0; b < COLS / 32; b++)
                        data.set(ValueLayout.JAVA_BYTE, row + 17L * b, (byte) (120 + rnd.nextInt(10)));
                }
                case Q8_0 -> {
                    for (int b = 0; b < COLS / 32; b++)
                        data.set(ValueLayout.JAVA_SHORT_UNALIGNED, row + 34L * b, Float.floatToFloat16(0.01f));
                }
                case F16 -> {
                    for (int i = 0; i < COLS; i++)
                        data.set(ValueLayout.JAVA_SHORT_UNALIGNED, row + 2L * i, Float.floatToFloat16((float)
                                rnd.nextGaussian()));
                }
                case BF16 -> {
                    for (int i = 0; i < COLS; i++)
                        data.set(ValueLayout.JAVA_SHORT_UNALIGNED, row + 2L * i, (short)
                                (Float.floatToIntBits((float) rnd.nextGaussian()) >>> 16));
                }
                case F32 -> {
                    for (int i = 0; i < COLS; i++)
                        data.set(ValueLayout.JAVA_FLOAT_UNALIGNED, row + 4L * i, (float) rnd.nextGaussian());
                }
                default -> {}
            }
        }
        if (type == WeightType.MXFP4_SPLIT) {
            MemorySegment scales = arena.allocate((long) ROWS * COLS / 32);
            for (long i = 0; i < scales.byteSize(); i++)
                scales.set(ValueLayout.JAVA_BYTE, i, (byte) (120 + rnd.nextInt(10)));
            matrix = Matrix.mxfp4Split(ROWS, COLS, data, 0, scales, 0);
        } else {
            matrix = Matrix.of(type, ROWS, COLS, data, 0);
        }
        x = new float[COLS];
        for (int i = 0; i < COLS; i++) x[i] = (float) rnd.nextGaussian();
        xs = new float[TOKENS * COLS];
        for (int i = 0; i < xs.length; i++) xs[i] = (float) rnd.nextGaussian();
        xOffs = new int[TOKENS];
        outOffs = new int[TOKENS];
        for (int t = 0; t < TOKENS; t++) {
            xOffs[t] = t * COLS;
            outOffs[t] = t * ROWS;
        }
        out = new float[TOKENS * ROWS];
        scratch = new float[matrix.scratchSize()];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public float[] matvec() {
        matrix.matvec(x, 0, out, 0, 0, ROWS, scratch);
        return out;
    }

    @Benchmark
    public float[] matmul16() {
        matrix.matmul(xs, xOffs, 0, TOKENS, out, outOffs, 0, ROWS, scratch);
        return out;
    }
}
