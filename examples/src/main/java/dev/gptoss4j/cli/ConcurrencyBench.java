package dev.gptoss4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.engine.GenerationRequest;
import dev.gptoss4j.engine.GptOss;
import dev.gptoss4j.engine.Scheduler;
import dev.gptoss4j.engine.Session;
import dev.gptoss4j.engine.SessionOptions;
import dev.gptoss4j.engine.TokenListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code gptoss bench --concurrency N}: N streams at once through one {@link Scheduler}, each with its own prompt,
 * each generating the same number of tokens; then one stream alone through the same scheduler, and a second
 * request sharing a long prompt with a stream that is decoding.
 */
final class ConcurrencyBench {

    private ConcurrencyBench() {}

    /** What one stream saw: when it started, when each token came. */
    record Stream(long start, long[] tokenTimes) {
        double ttftMs() {
            return (tokenTimes[0] - start) / 1e6;
        }
    }

    static void run(
            GptOss model,
            int streams,
            int threads,
            SessionOptions options,
            int[] transcript,
            int promptTokens,
            int genTokens,
            int repeat,
            ObjectNode r)
            throws Exception {
        Set<Integer> noStop = Set.of(model.config().vocabSize());
        try (Scheduler scheduler = model.newScheduler(threads)) {
            // warm-up: compile the kernels before anything is timed, the batched ones at this batch size (the
            // few-token kernels differ by size: with fewer streams here, the timed run paid their compilation)
            together(scheduler, options, prompts(transcript, streams, 64), 16, noStop);
            double bestAggregate = 0, bestSingle = 0;
            List<Stream> best = null;
            long bestWall = 0;
            for (int i = 0; i < repeat; i++) {
                long t0 = System.nanoTime();
                List<Stream> got =
                        together(scheduler, options, prompts(transcript, streams, promptTokens), genTokens, noStop);
                long wall = System.nanoTime() - t0;
                double aggregate = (double) streams * genTokens / (wall / 1e9);
                if (aggregate > bestAggregate) {
                    bestAggregate = aggregate;
                    best = got;
                    bestWall = wall;
                }
                long s0 = System.nanoTime();
                together(scheduler, options, prompts(transcript, 1, promptTokens), genTokens, noStop);
                bestSingle = Math.max(bestSingle, genTokens / ((System.nanoTime() - s0) / 1e9));
            }
            r.put("concurrency", streams);
            r.put("prompt_tokens", promptTokens);
            r.put("gen_tokens", genTokens);
            r.put("aggregate_tokens_per_s", round(bestAggregate));
            r.put("wall_ms", round(bestWall / 1e6));
            r.put("single_stream_tokens_per_s", round(bestSingle));
            r.put("aggregate_over_single", round(bestAggregate / bestSingle));
            double[] ttft = best.stream().mapToDouble(Stream::ttftMs).sorted().toArray();
            r.put("ttft_ms_p50", round(percentile(ttft, 50)));
            r.put("ttft_ms_max", round(ttft[ttft.length - 1]));
            List<Double> gaps = new ArrayList<>();
            for (Stream s : best) {
                for (int k = 1; k < s.tokenTimes.length; k++) gaps.add((s.tokenTimes[k] - s.tokenTimes[k - 1]) / 1e6);
            }
            double[] g = gaps.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            r.put("inter_token_ms_p50", round(percentile(g, 50)));
            r.put("inter_token_ms_p99", round(percentile(g, 99)));
            r.put("scheduler_steps", scheduler.steps());
            r.put("scheduler_mean_batch", round((double) scheduler.batchedTokens() / Math.max(1, scheduler.steps())));
            sharedPrefix(model, scheduler, options, transcript, genTokens, noStop, r);
        }
    }

    /**
     * A 1,000-token prompt (system prompt and tools) cold, then a second request with the same prompt and another
     * question while the first is still decoding: its time to first token against the cold one.
     */
    private static void sharedPrefix(
            GptOss model,
            Scheduler scheduler,
            SessionOptions options,
            int[] transcript,
            int genTokens,
            Set<Integer> noStop,
            ObjectNode r)
            throws Exception {
        int[] system = BenchCommand.repeatTo(transcript, 1000);
        int[] first = BenchCommand.concat(system, new int[] {transcript[3], transcript[5], transcript[7]});
        int[] second = BenchCommand.concat(system, new int[] {transcript[11], transcript[13]});
        model.prefixCache().clear();
        SessionOptions cached = SessionOptions.builder()
                .threads(options.threads())
                .maxContext(options.maxContext())
                .kvType(options.kvType())
                .usePrefixCache(true)
                .build();
        CountDownLatch decoding = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            long[] coldTtft = new long[1];
            Future<?> a = pool.submit(() -> {
                try (Session s = scheduler.newSession(cached)) {
                    long t0 = System.nanoTime();
                    s.append(first);
                    int[] n = {0};
                    s.generate(
                            GenerationRequest.builder()
                                    .maxTokens(genTokens)
                                    .stopTokens(noStop)
                                    .build(),
                            (token, lp) -> {
                                if (n[0]++ == 0) coldTtft[0] = System.nanoTime() - t0;
                                if (n[0] == 4) decoding.countDown();
                            });
                }
                return null;
            });
            decoding.await();
            long warm;
            try (Session s = scheduler.newSession(cached)) {
                long t0 = System.nanoTime();
                s.append(second);
                s.generate(
                        GenerationRequest.builder()
                                .maxTokens(1)
                                .stopTokens(noStop)
                                .build(),
                        TokenListener.none());
                warm = System.nanoTime() - t0;
            }
            a.get();
            r.put("shared_prefix_tokens", system.length);
            r.put("shared_prefix_cold_ttft_ms", round(coldTtft[0] / 1e6));
            r.put("shared_prefix_second_ttft_ms", round(warm / 1e6));
            r.put("shared_prefix_ttft_fraction", round((double) warm / coldTtft[0]));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Distinct prompts: the transcript from different offsets, so no stream shares a prefix with another. */
    static int[][] prompts(int[] transcript, int streams, int length) {
        int[][] out = new int[streams][];
        for (int i = 0; i < streams; i++) {
            int[] rotated = new int[transcript.length];
            for (int j = 0; j < rotated.length; j++) rotated[j] = transcript[(j + 37 * i + 1) % transcript.length];
            out[i] = BenchCommand.repeatTo(rotated, length);
        }
        return out;
    }

    static List<Stream> together(
            Scheduler scheduler, SessionOptions options, int[][] prompts, int genTokens, Set<Integer> noStop)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(prompts.length);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Stream>> futures = new ArrayList<>();
            for (int[] prompt : prompts) {
                futures.add(pool.submit(() -> {
                    go.await();
                    try (Session s = scheduler.newSession(options)) {
                        long start = System.nanoTime();
                        long[] times = new long[genTokens];
                        int[] n = {0};
                        s.append(prompt);
                        s.generate(
                                GenerationRequest.builder()
                                        .maxTokens(genTokens)
                                        .stopTokens(noStop)
                                        .build(),
                                (token, lp) -> times[n[0]++] = System.nanoTime());
                        return new Stream(start, Arrays.copyOf(times, n[0]));
                    }
                }));
            }
            go.countDown();
            List<Stream> out = new ArrayList<>();
            for (Future<Stream> f : futures) out.add(f.get());
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
