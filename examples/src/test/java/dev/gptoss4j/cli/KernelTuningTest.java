package dev.gptoss4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.gptoss4j.cli.KernelTuning.Width;
import dev.gptoss4j.engine.kernels.KernelChoice;
import dev.gptoss4j.engine.kernels.MeasuredWidths;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vector width chosen by measurement: in child JVMs, kept per CPU, on demand and on a first local run. */
class KernelTuningTest {

    private static Width width(int bits, double score) {
        return new Width(bits, JsonNodeFactory.instance.objectNode(), score);
    }

    @Test
    void theWidestStaysUnlessANarrowerOneIsClearlyFaster() {
        assertEquals(
                512,
                KernelTuning.choose(List.of(width(512, 20), width(256, 16))).bits());
        // within the margin: noise, not a reason to give up the widest
        assertEquals(
                512,
                KernelTuning.choose(List.of(width(512, 20), width(256, 20.9))).bits());
        assertEquals(
                256,
                KernelTuning.choose(List.of(width(512, 20), width(256, 21.1))).bits());
        assertEquals(
                128,
                KernelTuning.choose(List.of(width(512, 10), width(256, 11), width(128, 12)))
                        .bits());
        assertEquals(
                256,
                KernelTuning.choose(List.of(width(512, 10), width(256, 13), width(128, 12)))
                        .bits());
    }

    @Test
    void theUsualTilingStaysUnlessTheOtherIsClearlyFaster() {
        assertEquals(4, KernelTuning.chooseTile(probe(512, 4, 60), probe(512, 2, 62)));
        assertEquals(2, KernelTuning.chooseTile(probe(512, 4, 60), probe(512, 2, 64)));
        assertEquals(4, KernelTuning.chooseTile(probe(256, 4, 50), probe(256, 2, 52)));
    }

    private static Width probe(int bits, int tile, double matmul) {
        var rates = JsonNodeFactory.instance.objectNode();
        rates.put("vector_bits", bits);
        rates.put("tile_tokens", tile);
        rates.put("mxfp4_matmul16_gflop_s", matmul);
        return new Width(bits, rates, 1);
    }

    @Test
    void aFirstRunMeasuresOnlyWhenThereIsAChoiceAndNothingDecidedIt() {
        assertTrue(KernelTuning.needed(false, false, 512, false, 0));
        assertFalse(KernelTuning.needed(true, false, 512, false, 0), "skipped by the user");
        assertFalse(KernelTuning.needed(false, true, 512, false, 0), "width forced");
        assertFalse(KernelTuning.needed(false, false, 256, false, 0), "AVX2: nothing wider to compare");
        assertFalse(KernelTuning.needed(false, false, 512, true, 0), "this JVM's width is already fixed");
        assertFalse(KernelTuning.needed(false, false, 512, false, 256), "measured before");
    }

    @Test
    void tuneKernelsMeasuresEachWidthInItsOwnJvmAndKeepsTheChoice(@TempDir Path dir) throws Exception {
        assumeTrue(MeasuredWidths.preferredBits() >= 128, "no vector width to measure on this CPU");
        CliEnvironment env = new CliEnvironment(
                Map.of("GPTOSS_HOME", dir.toString()), dir, "Linux", question -> null, CliEnvironment.Machine.system());
        StringWriter out = new StringWriter();
        assertEquals(0, KernelTuning.run(new PrintWriter(out), true, env, 40));
        JsonNode r = new ObjectMapper().readTree(out.toString());
        Set<Integer> measured = new HashSet<>();
        for (JsonNode w : r.get("widths")) {
            int bits = w.get("vector_bits").asInt();
            measured.add(bits);
            // each probe ran at its own width, whatever this JVM runs
            assertTrue(w.get("species").asText().startsWith("Float" + bits), w.toString());
            assertTrue(w.get("mxfp4_matvec_gb_s").asDouble() > 0, w.toString());
            assertTrue(w.get("score").asDouble() > 0, w.toString());
        }
        assertTrue(measured.contains(Math.min(512, MeasuredWidths.preferredBits())), measured.toString());
        int chosen = r.get("chosen_bits").asInt();
        assertTrue(measured.contains(chosen), chosen + " not among " + measured);
        Path file = dir.resolve(MeasuredWidths.FILE_NAME);
        assertEquals(file.toString(), r.get("saved_to").asText());
        assertEquals(
                chosen, MeasuredWidths.read(file, MeasuredWidths.machineKey()).bits());
        // the chosen width ran with both tilings; the tile kept is one of them
        Set<Integer> tilings = new HashSet<>();
        for (JsonNode w : r.get("widths")) {
            if (w.get("vector_bits").asInt() == chosen)
                tilings.add(w.get("tile_tokens").asInt());
        }
        assertEquals(Set.of(2, 4), tilings);
        int tile = r.get("chosen_tile_tokens").asInt();
        assertTrue(tile == 2 || tile == 4, r.toString());
        assertEquals(
                tile, MeasuredWidths.read(file, MeasuredWidths.machineKey()).tile());
    }

    @Test
    void theFirstLocalRunMeasuresOnceAndLaterRunsUseIt(@TempDir Path dir) throws Exception {
        assumeTrue(MeasuredWidths.preferredBits() >= 512, "a first run measures only where 512-bit vectors exist");
        Path home = dir.resolve("gptoss");
        String[] logits = {
            "logits", "--model", EngineCommandsTest.TINY.resolve("hf").toString(), "--tokens", "1,2,3", "--threads", "1"
        };
        String first = app(Map.of("GPTOSS_HOME", home.toString()), logits);
        assertTrue(first.contains("measuring the vector kernels at 512 and 256 bits"), first);
        assertTrue(first.contains("measured fastest"), first);
        Path file = home.resolve(MeasuredWidths.FILE_NAME);
        int kept = MeasuredWidths.read(file, MeasuredWidths.machineKey()).bits();
        assertTrue(kept == 512 || kept == 256, "kept " + kept + " in " + file);
        int tile = MeasuredWidths.read(file, MeasuredWidths.machineKey()).tile();
        assertTrue(tile == 2 || tile == 4, "tile " + tile + " in " + file);

        String second = app(Map.of("GPTOSS_HOME", home.toString()), logits);
        assertFalse(second.contains("measuring the vector kernels"), second);

        Path other = dir.resolve("skipped");
        String skipped = app(Map.of("GPTOSS_HOME", other.toString(), KernelTuning.SKIP_ENV, "0"), logits);
        assertFalse(skipped.contains("measuring the vector kernels"), skipped);
        assertFalse(Files.exists(other.resolve(MeasuredWidths.FILE_NAME)));

        // a home that cannot hold the file: the measurement still serves this run, and the command goes on
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        String unkept = app(Map.of("GPTOSS_HOME", notADirectory.toString()), logits);
        assertTrue(unkept.contains("used for this run only"), unkept);
        assertTrue(unkept.contains("loading"), unkept);
    }

    /** Runs the app in a fresh JVM (its width not yet fixed) with {@code env} added; returns its standard error. */
    private static String app(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-D" + KernelChoice.PROPERTY) && !arg.startsWith("-D" + KernelTuning.SKIP_PROPERTY))
                cmd.add(arg);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove(KernelChoice.ENV);
        pb.environment().remove(KernelTuning.SKIP_ENV);
        pb.environment().putAll(env);
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the app did not finish");
        assertEquals(0, p.exitValue(), err);
        return err;
    }
}
