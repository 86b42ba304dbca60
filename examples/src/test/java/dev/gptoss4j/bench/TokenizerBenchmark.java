package dev.gptoss4j.bench;

import dev.gptoss4j.engine.tokenizer.StreamingDecoder;
import dev.gptoss4j.engine.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * o200k_harmony tokenizer throughput on a mixed corpus (English prose, code, JSON, CJK, Arabic, emoji, numbers)
 * of exactly 1,000,000 UTF-8 bytes, so the score in ops/s reads directly as MB/s.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp examples/target/gptoss.jar org.openjdk.jmh.Main TokenizerBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TokenizerBenchmark {

    /** One operation's input size: a megabyte, so ops/s is MB/s. */
    static final int CORPUS_BYTES = 1_000_000;

    private static final String[] SAMPLES = {
        // English prose
        "The committee met on Tuesday to review the proposal. After a long discussion, they agreed that the "
                + "budget was reasonable, although several members wondered whether the timeline wasn't too "
                + "optimistic. \"We'll see,\" said the chair, closing the meeting.\n\n",
        // Code
        "public static int fib(int n) {\n    if (n < 2) return n;\n    return fib(n - 1) + fib(n - 2);\n}\n"
                + "def parse(line):\n    key, _, value = line.partition('=')\n    return key.strip(), value.strip()\n",
        // JSON
        "{\"id\": \"call_8f2a\", \"type\": \"function\", \"function\": {\"name\": \"get_weather\", "
                + "\"arguments\": {\"location\": \"San Francisco, CA\", \"unit\": \"celsius\", \"days\": [1, 2, 3]}}}\n",
        // CJK
        "今天天气很好，我们去公园散步吧。日本語のテキストとカタカナ、ひらがな。안녕하세요, 만나서 반갑습니다. 龘 饕餮\n",
        // Arabic
        "مرحبا بكم في عالم النماذج المفتوحة. اللغة العربية جميلة وغنية بالمفردات والتعابير.\n",
        // Emoji
        "Great job! 👍🏽🎉 Family: 👨‍👩‍👧‍👦 Flags: 🇸🇦 🇯🇵 ❤️ 🦩 🪿 😀😃😄😁\n",
        // Numbers
        "Totals: 1,234,567.89 3.14159 -42 1e10 0x1F 2026-11-24 12:30:45 +1 (555) 010-9999 99.5% 7/8\n",
    };

    private Tokenizer tokenizer;
    private String corpus;
    private int[] corpusIds;

    @Setup
    public void setUp() {
        tokenizer = Tokenizer.o200kHarmony();
        corpus = mixedCorpus();
        corpusIds = tokenizer.encode(corpus);
        if (!tokenizer.decode(corpusIds).equals(corpus)) {
            throw new IllegalStateException("benchmark corpus does not round-trip");
        }
    }

    /** The samples in turn, numbered so no two are alike, then ASCII padding to exactly CORPUS_BYTES. */
    static String mixedCorpus() {
        StringBuilder text = new StringBuilder();
        int bytes = 0;
        for (int n = 0; ; n++) {
            String piece = "[" + n + "] " + SAMPLES[n % SAMPLES.length];
            int size = piece.getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > CORPUS_BYTES) break;
            text.append(piece);
            bytes += size;
        }
        while (bytes < CORPUS_BYTES) {
            text.append(bytes % 8 == 7 ? ' ' : 'x');
            bytes++;
        }
        String corpus = text.toString();
        if (corpus.getBytes(StandardCharsets.UTF_8).length != CORPUS_BYTES) {
            throw new IllegalStateException("benchmark corpus is not " + CORPUS_BYTES + " bytes");
        }
        return corpus;
    }

    /** Text to ids: one op encodes the whole megabyte. */
    @Benchmark
    public int[] encode() {
        return tokenizer.encode(corpus);
    }

    /** Ids to text one token at a time, as generation does: one op streams the whole megabyte back. */
    @Benchmark
    public void streamingDecode(Blackhole out) {
        StreamingDecoder stream = tokenizer.streamingDecoder();
        for (int id : corpusIds) out.consume(stream.accept(id));
        out.consume(stream.finish());
    }
}
