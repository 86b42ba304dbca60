package dev.gptoss4j.bench;

import dev.gptoss4j.engine.kernels.Attention;
import dev.gptoss4j.engine.kernels.KvBuffer;
import dev.gptoss4j.engine.kernels.KvPool;
import dev.gptoss4j.engine.kernels.KvType;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Attention with sinks for one token, all 64 query heads of a gpt-oss-20b layer (8 key/value heads of 64), over a
 * full context of {@code positions} or the 128-position sliding window, in each cache type: head by head
 * ({@code oneTokenAllHeads}, each head reading its key/value head's rows) or grouped ({@code oneTokenGrouped}, the
 * 8 query heads of a key/value head reading its rows once; what the engine runs).
 *
 * <pre>java --add-modules jdk.incubator.vector -cp examples/target/gptoss.jar org.openjdk.jmh.Main AttentionBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AttentionBenchmark {

    static final int HEADS = 64;
    static final int KV_HEADS = 8;
    static final int HEAD_DIM = 64;

    @Param({"512", "4096"})
    public int positions;

    @Param({"full", "sliding"})
    public String kind;

    @Param({"f32", "bf16", "f16"})
    public String kvType;

    private KvBuffer kv;
    private float[] q;
    private float[] out;
    private float[] scores;
    private float[] sinks;
    private float[] group;
    private float[] rows;

    @Setup
    public void setup() {
        Random rnd = new Random(2);
        kv = KvBuffer.growing(new KvPool(KvType.parse(kvType), KV_HEADS, HEAD_DIM), positions);
        float[] row = new float[KV_HEADS * HEAD_DIM];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < row.length; i++) row[i] = (float) rnd.nextGaussian();
            kv.write(p, row, 0, row, 0);
        }
        q = new float[HEADS * HEAD_DIM];
        for (int i = 0; i < q.length; i++) q[i] = (float) rnd.nextGaussian();
        out = new float[HEADS * HEAD_DIM];
        scores = new float[positions + 1];
        sinks = new float[HEADS];
        group = new float[Attention.groupScratch(HEADS / KV_HEADS, positions)];
        rows = new float[Attention.rowScratch(HEAD_DIM)];
    }

    @Benchmark
    public float[] oneTokenGrouped() {
        int last = positions - 1;
        int first = kind.equals("sliding") ? Math.max(0, last - 127) : 0;
        int perKv = HEADS / KV_HEADS;
        for (int g = 0; g < KV_HEADS; g++) {
            Attention.attendGroup(
                    q,
                    g * perKv * HEAD_DIM,
                    perKv,
                    kv,
                    g,
                    first,
                    last,
                    sinks,
                    g * perKv,
                    0.125f,
                    group,
                    rows,
                    out,
                    g * perKv * HEAD_DIM);
        }
        return out;
    }

    @Benchmark
    public float[] oneTokenAllHeads() {
        int last = positions - 1;
        int first = kind.equals("sliding") ? Math.max(0, last - 127) : 0;
        for (int h = 0; h < HEADS; h++) {
            Attention.attendHead(
                    q,
                    h * HEAD_DIM,
                    kv,
                    h / (HEADS / KV_HEADS),
                    first,
                    last,
                    sinks[h],
                    0.125f,
                    scores,
                    out,
                    h * HEAD_DIM);
        }
        return out;
    }
}
