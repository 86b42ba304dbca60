package dev.gptoss4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.engine.kernels.KernelChoice;
import dev.gptoss4j.engine.kernels.MeasuredWidths;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Measures which vector width runs the kernels fastest on this CPU and keeps it ({@link MeasuredWidths}), so that
 * the width is chosen by measurement, not by the widest vector alone (a CPU that splits 512-bit operations in two
 * may run 256 bits faster). The width is fixed per JVM (the JIT compiles one species), so each candidate runs
 * {@code KernelProbe} in a child JVM with this one's flags; the score is the geometric mean of its decode (MXFP4 and
 * bf16 matrix-vector) and prefill (MXFP4 matrix-matrix) rates. A narrower width replaces the widest only when it
 * scores {@link #MARGIN} better, so that measurement noise does not trade a real advantage away. The chosen width
 * then runs once more with the other register tiling (4 rows by 2 or by 4 tokens), which replaces the usual one
 * (by register count) on the same terms, judged by the matrix-matrix rate alone.
 *
 * <p>{@code gptoss bench --tune-kernels} measures every width on demand; otherwise the first command that loads a
 * model locally on a CPU with 512-bit vectors measures 512 against 256 bits, and the faster one's other tiling, once
 * ({@link #firstRun}).
 */
final class KernelTuning {

    /** Environment variable: 0, false, no or off skips the first-run measurement (the widest width is used). */
    static final String SKIP_ENV = "GPTOSS_TUNE_KERNELS";
    /** System property with the same meaning (tests set it, so that loading a model does not start child JVMs). */
    static final String SKIP_PROPERTY = "gptoss.tuneKernels";
    /** How much faster a narrower width (or the other tiling) must score to replace the usual choice. */
    static final double MARGIN = 1.05;

    private static final Set<String> OFF = Set.of("0", "false", "no", "off");
    private static final long TUNE_MILLIS = 400;
    private static final long FIRST_RUN_MILLIS = 150;
    /** A probe's start-up and warm-up allowance; its timed kernels add about {@code millis / 100} seconds. */
    private static final long PROBE_TIMEOUT_SECONDS = 60;

    private KernelTuning() {}

    /** One width's rates from its probe, and their score. */
    record Width(int bits, ObjectNode rates, double score) {

        /** Tokens per register tile the probe ran with. */
        int tile() {
            return rates.path("tile_tokens").asInt();
        }

        /** The matrix-matrix rate, the only one the tiling touches. */
        double matmulRate() {
            return rates.path("mxfp4_matmul16_gflop_s").asDouble();
        }
    }

    /** {@code gptoss bench --tune-kernels}: measures every width this JVM offers and keeps the fastest. */
    static int run(PrintWriter out, boolean json, CliEnvironment env) throws IOException, InterruptedException {
        return run(out, json, env, TUNE_MILLIS);
    }

    /** {@link #run(PrintWriter, boolean, CliEnvironment)} with each kernel timed for about {@code millis}. */
    static int run(PrintWriter out, boolean json, CliEnvironment env, long millis)
            throws IOException, InterruptedException {
        List<Integer> candidates = new ArrayList<>();
        for (int bits : new int[] {512, 256, 128}) if (bits <= MeasuredWidths.preferredBits()) candidates.add(bits);
        if (candidates.isEmpty())
            throw new CommandRefused("no vector width of 128 bits or more to measure on this CPU with these flags");
        List<Width> widths = measure(candidates, millis);
        Width best = choose(widths);
        Width other = otherTiling(best, millis);
        int tile = chooseTile(best, other);
        Path file = file(env);
        String key = MeasuredWidths.machineKey();
        MeasuredWidths.save(file, key, best.bits(), tile);
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode rows = mapper.createArrayNode();
        widths.forEach(w -> rows.add(w.rates()));
        rows.add(other.rates());
        if (json) {
            ObjectNode r = mapper.createObjectNode();
            r.put("cpu", key);
            r.set("widths", rows);
            r.put("chosen_bits", best.bits());
            r.put("chosen_tile_tokens", tile);
            r.put("margin", MARGIN);
            r.put("saved_to", file.toString());
            out.println(mapper.writeValueAsString(r));
        } else {
            for (JsonNode row : rows) out.println(row);
            out.printf("chosen: %d bits, 4x%d tiles for %s (saved to %s)%n", best.bits(), tile, key, file);
        }
        out.flush();
        return 0;
    }

    /**
     * Before a command loads a model locally: on a CPU with 512-bit vectors whose fastest width was never measured
     * (with these JVM flags), measures 512 against 256 bits, then the faster one's other tiling, once (three child JVMs, about 10 s) and keeps the result for this
     * and every later start. Skipped where the width is forced, where {@link #SKIP_ENV} or {@link #SKIP_PROPERTY}
     * says so, and where this JVM's width is already fixed. A failed measurement leaves the widest width and says
     * why; it never stops the command.
     */
    static void firstRun(CliEnvironment env, PrintWriter err) {
        Path file = file(env);
        String key = MeasuredWidths.machineKey();
        boolean skip = OFF.contains(lower(env.get(SKIP_ENV))) || OFF.contains(lower(System.getProperty(SKIP_PROPERTY)));
        if (!needed(
                skip,
                forced(env),
                MeasuredWidths.preferredBits(),
                MeasuredWidths.widthFixed(),
                MeasuredWidths.read(file, key).bits())) return;
        err.println("gptoss: measuring the vector kernels at 512 and 256 bits, once for this CPU (about 10 s; "
                + SKIP_ENV + "=0 skips it)");
        err.flush();
        List<Width> widths;
        try {
            widths = measure(List.of(512, 256), FIRST_RUN_MILLIS);
        } catch (IOException | RuntimeException e) {
            err.println("gptoss: could not measure the vector kernels (" + e.getMessage()
                    + "); running at the widest width");
            err.flush();
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Width best = choose(widths);
        int tile;
        try {
            tile = chooseTile(best, otherTiling(best, FIRST_RUN_MILLIS));
        } catch (IOException | RuntimeException e) {
            tile = best.tile(); // the width's measurement stands; its usual tiling with it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        MeasuredWidths.useForThisRun(best.bits(), tile);
        StringBuilder scores = new StringBuilder();
        for (Width w : widths) {
            if (!scores.isEmpty()) scores.append(", ");
            scores.append(w.bits()).append(" bits ").append(String.format(Locale.ROOT, "%.1f", w.score()));
        }
        String measured =
                "gptoss: " + best.bits() + " bits, 4x" + tile + " tiles measured fastest (scores " + scores + ")";
        try {
            MeasuredWidths.save(file, key, best.bits(), tile);
            err.println(measured + "; kept in " + file + " (gptoss bench --tune-kernels measures again)");
        } catch (RuntimeException e) {
            err.println(measured + ", used for this run only: " + e.getMessage());
        }
        err.flush();
    }

    /** Whether a first run measures: not skipped or forced, a choice to make, none kept, and still in time. */
    static boolean needed(boolean skip, boolean forced, int preferredBits, boolean widthFixed, int stored) {
        return !skip && !forced && preferredBits >= 512 && !widthFixed && stored == 0;
    }

    /**
     * The widest width (the first), unless another scores at least {@link #MARGIN} times better: then the best
     * scoring one.
     */
    static Width choose(List<Width> widths) {
        Width widest = widths.get(0);
        Width best = widest;
        for (Width w : widths) {
            if (w.score() >= MARGIN * widest.score() && w.score() > best.score()) best = w;
        }
        return best;
    }

    /**
     * The tiling for a width: the usual one (by register count) its measurement ran with, unless {@code other} (the
     * same width, the other tiling) ran the matrix-matrix kernel, the only one a tile touches, {@link #MARGIN} faster.
     */
    static int chooseTile(Width usual, Width other) {
        return other.matmulRate() >= MARGIN * usual.matmulRate() ? other.tile() : usual.tile();
    }

    /** The probe of {@code usual}'s width with the tiling its measurement did not use. */
    private static Width otherTiling(Width usual, long millis) throws IOException, InterruptedException {
        return measure(usual.bits(), usual.tile() == 4 ? 2 : 4, millis);
    }

    /** Runs the probe at each width, in order, each in its own child JVM with the width's usual tiling. */
    static List<Width> measure(List<Integer> candidates, long millis) throws IOException, InterruptedException {
        List<Width> widths = new ArrayList<>();
        for (int bits : candidates) widths.add(measure(bits, 0, millis));
        return widths;
    }

    /** The probe at {@code bits} with {@code tile} tokens per register tile (0: the usual tiling). */
    private static Width measure(int bits, int tile, long millis) throws IOException, InterruptedException {
        ObjectNode r = (ObjectNode) probe(new ObjectMapper(), bits, tile, millis);
        double score = Math.cbrt(r.path("mxfp4_matvec_gb_s").asDouble()
                * r.path("bf16_matvec_gb_s").asDouble()
                * r.path("mxfp4_matmul16_gflop_s").asDouble());
        int tiles = r.path("tile_tokens").asInt();
        if (!(score > 0) || (tiles != 2 && tiles != 4))
            throw new IOException("the kernel probe at " + bits + " bits measured no rate: " + r);
        r.put("score", Math.round(score * 100) / 100.0);
        return new Width(bits, r, score);
    }

    /** One child JVM at {@code bits}: this JVM's binary, flags and class path; the probe's one JSON line. */
    private static JsonNode probe(ObjectMapper mapper, int bits, int tile, long millis)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // the child's width is the candidate's; a debugger agent would clash on its port
            if (!arg.startsWith("-D" + KernelChoice.PROPERTY + "=")
                    && !arg.startsWith("-D" + KernelChoice.TILE_PROPERTY + "=")
                    && !arg.startsWith("-agentlib:jdwp")) cmd.add(arg);
        }
        cmd.add("-D" + KernelChoice.PROPERTY + "=" + bits);
        if (tile != 0) cmd.add("-D" + KernelChoice.TILE_PROPERTY + "=" + tile);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.gptoss4j.engine.kernels.KernelProbe");
        cmd.add(Long.toString(millis));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove(KernelChoice.ENV);
        Process p = pb.start();
        // read in the background so that a probe that never ends cannot hold the command: it is killed
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!p.waitFor(PROBE_TIMEOUT_SECONDS + millis / 100, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("the kernel probe at " + bits + " bits did not finish in time");
        }
        if (p.exitValue() != 0)
            throw new IOException("the kernel probe at " + bits + " bits failed (exit " + p.exitValue() + ")");
        String text;
        try {
            text = stdout.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the kernel probe at " + bits + " bits printed nothing readable", e);
        }
        String line = text.lines()
                .filter(l -> l.startsWith("{"))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new IOException("the kernel probe at " + bits + " bits printed no result"));
        return mapper.readTree(line);
    }

    /** Where the measured widths are kept for this app's environment: {@code $GPTOSS_HOME}, else {@code ~/.gptoss}. */
    static Path file(CliEnvironment env) {
        String home = env.get("GPTOSS_HOME");
        return home != null
                ? MeasuredWidths.file(home)
                : env.home().resolve(".gptoss").resolve(MeasuredWidths.FILE_NAME);
    }

    /** Whether this JVM's width is forced (then nothing is measured): property, environment or scalar switch. */
    private static boolean forced(CliEnvironment env) {
        String p = System.getProperty(KernelChoice.PROPERTY);
        return (p != null && !p.isBlank())
                || env.get(KernelChoice.ENV) != null
                || Boolean.getBoolean("gptoss4j.scalar");
    }

    private static String lower(String s) {
        return s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
    }
}
