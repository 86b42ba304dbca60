package dev.gptoss4j.bench;

import dev.gptoss4j.engine.constrain.GrammarConstraint;
import dev.gptoss4j.engine.constrain.GrammarState;
import dev.gptoss4j.engine.constrain.JsonSchemaGrammar;
import dev.gptoss4j.engine.constrain.TokenMask;
import dev.gptoss4j.engine.constrain.TokenTrie;
import dev.gptoss4j.engine.tokenizer.SpecialTokens;
import dev.gptoss4j.engine.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
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
 * Per-token cost of constrained decoding over the 201088-token o200k_harmony vocabulary, for a tool-arguments
 * schema in mid-object states: a mask computed from scratch (a cache miss: one scan of the token trie) inside a
 * free string, which admits most of the vocabulary and so is the slowest state, and at a key position; and the
 * steady-state step (cached mask applied to the logits), which is what most tokens pay.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp examples/target/gptoss.jar org.openjdk.jmh.Main ConstrainedDecodingBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ConstrainedDecodingBenchmark {

    static final String SCHEMA = """
            {"type":"object","properties":{
               "location":{"type":"string"},
               "unit":{"type":"string","enum":["celsius","fahrenheit"]},
               "days":{"type":"integer"},
               "details":{"type":"object","properties":{"hourly":{"type":"boolean"},"fields":{"type":"array","items":{"type":"string"}}}}
             },
             "required":["location","unit"]}""";

    private TokenMask uncached;
    private GrammarState inString;
    private GrammarState atKey;
    private GrammarState inNumber;
    private GrammarConstraint steady;
    private float[] logits;
    private float[] scratch;

    @Setup
    public void setUp() {
        TokenTrie trie = TokenTrie.o200kHarmony();
        JsonSchemaGrammar grammar = JsonSchemaGrammar.compile(SCHEMA);
        uncached = new TokenMask(trie, 0);
        inString = grammar.start().step("{\"location\":\"San Fr".getBytes(StandardCharsets.UTF_8));
        atKey = grammar.start().step("{\"location\":\"Paris\",".getBytes(StandardCharsets.UTF_8));
        inNumber = grammar.start().step("{\"location\":\"Paris\",\"days\":1".getBytes(StandardCharsets.UTF_8));
        steady = new GrammarConstraint(new TokenMask(trie), grammar.start(), SpecialTokens.CALL);
        for (int t : Tokenizer.o200kHarmony().encode("{\"location\":\"San Fr")) steady.accept(t);
        logits = new float[Tokenizer.VOCABULARY_SIZE];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < logits.length; i++) logits[i] = (float) random.nextGaussian();
        scratch = new float[logits.length];
        steady.mask(scratch); // fills the cache
    }

    @Benchmark
    public long[] maskMissInsideString() {
        return uncached.compute(inString);
    }

    @Benchmark
    public long[] maskMissAtKey() {
        return uncached.compute(atKey);
    }

    @Benchmark
    public long[] maskMissInsideNumber() {
        return uncached.compute(inNumber);
    }

    /** Copy of the logits plus the cached mask applied: the cost of a token whose state was seen before. */
    @Benchmark
    public float[] stepCachedInsideString() {
        System.arraycopy(logits, 0, scratch, 0, logits.length);
        steady.mask(scratch);
        return scratch;
    }
}
