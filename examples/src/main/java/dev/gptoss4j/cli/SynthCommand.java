package dev.gptoss4j.cli;

import dev.gptoss4j.engine.synth.GgufType;
import dev.gptoss4j.engine.synth.GgufWriter;
import dev.gptoss4j.engine.synth.SynthConfig;
import dev.gptoss4j.engine.synth.SynthGguf;
import dev.gptoss4j.engine.synth.SynthHf;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gptoss synth}: writes a random-weight gpt-oss model with the real shapes, so nothing is downloaded. */
@Command(
        name = "synth",
        mixinStandardHelpOptions = true,
        description = {
            "Write a random-weight gpt-oss model with the real shapes and layouts: a GGUF file llama.cpp loads, "
                    + "or a Hugging Face directory transformers loads. Same seed, same bytes.",
            "Examples:",
            "  gptoss synth --config tiny --out tiny.gguf",
            "  gptoss synth --config 20b --layers 4 --out /tmp/gpt-oss-20b-4l.gguf",
            "  gptoss synth --config 20b --format hf --out /tmp/gpt-oss-20b-hf"
        })
final class SynthCommand implements Callable<Integer> {

    enum Format {
        gguf,
        hf
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--config",
            required = true,
            paramLabel = "20b|120b|tiny|FILE.json",
            description = "A preset, or a Hugging Face style config.json of a gpt-oss model.")
    String config;

    @Option(
            names = "--format",
            defaultValue = "gguf",
            paramLabel = "gguf|hf",
            description =
                    "gguf: one file as llama.cpp's converter writes it; hf: a transformers checkpoint directory. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "0",
            description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "PATH",
            description = "Output file (gguf) or directory (hf).")
    Path out;

    @Option(
            names = "--layers",
            paramLabel = "N",
            description = "Keep only the first N layers (e.g. a 20b-shaped model cut to 4 layers).")
    Integer layers;

    @Option(
            names = "--dtype",
            defaultValue = "bf16",
            paramLabel = "f32|f16|bf16|q8_0",
            description =
                    "GGUF type of the attention, embedding and output matrices (experts are always MXFP4). Default: ${DEFAULT-VALUE}.")
    String dtype;

    @Option(
            names = "--shard-size",
            defaultValue = "5GB",
            paramLabel = "SIZE",
            description = "hf: largest safetensors shard, e.g. 5GB, 500MB. Default: ${DEFAULT-VALUE}.")
    String shardSize;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Threads producing the random data. Default: all cores.")
    Integer threads;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outText = spec.commandLine().getOut();
        SynthConfig c = SynthConfig.resolve(config);
        if (layers != null) c = c.withLayers(layers);
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (n < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + n);
        if (format == Format.hf && !"bf16".equalsIgnoreCase(dtype)) {
            throw new IllegalArgumentException(
                    "--dtype applies to --format gguf only; the hf layout is bf16 like the real checkpoint");
        }

        long start = System.nanoTime();
        List<Path> files;
        if (format == Format.gguf) {
            GgufType type = GgufType.ofDtype(dtype);
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new IllegalArgumentException("--out " + out + ": directory " + parent + " does not exist");
            }
            if (Files.isDirectory(out))
                throw new IllegalArgumentException("--out " + out + " is a directory; give a .gguf file name");
            GgufWriter writer = SynthGguf.writer(c, seed, type);
            long total = writer.fileSize();
            err.printf(
                    Locale.ROOT,
                    "writing %s (%s, %d layers, non-expert %s, seed %d): %s to %s%n",
                    c.name(),
                    "gguf",
                    c.layers(),
                    dtype.toLowerCase(Locale.ROOT),
                    seed,
                    gb(total),
                    out);
            writer.write(out, n, progress(err, total));
            files = List.of(out);
        } else {
            long shard = parseSize(shardSize);
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new IllegalArgumentException("--out " + out + " is a file; --format hf writes a directory");
            }
            err.printf(Locale.ROOT, "writing %s (hf, %d layers, seed %d) to %s%n", c.name(), c.layers(), seed, out);
            files = SynthHf.write(c, seed, out, shard, n, progress(err, -1));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long bytes = 0;
        for (Path f : files) bytes += size(f);
        for (Path f : files) outText.println(f);
        err.printf(Locale.ROOT, "done: %s in %.1f s (%.0f MB/s)%n", gb(bytes), seconds, bytes / 1e6 / seconds);
        return 0;
    }

    /** Prints a line every 5% (or every GB when the total is unknown). */
    private static LongConsumer progress(PrintWriter err, long total) {
        AtomicLong done = new AtomicLong();
        AtomicLong lastMark = new AtomicLong();
        long step = total > 0 ? Math.max(total / 20, 1) : 1_000_000_000L;
        return bytes -> {
            long d = done.addAndGet(bytes);
            long mark = d / step;
            if (mark > lastMark.get() && d > 64L << 20) {
                lastMark.set(mark);
                if (total > 0) err.printf(Locale.ROOT, "  %3d%%  %s%n", d * 100 / total, gb(d));
                else err.printf(Locale.ROOT, "  %s%n", gb(d));
                err.flush();
            }
        };
    }

    static long parseSize(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        for (String[] u : new String[][] {{"GB", "1000000000"}, {"MB", "1000000"}, {"KB", "1000"}, {"B", "1"}}) {
            if (s.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                s = s.substring(0, s.length() - u[0].length()).trim();
                break;
            }
        }
        try {
            long v = (long) (Double.parseDouble(s) * unit);
            if (v <= 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--shard-size " + text + ": expected a positive size such as 5GB or 500MB");
        }
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static String gb(long bytes) {
        return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
    }
}
