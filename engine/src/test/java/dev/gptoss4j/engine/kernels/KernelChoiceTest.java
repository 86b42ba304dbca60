package dev.gptoss4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The width and tiling the kernels run with, and the physical-core count behind the default thread count. */
class KernelChoiceTest {

    @Test
    void aForcedWidthIsTheOneTheKernelsRun() {
        String forced = System.getProperty(KernelChoice.PROPERTY);
        if (forced != null) assertEquals(Integer.parseInt(forced), KernelChoice.vectorBits());
        int bits = KernelChoice.vectorBits();
        assertTrue(bits == 0 || bits == 128 || bits == 256 || bits == 512, "bits " + bits);
        assertEquals(bits != 0, VectorKernels.ENABLED);
        if (bits != 0) {
            assertEquals(bits, VectorKernels.FS.vectorBitSize());
            assertEquals(bits / 32, VectorKernels.L);
            assertTrue(KernelChoice.species().startsWith("Float" + bits), KernelChoice.species());
        }
        String tile = System.getProperty(KernelChoice.TILE_PROPERTY);
        if (tile != null) assertEquals(Integer.parseInt(tile), VectorKernels.TILE_TOKENS);
        assertTrue(KernelChoice.describe().contains(KernelChoice.species()));
    }

    @Test
    void withoutForcingTheWidthIsTheWidestTheJvmCompiles() {
        if (System.getProperty(KernelChoice.PROPERTY) != null
                || System.getenv(KernelChoice.ENV) != null
                || Boolean.getBoolean("gptoss4j.scalar")
                || KernelChoice.TUNED != 0) {
            return; // this run forces a width (the test above checks it) or this CPU has a measured choice
        }
        assertEquals(Math.min(512, KernelChoice.preferredBits()), KernelChoice.vectorBits());
    }

    @Test
    void physicalCoresCountSmtSiblingsOnce() {
        // two packages, two cores each, two hardware threads per core
        List<String> cpuinfo = new java.util.ArrayList<>();
        int processor = 0;
        for (int pkg = 0; pkg < 2; pkg++) {
            for (int thread = 0; thread < 2; thread++) {
                for (int core = 0; core < 2; core++) {
                    cpuinfo.add("processor\t: " + processor++);
                    cpuinfo.add("model name\t: Some CPU");
                    cpuinfo.add("physical id\t: " + pkg);
                    cpuinfo.add("core id\t\t: " + core);
                    cpuinfo.add("");
                }
            }
        }
        assertEquals(4, KernelChoice.physicalCores(cpuinfo));
        // ARM kernels print no core ids: unknown, the caller falls back to availableProcessors()
        assertEquals(0, KernelChoice.physicalCores(List.of("processor\t: 0", "BogoMIPS\t: 50.00", "processor\t: 1")));
        int cores = KernelChoice.physicalCores();
        assertTrue(cores >= 1 && cores <= Runtime.getRuntime().availableProcessors(), "cores " + cores);
    }
}
