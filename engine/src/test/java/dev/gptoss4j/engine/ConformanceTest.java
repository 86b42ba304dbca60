package dev.gptoss4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gptoss4j.engine.model.ModelLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Logits at every position and greedy continuations of the tiny model, from every layout and at several thread
 * counts, against the official PyTorch implementation run in float32 (tolerance 1e-3 of the largest logit).
 */
class ConformanceTest {

    static final double TOLERANCE = 1e-3;
    static final List<GptOss> models = new ArrayList<>();

    @BeforeAll
    static void load() {
        for (Path p : Fixtures.allLayouts()) models.add(GptOss.load(p));
    }

    @AfterAll
    static void close() {
        models.forEach(GptOss::close);
    }

    static Stream<Arguments> layoutsAndThreads() {
        List<Arguments> args = new ArrayList<>();
        for (int m = 0; m < Fixtures.allLayouts().size(); m++) {
            for (int threads : new int[] {1, 2, 3}) {
                args.add(Arguments.of(
                        m, Fixtures.allLayouts().get(m).getFileName().toString(), threads));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{1} threads={2}")
    @MethodSource("layoutsAndThreads")
    void logitsAndGreedyMatchReference(int modelIndex, String name, int threads) {
        GptOss model = models.get(modelIndex);
        for (Fixtures.Sequence seq : Fixtures.reference()) {
            try (Session s =
                    model.newSession(SessionOptions.builder().threads(threads).build())) {
                float[][] ours = new float[seq.tokens().length][];
                for (int i = 0; i < seq.tokens().length; i++) ours[i] = s.prefill(new int[] {seq.tokens()[i]});
                double err = Fixtures.relativeError(ours, seq.logits());
                assertTrue(
                        err <= TOLERANCE,
                        name + " threads=" + threads + " length " + seq.tokens().length + ": relative error " + err);
                int[] greedy = new int[seq.greedy().length];
                for (int i = 0; i < greedy.length; i++) {
                    greedy[i] = s.argmax();
                    s.append(greedy[i]);
                }
                assertArrayEquals(seq.greedy(), greedy, name + " threads=" + threads + " greedy tokens");
            }
        }
    }

    @Test
    void layoutsAreDetected() {
        assertEquals(ModelLayout.ORIGINAL, models.get(0).layout());
        assertEquals(ModelLayout.HUGGING_FACE, models.get(1).layout());
        assertEquals(ModelLayout.GGUF, models.get(2).layout());
        assertEquals(ModelLayout.GGUF, models.get(3).layout());
    }

    @Test
    void configsAgreeAcrossLayouts() {
        for (GptOss m : models) {
            var c = m.config();
            assertEquals(4, c.numLayers(), m.source().toString());
            assertEquals(128, c.hiddenSize());
            assertEquals(8, c.numHeads());
            assertEquals(2, c.numKvHeads());
            assertEquals(32, c.headDim());
            assertEquals(8, c.numExperts());
            assertEquals(4, c.expertsPerToken());
            assertEquals(64, c.intermediateSize());
            assertEquals(512, c.vocabSize());
            assertEquals(8, c.slidingWindow());
            assertArrayEquals(new boolean[] {true, false, true, false}, c.slidingLayers());
            assertEquals(32.0, c.ropeScalingFactor(), 0);
            assertEquals(4096, c.initialContextLength());
            assertEquals(131072, c.maxContext());
        }
    }

    @Test
    void prefillInOneCallEqualsTokenByToken() {
        Fixtures.Sequence seq = Fixtures.reference().get(2);
        try (Session s =
                models.get(2).newSession(SessionOptions.builder().threads(2).build())) {
            float[] last = s.prefill(seq.tokens());
            float[][] one = {last};
            float[][] ref = {seq.logits()[seq.logits().length - 1]};
            assertTrue(Fixtures.relativeError(one, ref) <= TOLERANCE);
            assertEquals(seq.tokens().length, s.position());
        }
    }
}
