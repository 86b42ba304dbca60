package dev.gptoss4j.bench;

import dev.gptoss4j.engine.harmony.Channel;
import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.HarmonyParseListener;
import dev.gptoss4j.engine.harmony.HarmonyRenderer;
import dev.gptoss4j.engine.harmony.HarmonyStreamParser;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.MessageHeader;
import dev.gptoss4j.engine.harmony.RenderOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Harmony streaming-parser throughput in tokens per second (one operation = one token), over a rendered
 * conversation of mixed analysis, tool-call and final messages with multilingual text.
 *
 * <p>Run: {@code java -cp examples/target/gptoss.jar org.openjdk.jmh.Main HarmonyParserBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class HarmonyParserBenchmark {

    static final int TOKENS = 100_000;

    int[] tokens;

    @Setup
    public void setUp() {
        List<Message> messages = new ArrayList<>();
        int round = 0;
        int[] rendered;
        do {
            messages.add(Message.user("Wie wird das Wetter morgen in München? Round " + round));
            messages.add(Message.assistant(
                    Channel.ANALYSIS,
                    "The user asks about tomorrow's weather in München (Munich). I should call the weather tool "
                            + "with the city name, then summarise: temperature in °C, rain, wind. 天気 😊 " + round));
            messages.add(Message.assistant(Channel.COMMENTARY, "{\"city\": \"München\", \"days\": 1}")
                    .withRecipient("functions.get_weather")
                    .withContentType("<|constrain|>json"));
            messages.add(Message.tool("functions.get_weather", "{\"temp_c\": 21.5, \"rain\": 0.1, \"wind_kmh\": 12}")
                    .withRecipient("assistant")
                    .withChannel(Channel.COMMENTARY));
            messages.add(Message.assistant(
                    Channel.FINAL,
                    "Morgen in München: etwa 21,5 °C, kaum Regen (0,1 mm) und leichter Wind (12 km/h). Round "
                            + round));
            rendered = HarmonyRenderer.create()
                    .render(
                            Conversation.of(messages),
                            RenderOptions.conversation().keepAnalysis());
            round++;
        } while (rendered.length < TOKENS);
        tokens = java.util.Arrays.copyOf(rendered, TOKENS);
    }

    /** Collecting messages, no listener. */
    @Benchmark
    @OperationsPerInvocation(TOKENS)
    public List<Message> parseAll() {
        HarmonyStreamParser p = HarmonyStreamParser.builder().build();
        for (int t : tokens) p.accept(t);
        p.finish();
        return p.messages();
    }

    /** Streaming: a listener receiving every header and content delta. */
    @Benchmark
    @OperationsPerInvocation(TOKENS)
    public void streamWithListener(Blackhole bh) {
        HarmonyStreamParser p = HarmonyStreamParser.builder()
                .keepMessages(false)
                .listener(new HarmonyParseListener() {
                    @Override
                    public void onMessageStart(MessageHeader header) {
                        bh.consume(header);
                    }

                    @Override
                    public void onContentDelta(MessageHeader header, String delta) {
                        bh.consume(delta);
                    }
                })
                .build();
        for (int t : tokens) p.accept(t);
        p.finish();
    }
}
