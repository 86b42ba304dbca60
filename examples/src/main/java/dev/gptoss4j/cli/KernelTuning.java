package dev.gptoss4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.engine.kernels.KernelChoice;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * {@code gptoss bench --tune-kernels}: the kernels' width is fixed per JVM (the JIT compiles one species), so each
 * candidate width runs {@code KernelProbe} in a child JVM with this one's flags. The width with the best geometric
 * mean of its decode (MXFP4 and bf16 matrix-vector) and prefill (MXFP4 matrix-matrix) rates is kept for this CPU,
 * and later runs start with it (a forced width still wins).
 */
final class KernelTuning {

    private KernelTuning() {}

    static int run(PrintWriter out, boolean json) throws IOException, InterruptedException {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode rows = mapper.createArrayNode();
        int best = 0;
        double bestScore = 0;
        for (int bits : new int[] {512, 256, 128}) {
            if (bits > KernelChoice.preferredBits()) continue;
            JsonNode r = probe(mapper, bits);
            double score = Math.cbrt(r.path("mxfp4_matvec_gb_s").asDouble()
                    * r.path("bf16_matvec_gb_s").asDouble()
                    * r.path("mxfp4_matmul16_gflop_s").asDouble());
            ((ObjectNode) r).put("score", Math.round(score * 100) / 100.0);
            rows.add(r);
            if (score > bestScore) {
                bestScore = score;
                best = bits;
            }
        }
        if (best == 0) throw new IllegalStateException("no vector width of 128 bits or more to tune on this CPU");
        Path file = KernelChoice.tunedChoices();
        Properties props = new Properties();
        if (Files.exists(file)) {
            try (var in = Files.newInputStream(file)) {
                props.load(in);
            }
        }
        props.setProperty(KernelChoice.machineKey(), Integer.toString(best));
        Files.createDirectories(file.getParent());
        try (var w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(w, "vector widths measured by gptoss bench --tune-kernels");
        }
        ObjectNode r = mapper.createObjectNode();
        r.put("cpu", KernelChoice.machineKey());
        r.set("widths", rows);
        r.put("chosen_bits", best);
        r.put("saved_to", file.toString());
        if (json) {
            out.println(mapper.writeValueAsString(r));
        } else {
            for (JsonNode row : rows) out.println(row);
            out.printf("chosen: %d bits for %s (saved to %s)%n", best, KernelChoice.machineKey(), file);
        }
        out.flush();
        return 0;
    }

    /** One child JVM at {@code bits}: this JVM's binary, flags and class path, the probe's one JSON line. */
    private static JsonNode probe(ObjectMapper mapper, int bits) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-D" + KernelChoice.PROPERTY + "=")) cmd.add(arg);
        }
        cmd.add("-D" + KernelChoice.PROPERTY + "=" + bits);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.gptoss4j.engine.kernels.KernelProbe");
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0)
            throw new IOException("kernel probe at " + bits + " bits failed (exit " + p.exitValue() + ")");
        String line = text.lines()
                .filter(l -> l.startsWith("{"))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new IOException("kernel probe at " + bits + " bits printed no result"));
        return mapper.readTree(line);
    }
}
