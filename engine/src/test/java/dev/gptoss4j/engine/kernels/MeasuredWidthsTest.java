package dev.gptoss4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The measured widths kept per CPU: read back as saved, other CPUs' entries kept, damage read as "not measured". */
class MeasuredWidthsTest {

    @Test
    void savedWidthsReadBackPerCpu(@TempDir Path dir) {
        Path file = dir.resolve("sub").resolve(MeasuredWidths.FILE_NAME);
        assertEquals(0, MeasuredWidths.read(file, "cpu_a_max512").bits(), "no file: nothing measured");
        MeasuredWidths.save(file, "cpu_a_max512", 256, 2);
        MeasuredWidths.save(file, "cpu_b_max512", 512, 4);
        assertEquals(256, MeasuredWidths.read(file, "cpu_a_max512").bits());
        assertEquals(512, MeasuredWidths.read(file, "cpu_b_max512").bits());
        assertEquals(2, MeasuredWidths.read(file, "cpu_a_max512").tile());
        assertEquals(4, MeasuredWidths.read(file, "cpu_b_max512").tile());
        MeasuredWidths.save(file, "cpu_a_max512", 512, 4);
        assertEquals(512, MeasuredWidths.read(file, "cpu_a_max512").bits());
        assertEquals(4, MeasuredWidths.read(file, "cpu_a_max512").tile());
        assertEquals(0, MeasuredWidths.read(file, "cpu_c_max256").bits());
    }

    @Test
    void aDamagedEntryOrFileMeansNotMeasured(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(MeasuredWidths.FILE_NAME);
        Files.writeString(file, "a=384\nb=wide\nc=256\nc.tile=3\n", StandardCharsets.UTF_8);
        assertEquals(0, MeasuredWidths.read(file, "a").bits());
        assertEquals(0, MeasuredWidths.read(file, "c").tile());
        assertEquals(0, MeasuredWidths.read(file, "b").bits());
        assertEquals(256, MeasuredWidths.read(file, "c").bits());
        Files.write(file, new byte[] {'a', '=', '\\', 'u', '1'}); // a malformed escape: the whole file is unreadable
        assertEquals(0, MeasuredWidths.read(file, "a").bits());
        MeasuredWidths.save(file, "a", 128, 4); // replaced, not appended to
        assertEquals(128, MeasuredWidths.read(file, "a").bits());
        assertThrows(IllegalArgumentException.class, () -> MeasuredWidths.save(file, "a", 384, 4));
        assertThrows(IllegalArgumentException.class, () -> MeasuredWidths.save(file, "a", 512, 3));
        assertThrows(IllegalArgumentException.class, () -> MeasuredWidths.useForThisRun(0, 4));
    }

    @Test
    void theKeyNamesTheCpuAndTheWidestWidthTheJvmOffers() {
        String key = MeasuredWidths.machineKey();
        assertTrue(key.endsWith("max" + MeasuredWidths.preferredBits()), key);
        assertTrue(key.matches("[A-Za-z0-9@.()+_-]+"), key);
        // using KernelChoice fixes the width for this JVM, and says so
        KernelChoice.vectorBits();
        assertTrue(MeasuredWidths.widthFixed());
    }
}
