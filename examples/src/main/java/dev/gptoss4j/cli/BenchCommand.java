package dev.gptoss4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.engine.GenerationRequest;
import dev.gptoss4j.engine.GenerationResult;
import dev.gptoss4j.engine.GptOss;
import dev.gptoss4j.engine.Session;
import dev.gptoss4j.engine.SessionOptions;
import dev.gptoss4j.engine.TokenListener;
import dev.gptoss4j.engine.harmony.Channel;
import dev.gptoss4j.engine.kernels.KernelChoice;
import dev.gptoss4j.engine.kernels.KvType;
import dev.gptoss4j.engine.tokenizer.SpecialTokens;
import dev.gptoss4j.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gptoss bench}: prefill and decode speed, time to first token, the second agent turn on a fresh session
 * served by the prefix cache, the speculative speed-up on an agent-like transcript, peak memory, and the
 * machine's measured memory bandwidth with the decode ceiling it implies.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure a model's prefill and decode speed, time to first token, prefix reuse on a second "
                + "turn, speculative decoding, peak memory and the machine's bandwidth ceiling.")
final class BenchCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ModelOption model = new ModelOption();

    @Option(
            names = "--prompt-tokens",
            paramLabel = "N",
            defaultValue = "512",
            description = "Prompt length (default ${DEFAULT-VALUE}).")
    int promptTokens;

    @Option(
            names = "--gen-tokens",
            paramLabel = "N",
            defaultValue = "64",
            description = "Tokens to decode (default ${DEFAULT-VALUE}).")
    int genTokens;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: the physical cores).")
    int threads;

    @Option(
            names = "--draft-tokens",
            paramLabel = "N",
            defaultValue = "8",
            description = "Most drafted tokens per speculative step (default ${DEFAULT-VALUE}).")
    int draftTokens;

    @Option(
            names = "--batch",
            paramLabel = "N",
            defaultValue = "256",
            description = "Tokens per forward pass when prefilling (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(
            names = "--repeat",
            paramLabel = "N",
            defaultValue = "1",
            description = "Repeat each measurement, keep the best (default 1).")
    int repeat;

    @Option(
            names = "--bandwidth-mb",
            paramLabel = "MIB",
            defaultValue = "1024",
            description = "Buffer read to measure memory bandwidth, in MiB (default ${DEFAULT-VALUE}).")
    int bandwidthMb;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(
            names = "--tune-kernels",
            description = "Measure the kernels at each vector width this CPU offers (one JVM each, then the fastest "
                    + "with its other register tiling), keep the fastest for this CPU in "
                    + "$GPTOSS_HOME/kernels.properties (default ~/.gptoss; a narrower width or the other tiling must "
                    + "score 5% above the usual choice), and print the figures. No model needed. Without it, the "
                    + "first local run on a CPU with 512-bit vectors measures once by itself (GPTOSS_TUNE_KERNELS=0 "
                    + "skips that).")
    boolean tuneKernels;

    @Option(
            names = "--prefill-decode-only",
            description = "Measure prefill and decode only: skip the second agent turn and speculative decoding.")
    boolean prefillDecodeOnly;

    @Option(
            names = "--concurrency",
            paramLabel = "N",
            description = "Measure N streams at once through one scheduler instead: aggregate tokens/s, time to "
                    + "first token and inter-token latency per stream, one stream alone, a shared 1,000-token prefix.")
    int concurrency;

    @Option(
            names = "--kv-type",
            paramLabel = "TYPE",
            description = "Key/value cache numbers: f32, bf16 or f16 (default: f32 where the context's cache fits "
                    + "in a quarter of RAM, else f16).")
    String kvType;

    @Option(
            names = "--depth",
            paramLabel = "N",
            split = ",",
            description = "Measure at a depth instead, as llama-bench -d does: fill N tokens of context first (a "
                    + "prefill of N tokens, not timed), then time a prefill of --prompt-tokens and, from depth N "
                    + "again, a decode of --gen-tokens. Repeatable or a comma list (e.g. 0,4096,16384).")
    List<Integer> depths;

    @Override
    public Integer call() throws Exception {
        if (tuneKernels) return KernelTuning.run(spec.commandLine().getOut(), json, CliEnvironment.of(spec));
        if (promptTokens < 2 || genTokens < 1 || repeat < 1 || batch < 1 || bandwidthMb < 1 || draftTokens < 0) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--prompt-tokens must be >= 2; --gen-tokens, "
                            + "--repeat, --batch and --bandwidth-mb >= 1; --draft-tokens >= 0");
        }
        if (concurrency < 0) throw new CommandLine.ParameterException(spec.commandLine(), "--concurrency must be >= 1");
        if (depths != null) {
            if (concurrency > 0) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--depth and --concurrency measure different things: give one");
            }
            for (int d : depths) {
                if (d < 0) throw new CommandLine.ParameterException(spec.commandLine(), "--depth must be >= 0");
            }
        }
        KvType cacheType = kvType == null ? null : KvType.parse(kvType);
        ObjectNode r = new ObjectMapper().createObjectNode();
        Path weights = model.resolve(spec);
        // after resolve: that may measure the kernels' width, which the first use of KernelChoice fixes
        int workers = threads > 0 ? threads : KernelChoice.physicalCores();
        r.put("model", weights.toString());
        r.put("threads", workers);
        r.put("batch", batch);
        r.put("cores", Runtime.getRuntime().availableProcessors());
        r.put("physical_cores", KernelChoice.physicalCores());
        r.put("simd_bits", FloatVector.SPECIES_PREFERRED.vectorBitSize());
        r.put("vector_bits", KernelChoice.vectorBits());
        r.put("species", KernelChoice.species());
        r.put("tiling", KernelChoice.tiling());
        r.put("kernel_choice", KernelChoice.reason());
        r.put("cpu", cpuName());
        // measured after the model, so its buffer does not count in the peak resident memory
        double bandwidth;

        Phases phases = new Phases(spec.commandLine().getErr());
        long loadStart = System.nanoTime();
        double peakRss;
        try (GptOss m = GptOss.load(weights)) {
            peakRss = 0;
            r.put("load_ms", round(ms(System.nanoTime() - loadStart)));
            long bytesPerToken = m.weightBytesPerToken();
            r.put("bytes_per_token_mb", round(bytesPerToken / 1e6));
            int vocab = m.config().vocabSize();
            int[] transcript = agentTranscript(vocab);
            int[] prompt = repeatTo(transcript, promptTokens);
            Set<Integer> noStop = Set.of(vocab); // never sampled: decode exactly genTokens
            SessionOptions plain = SessionOptions.builder()
                    .threads(workers)
                    .batchSize(batch)
                    .maxContext(
                            Math.min(m.config().maxContext(), promptTokens + 2 * genTokens + transcript.length + 256))
                    .kvType(cacheType)
                    .usePrefixCache(false)
                    .build();
            if (concurrency > 0) {
                ConcurrencyBench.run(
                        m,
                        concurrency,
                        workers,
                        SessionOptions.builder()
                                .threads(workers)
                                .maxContext(Math.min(
                                        m.config().maxContext(), Math.max(promptTokens, 1100) + genTokens + 16))
                                .kvType(cacheType)
                                .usePrefixCache(false)
                                .build(),
                        transcript,
                        promptTokens,
                        genTokens,
                        repeat,
                        r);
                r.put("load_average", loadAverage());
                print(r);
                return 0;
            }
            if (depths != null) {
                DepthBench.run(m, depths, prompt, transcript, genTokens, repeat, workers, batch, cacheType, phases, r);
                r.put("peak_rss_mb", round(peakRssMb()));
                r.put("load_average", loadAverage());
                print(r);
                return 0;
            }
            try (Session s = m.newSession(plain)) {
                r.put("kv_type", s.kvType().toString());
            }

            // warm-up: compile the kernels before anything is timed
            phases.start("warming up (compiling the kernels)");
            try (Session s = m.newSession(plain)) {
                s.prefill(Arrays.copyOf(prompt, Math.min(prompt.length, 96)));
                s.generate(
                        GenerationRequest.builder()
                                .maxTokens(4)
                                .stopTokens(noStop)
                                .build(),
                        TokenListener.none());
                s.generate(
                        GenerationRequest.builder()
                                .maxTokens(8)
                                .draftTokens(draftTokens)
                                .stopTokens(noStop)
                                .build(),
                        TokenListener.none());
            }

            double bestPrefill = 0, bestDecode = 0, bestTtft = Double.MAX_VALUE;
            for (int i = 0; i < repeat; i++) {
                phases.start("prefill " + prompt.length + " tokens, decode " + genTokens + phases.round(i, repeat));
                try (Session s = m.newSession(plain)) {
                    long t0 = System.nanoTime();
                    s.prefill(prompt);
                    long t1 = System.nanoTime();
                    int[] first = {-1};
                    long[] firstAt = {0};
                    s.generate(
                            GenerationRequest.builder()
                                    .maxTokens(genTokens)
                                    .stopTokens(noStop)
                                    .build(),
                            (token, logprob) -> {
                                if (firstAt[0] == 0) firstAt[0] = System.nanoTime();
                            });
                    long t2 = System.nanoTime();
                    bestPrefill = Math.max(bestPrefill, prompt.length / sec(t1 - t0));
                    bestTtft = Math.min(bestTtft, ms(firstAt[0] - t0));
                    // the first generated token's logits came with the prefill: decode speed counts the rest
                    if (genTokens > 1) bestDecode = Math.max(bestDecode, (genTokens - 1) / sec(t2 - firstAt[0]));
                }
            }
            r.put("prompt_tokens", prompt.length);
            r.put("gen_tokens", genTokens);
            r.put("prefill_tokens_per_s", round(bestPrefill));
            r.put("decode_tokens_per_s", round(bestDecode));
            r.put("ttft_ms", round(bestTtft));

            if (!prefillDecodeOnly) {
                // second agent turn on a fresh session: the first turn is published to the model's prefix cache
                SessionOptions cached = SessionOptions.builder()
                        .threads(workers)
                        .batchSize(batch)
                        .maxContext(plain.maxContext())
                        .kvType(cacheType)
                        .build();
                int[] toolResult =
                        repeatTo(Arrays.copyOfRange(transcript, transcript.length / 2, transcript.length), 48);
                double bestSecond = Double.MAX_VALUE;
                for (int i = 0; i < repeat; i++) {
                    phases.start("second agent turn from the prefix cache" + phases.round(i, repeat));
                    m.prefixCache().clear();
                    int[] turn1;
                    try (Session s = m.newSession(cached)) {
                        s.prefill(prompt);
                        s.generate(
                                GenerationRequest.builder()
                                        .maxTokens(Math.min(genTokens, 16))
                                        .stopTokens(noStop)
                                        .build(),
                                TokenListener.none());
                        turn1 = s.tokens();
                    }
                    int[] turn2 = concat(turn1, toolResult);
                    try (Session s = m.newSession(cached)) {
                        long t0 = System.nanoTime();
                        s.append(turn2);
                        s.generate(
                                GenerationRequest.builder()
                                        .maxTokens(1)
                                        .stopTokens(noStop)
                                        .build(),
                                TokenListener.none());
                        bestSecond = Math.min(bestSecond, ms(System.nanoTime() - t0));
                    }
                }
                r.put("second_turn_new_tokens", toolResult.length);
                r.put("second_turn_ttft_ms", round(bestSecond));
                r.put("second_turn_ttft_fraction", round(bestSecond / bestTtft));

                // speculative decoding on the agent-like transcript: same tokens, fewer sequential passes
                int[] agentPrompt =
                        Arrays.copyOf(transcript, Math.min(transcript.length, plain.maxContext() - genTokens - 1));
                double bestPlain = 0, bestSpec = 0;
                boolean identical = true;
                Session.SpeculationStats stats = null;
                for (int i = 0; i < repeat; i++) {
                    phases.start("plain and speculative decoding" + phases.round(i, repeat));
                    GenerationResult a, b;
                    long t0, t1;
                    try (Session s = m.newSession(plain)) {
                        s.prefill(agentPrompt);
                        t0 = System.nanoTime();
                        a = s.generate(
                                GenerationRequest.builder()
                                        .maxTokens(genTokens)
                                        .stopTokens(noStop)
                                        .build(),
                                TokenListener.none());
                        t1 = System.nanoTime();
                    }
                    bestPlain = Math.max(bestPlain, genTokens / sec(t1 - t0));
                    try (Session s = m.newSession(plain)) {
                        s.prefill(agentPrompt);
                        t0 = System.nanoTime();
                        b = s.generate(
                                GenerationRequest.builder()
                                        .maxTokens(genTokens)
                                        .draftTokens(draftTokens)
                                        .stopTokens(noStop)
                                        .build(),
                                TokenListener.none());
                        t1 = System.nanoTime();
                        stats = s.lastSpeculation();
                    }
                    bestSpec = Math.max(bestSpec, genTokens / sec(t1 - t0));
                    identical &= Arrays.equals(a.tokens(), b.tokens());
                }
                r.put("agent_prompt_tokens", agentPrompt.length);
                r.put("agent_plain_decode_tokens_per_s", round(bestPlain));
                r.put("speculative_decode_tokens_per_s", round(bestSpec));
                r.put("speculative_speedup", round(bestSpec / bestPlain));
                r.put("speculative_acceptance_rate", round(stats.acceptanceRate()));
                r.put(
                        "speculative_tokens_per_pass",
                        round((double) genTokens / Math.max(1, genTokens - stats.accepted())));
                r.put("speculative_identical_output", identical);
            }
            peakRss = peakRssMb();
            phases.start("memory bandwidth (" + bandwidthMb + " MiB)");
            bandwidth = measureBandwidth(workers, (long) bandwidthMb << 20);
            r.put("bandwidth_gb_s", round(bandwidth / 1e9));
            r.put("decode_ceiling_tokens_per_s", round(bandwidth / bytesPerToken));
            r.put("decode_fraction_of_ceiling", round(bestDecode / (bandwidth / bytesPerToken)));
        }
        r.put("peak_rss_mb", round(peakRss));
        r.put("load_average", loadAverage());
        print(r);
        return 0;
    }

    private void print(ObjectNode r) throws IOException {
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(r));
        } else {
            r.properties().forEach(e -> {
                if (e.getValue().isArray()) {
                    for (var item : e.getValue()) out.printf("%-34s %s%n", e.getKey(), item);
                } else {
                    out.printf("%-34s %s%n", e.getKey(), e.getValue().asText());
                }
            });
        }
        out.flush();
    }

    /**
     * An agent-like harmony transcript: system and developer messages with a tool, a user request, tool calls
     * whose JSON arguments and results repeat names and paths, as coding agents' transcripts do. Ids beyond a
     * small model's vocabulary wrap around.
     */
    static int[] agentTranscript(int vocab) {
        Tokenizer tok = Tokenizer.o200kHarmony();
        List<Integer> ids = new ArrayList<>();
        message(
                tok,
                ids,
                "system",
                null,
                "You are ChatGPT, a large language model trained by OpenAI.\n"
                        + "Knowledge cutoff: 2024-06\nCurrent date: 2025-08-05\n\nReasoning: low\n\n"
                        + "# Valid channels: analysis, commentary, final. Channel must be included for every message.");
        message(
                tok,
                ids,
                "developer",
                null,
                "# Instructions\n\nYou are a coding agent. Use the tools.\n\n# Tools\n\n"
                        + "## functions\n\nnamespace functions {\n\n// Reads a file of the repository.\n"
                        + "type read_file = (_: {\n// Path relative to the repository root.\npath: string,\n}) => any;\n\n"
                        + "// Lists a directory.\ntype list_dir = (_: {\npath: string,\n}) => any;\n\n} // namespace functions");
        message(tok, ids, "user", null, "Find where the session cache is sized and explain how rewinding works.");
        String[] files = {
            "engine/src/main/java/dev/gptoss4j/engine/Session.java",
            "engine/src/main/java/dev/gptoss4j/engine/kernels/KvBuffer.java",
            "engine/src/main/java/dev/gptoss4j/engine/SessionOptions.java"
        };
        message(
                tok,
                ids,
                "assistant",
                Channel.ANALYSIS,
                "I should list the engine directory first, then read the files.");
        call(tok, ids, "list_dir", "{\"path\":\"engine/src/main/java/dev/gptoss4j/engine\"}");
        StringBuilder listing = new StringBuilder("{\"entries\":[");
        for (String f : files) listing.append("\"").append(f).append("\",");
        listing.append("\"engine/src/main/java/dev/gptoss4j/engine/Transformer.java\"]}");
        result(tok, ids, "list_dir", listing.toString());
        for (String f : files) {
            call(tok, ids, "read_file", "{\"path\":\"" + f + "\"}");
            result(
                    tok,
                    ids,
                    "read_file",
                    "{\"path\":\"" + f + "\",\"content\":\"public final class "
                            + f.substring(f.lastIndexOf('/') + 1, f.length() - 5)
                            + " {\\n    private final int maxContext;\\n"
                            + "    private final int rewindSlack;\\n    public void rewind(int n) {\\n        if (n < 0 || n > length)"
                            + " throw new IllegalArgumentException(\\\"cannot rewind\\\");\\n    }\\n}\"}");
        }
        message(
                tok,
                ids,
                "assistant",
                Channel.ANALYSIS,
                "The session reads maxContext and rewindSlack from SessionOptions; "
                        + "rewind(int n) checks n against length. Let me read the file again to quote it.");
        call(tok, ids, "read_file", "{\"path\":\"" + files[0] + "\"}");
        int[] out = new int[ids.size()];
        for (int i = 0; i < out.length; i++) out[i] = Math.floorMod(ids.get(i), vocab);
        return out;
    }

    private static void message(Tokenizer tok, List<Integer> ids, String role, String channel, String text) {
        ids.add(SpecialTokens.START);
        add(ids, tok.encode(role));
        if (channel != null) {
            ids.add(SpecialTokens.CHANNEL);
            add(ids, tok.encode(channel));
        }
        ids.add(SpecialTokens.MESSAGE);
        add(ids, tok.encode(text));
        ids.add(SpecialTokens.END);
    }

    private static void call(Tokenizer tok, List<Integer> ids, String function, String args) {
        ids.add(SpecialTokens.START);
        add(ids, tok.encode("assistant"));
        ids.add(SpecialTokens.CHANNEL);
        add(ids, tok.encode("commentary to=functions." + function + " "));
        ids.add(SpecialTokens.CONSTRAIN);
        add(ids, tok.encode("json"));
        ids.add(SpecialTokens.MESSAGE);
        add(ids, tok.encode(args));
        ids.add(SpecialTokens.CALL);
    }

    private static void result(Tokenizer tok, List<Integer> ids, String function, String json) {
        ids.add(SpecialTokens.START);
        add(ids, tok.encode("functions." + function + " to=assistant"));
        ids.add(SpecialTokens.CHANNEL);
        add(ids, tok.encode(Channel.COMMENTARY));
        ids.add(SpecialTokens.MESSAGE);
        add(ids, tok.encode(json));
        ids.add(SpecialTokens.END);
    }

    private static void add(List<Integer> ids, int[] tokens) {
        for (int t : tokens) ids.add(t);
    }

    static int[] repeatTo(int[] tokens, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = tokens[i % tokens.length];
        return out;
    }

    static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Read bandwidth in bytes/s: {@code workers} threads sum their shares of a buffer, best of five passes. */
    static double measureBandwidth(int workers, long bytes) throws InterruptedException {
        long size = Math.max(1L << 20, bytes / (workers << 20) * (workers << 20));
        try (Arena arena = Arena.ofShared()) {
            MemorySegment seg = arena.allocate(size, 64);
            seg.fill((byte) 1);
            double best = 0;
            float[] sink = new float[workers];
            for (int pass = 0; pass < 5; pass++) {
                Thread[] threads = new Thread[workers];
                long t0 = System.nanoTime();
                for (int w = 0; w < workers; w++) {
                    int worker = w;
                    threads[w] = Thread.ofPlatform().start(() -> {
                        long share = size / workers;
                        float s = 0;
                        for (long o = worker * share; o < (worker + 1) * share; o += 1 << 20) s += sum(seg, o, 1 << 20);
                        sink[worker] = s;
                    });
                }
                for (Thread t : threads) t.join();
                best = Math.max(best, size / sec(System.nanoTime() - t0));
            }
            return sink[0] == 42f ? best + 1 : best;
        }
    }

    private static float sum(MemorySegment seg, long from, int bytes) {
        VectorSpecies<Float> fs = FloatVector.SPECIES_PREFERRED;
        FloatVector a0 = FloatVector.zero(fs), a1 = a0, a2 = a0, a3 = a0;
        int step = fs.vectorByteSize();
        for (int o = 0; o < bytes; o += 4 * step) {
            a0 = a0.add(FloatVector.fromMemorySegment(fs, seg, from + o, ByteOrder.LITTLE_ENDIAN));
            a1 = a1.add(FloatVector.fromMemorySegment(fs, seg, from + o + step, ByteOrder.LITTLE_ENDIAN));
            a2 = a2.add(FloatVector.fromMemorySegment(fs, seg, from + o + 2 * step, ByteOrder.LITTLE_ENDIAN));
            a3 = a3.add(FloatVector.fromMemorySegment(fs, seg, from + o + 3 * step, ByteOrder.LITTLE_ENDIAN));
        }
        return a0.add(a1).add(a2).add(a3).lane(0);
    }

    static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        Runtime rt = Runtime.getRuntime();
        return (rt.totalMemory() - rt.freeMemory()) / 1048576.0;
    }

    private static String cpuName() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name"))
                    return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    static double sec(long nanos) {
        return nanos / 1e9;
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /**
     * What bench is doing, one line per phase on stderr with the time the previous one took, so minutes of
     * measuring are not minutes of silence; stdout keeps only the results.
     */
    static final class Phases {
        private final java.io.PrintWriter err;
        private long since;

        Phases(java.io.PrintWriter err) {
            this.err = err;
        }

        void start(String what) {
            long now = System.nanoTime();
            String took = since == 0
                    ? ""
                    : String.format(java.util.Locale.ROOT, " (previous step %.1f s)", (now - since) / 1e9);
            since = now;
            err.println("gptoss bench: " + what + "..." + took);
            err.flush();
        }

        String round(int i, int of) {
            return of == 1 ? "" : ", round " + (i + 1) + " of " + of;
        }
    }
}
