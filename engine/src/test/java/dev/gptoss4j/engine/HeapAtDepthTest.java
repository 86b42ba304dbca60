package dev.gptoss4j.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Decoding deep into a context allocates no more heap per token than near its start: the cache is off-heap and
 * attention's scratch is reused, so a long agent session does not churn (or outgrow) the heap. One worker thread,
 * so every allocation of the forward pass happens on the thread measured. Run by the engine build with the scalar
 * kernels (see engine/pom.xml): with vector kernels the count includes vector boxes until C2 removes them, which
 * varied between runs (190 kB a token at one or both depths) and says nothing about what the session keeps.
 */
class HeapAtDepthTest {

    @Test
    void decodeAllocatesTheSameAtDepthAsNearTheStart() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (GptOss model = GptOss.load(Fixtures.ggufF32())) {
            int vocab = model.config().vocabSize();
            int deep = Math.min(2000, model.config().maxContext() - 64);
            long[] perToken = {Long.MAX_VALUE, Long.MAX_VALUE};
            int[] depths = {100, deep};
            // the least of several rounds: until the JIT has compiled the kernels (C2 removes the vector boxes),
            // vector operations allocate, the more so the longer attention's loops; early in a fresh JVM that takes
            // more rounds than late in the suite, so rounds go on until the two agree or twenty have run (a real
            // per-token copy allocates in every round and never agrees)
            for (int round = 0; round < 20 && !(round > 2 && perToken[1] <= perToken[0] + 1024); round++) {
                for (int d = 0; d < 2; d++) {
                    try (Session s = model.newSession(SessionOptions.builder()
                            .threads(1)
                            .maxContext(deep + 64)
                            .usePrefixCache(false)
                            .build())) {
                        int[] fill = new int[depths[d]];
                        for (int i = 0; i < fill.length; i++) fill[i] = (i * 7919) % vocab;
                        s.prefill(fill);
                        GenerationRequest request = GenerationRequest.builder()
                                .maxTokens(32)
                                .stopTokens(Set.of(vocab))
                                .build();
                        long before = mx.getCurrentThreadAllocatedBytes();
                        s.generate(request, TokenListener.none());
                        long bytes = (mx.getCurrentThreadAllocatedBytes() - before) / 32;
                        if (round > 0) perToken[d] = Math.min(perToken[d], bytes);
                    }
                }
            }
            System.out.printf(
                    "heap allocated per decoded token: %d bytes at depth %d, %d at depth %d%n",
                    perToken[0], depths[0], perToken[1], depths[1]);
            // the deep run has 1,900 more positions: a copy of anything sized by the context per token (the
            // history: 7.6 kB; attention scores per layer or head: more) would add kilobytes
            assertTrue(
                    perToken[1] <= perToken[0] + 1024,
                    "per token: " + perToken[0] + " bytes at depth " + depths[0] + ", " + perToken[1] + " at "
                            + depths[1]);
        }
    }
}
