package dev.gptoss4j.bench;

import dev.gptoss4j.engine.kernels.Ops;
import dev.gptoss4j.engine.kernels.Rope;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The small per-token kernels at gpt-oss-20b sizes: RMSNorm of the 2880-wide residual, rotary embedding of 64 query
 * and 8 key heads (YaRN angles included), softmax over 4096 scores, SwiGLU over a 2880-wide expert.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp examples/target/gptoss.jar org.openjdk.jmh.Main OpsBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class OpsBenchmark {

    private float[] x = new float[2880];
    private float[] out = new float[2880];
    private float[] scale = new float[2880];
    private float[] qk = new float[72 * 64];
    private float[] cos = new float[32];
    private float[] sin = new float[32];
    private float[] scores = new float[4096];
    private float[] glu = new float[2880];
    private float[] linear = new float[2880];
    private final Rope rope = new Rope(64, 150000, 32, 4096, 1, 32);
    private int position;

    @Setup
    public void setup() {
        Random rnd = new Random(3);
        for (int i = 0; i < 2880; i++) {
            x[i] = (float) rnd.nextGaussian();
            scale[i] = 1 + 0.1f * (float) rnd.nextGaussian();
            glu[i] = 3 * (float) rnd.nextGaussian();
            linear[i] = 3 * (float) rnd.nextGaussian();
        }
        for (int i = 0; i < qk.length; i++) qk[i] = (float) rnd.nextGaussian();
    }

    @Benchmark
    public float[] rmsNorm() {
        Ops.rmsNorm(out, x, scale, 1e-5f);
        return out;
    }

    @Benchmark
    public float[] rotary() {
        rope.angles(position++ & 4095, cos, sin);
        rope.rotate(qk, 0, 72, cos, sin);
        return qk;
    }

    @Benchmark
    public float[] softmax() {
        for (int i = 0; i < scores.length; i++) scores[i] = x[i % 2880];
        Ops.softmax(scores, 0, scores.length);
        return scores;
    }

    @Benchmark
    public float[] swiglu() {
        for (int i = 0; i < 2880; i++) out[i] = Ops.swiglu(glu[i], linear[i], 1.702f, 7f);
        return out;
    }
}
