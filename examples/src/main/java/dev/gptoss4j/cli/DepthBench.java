package dev.gptoss4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.engine.GenerationRequest;
import dev.gptoss4j.engine.GptOss;
import dev.gptoss4j.engine.Session;
import dev.gptoss4j.engine.SessionOptions;
import dev.gptoss4j.engine.kernels.KvType;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code gptoss bench --depth N}: prefill and decode speed with N tokens already in the context, measured the way
 * llama-bench's {@code -d N} does. Per depth, one session is filled with N tokens (a prefill of N tokens in
 * batches of {@code --batch}, not timed); then, per repeat, a prefill of {@code --prompt-tokens} after them is
 * timed, the session is rewound to N, a decode of {@code --gen-tokens} from depth N is timed (the tokens after the
 * first, whose logits come with the fill) and the session is rewound to N again. The sliding-window layers keep
 * enough positions for those rewinds, so the fill is done once per depth.
 */
final class DepthBench {

    private DepthBench() {}

    static void run(
            GptOss m,
            List<Integer> depths,
            int[] prompt,
            int[] transcript,
            int genTokens,
            int repeat,
            int workers,
            int batch,
            KvType cacheType,
            BenchCommand.Phases phases,
            ObjectNode r) {
        int vocab = m.config().vocabSize();
        Set<Integer> noStop = Set.of(vocab); // never sampled: decode exactly genTokens
        float[] logits = new float[vocab];
        int modelMax = m.config().maxContext();
        for (int d : depths) {
            if (options(d, prompt.length, genTokens, workers, batch, cacheType).maxContext() > modelMax) {
                throw new IllegalArgumentException("depth " + d + " plus " + Math.max(prompt.length, genTokens)
                        + " tokens exceeds the model's context of " + modelMax);
            }
        }

        // warm-up: compile the kernels (batched and single-token) before anything is timed
        phases.start("warming up (compiling the kernels)");
        try (Session s = m.newSession(options(64, prompt.length, genTokens, workers, batch, cacheType))) {
            s.prefill(BenchCommand.repeatTo(transcript, 64));
            s.append(Arrays.copyOf(prompt, Math.min(prompt.length, 96)));
            s.logits(logits);
            s.rewind(64);
            generate(s, Math.min(genTokens, 8), noStop);
        }

        ArrayNode results = r.putArray("depths");
        String kv = null;
        for (int d : depths) {
            ObjectNode row = results.addObject();
            row.put("depth", d);
            row.put("load_average_before", BenchCommand.loadAverage());
            // depth 0 decodes after one token: something must give the first token's logits
            int fill = Math.max(1, d);
            try (Session s = m.newSession(options(d, prompt.length, genTokens, workers, batch, cacheType))) {
                kv = s.kvType().toString();
                phases.start("depth " + d + ": filling the context (prefill of " + fill + " tokens, not timed)");
                long f0 = System.nanoTime();
                s.prefill(BenchCommand.repeatTo(transcript, fill));
                row.put("fill_s", BenchCommand.round(BenchCommand.sec(System.nanoTime() - f0)));
                double bestPrefill = 0, bestDecode = 0;
                for (int i = 0; i < repeat; i++) {
                    phases.start("depth " + d + ": prefill " + prompt.length + " tokens, decode " + genTokens
                            + phases.round(i, repeat));
                    long t0 = System.nanoTime();
                    s.append(prompt);
                    s.logits(logits);
                    long t1 = System.nanoTime();
                    bestPrefill = Math.max(bestPrefill, prompt.length / BenchCommand.sec(t1 - t0));
                    s.rewind(fill);
                    if (genTokens > 1) bestDecode = Math.max(bestDecode, generate(s, genTokens, noStop));
                    s.rewind(fill);
                }
                row.put("prefill_tokens_per_s", BenchCommand.round(bestPrefill));
                row.put("decode_tokens_per_s", BenchCommand.round(bestDecode));
                row.put("cache_mb", BenchCommand.round(s.cacheBytes() / 1048576.0));
            }
        }
        r.put("kv_type", kv);
        r.put("prompt_tokens", prompt.length);
        r.put("gen_tokens", genTokens);
        r.put("heap_max_mb", BenchCommand.round(Runtime.getRuntime().maxMemory() / 1048576.0));
        r.put("heap_peak_mb", BenchCommand.round(heapPeakBytes() / 1048576.0));
    }

    /** The session for one depth: room for the fill plus the longer of the two measurements, and for the rewinds. */
    static SessionOptions options(int depth, int promptTokens, int genTokens, int workers, int batch, KvType type) {
        int measured = Math.max(promptTokens, genTokens);
        return SessionOptions.builder()
                .threads(workers)
                .batchSize(batch)
                .maxContext(Math.max(1, depth) + measured + 16)
                .rewindSlack(measured + 16)
                .maxDraftTokens(0)
                .kvType(type)
                .usePrefixCache(false)
                .build();
    }

    /** Decodes {@code n} tokens; returns the speed of those after the first (whose logits were already there). */
    private static double generate(Session s, int n, Set<Integer> noStop) {
        long[] firstAt = {0};
        s.generate(GenerationRequest.builder().maxTokens(n).stopTokens(noStop).build(), (token, logprob) -> {
            if (firstAt[0] == 0) firstAt[0] = System.nanoTime();
        });
        long end = System.nanoTime();
        return n > 1 ? (n - 1) / BenchCommand.sec(end - firstAt[0]) : 0;
    }

    /** The sum of the heap pools' peak use (an upper bound of the heap's peak). */
    private static long heapPeakBytes() {
        long total = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                total += pool.getPeakUsage().getUsed();
            }
        }
        return total;
    }
}
