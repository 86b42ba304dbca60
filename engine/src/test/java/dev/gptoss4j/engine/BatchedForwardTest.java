package dev.gptoss4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A prompt run in batches (any batch size, any thread count) gives bit-identical logits to running it one token
 * at a time: each token's arithmetic does not depend on the batch it ran in.
 */
class BatchedForwardTest {

    static java.util.List<Path> layouts() {
        return Fixtures.allLayouts();
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void batchesOfAnySizeMatchOneTokenAtATime(Path path) {
        int[] tokens = Fixtures.reference().get(2).tokens(); // 40 tokens, window 8: the rings wrap
        try (GptOss model = GptOss.load(path)) {
            float[][] single = new float[tokens.length][];
            try (Session s = model.newSession(SessionOptions.builder()
                    .threads(1)
                    .batchSize(1)
                    .usePrefixCache(false)
                    .build())) {
                for (int i = 0; i < tokens.length; i++) single[i] = s.prefill(new int[] {tokens[i]});
            }
            for (int batch : new int[] {2, 5, 16, 64}) {
                for (int threads : new int[] {1, 3, 8}) { // 8: more workers than some matrices have row tiles
                    try (Session s = model.newSession(SessionOptions.builder()
                            .threads(threads)
                            .batchSize(batch)
                            .usePrefixCache(false)
                            .build())) {
                        // the prompt in two calls, so batches start at odd positions too
                        s.append(java.util.Arrays.copyOf(tokens, 13));
                        assertArrayEquals(single[12], s.logits(), "batch " + batch + " threads " + threads);
                        float[] last = s.prefill(java.util.Arrays.copyOfRange(tokens, 13, tokens.length));
                        assertArrayEquals(single[tokens.length - 1], last, "batch " + batch + " threads " + threads);
                        assertEquals(tokens.length, s.position());
                    }
                }
            }
        }
    }
}
