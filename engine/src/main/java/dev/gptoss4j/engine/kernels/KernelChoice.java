package dev.gptoss4j.engine.kernels;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import jdk.incubator.vector.FloatVector;

/**
 * The vector width and register tiling the kernels run with, chosen once when the kernels are first used.
 *
 * <p>The width is the one measured fastest on this CPU with these JVM flags ({@link MeasuredWidths}: the app
 * measures once per CPU), else the widest one the JVM compiles to (which {@code -XX:UseAVX} and
 * {@code -XX:MaxVectorSize} restrict), unless it is forced with the system property {@value #PROPERTY} or the
 * environment variable {@value #ENV}: {@code 512}, {@code 256}, {@code 128}, or {@code 0} for the scalar kernels.
 * Widest is not always fastest: where a CPU splits 512-bit operations in two (AMD Zen 4), 256 bits may win. A
 * forced width wider than the hardware's runs correctly but emulated, far slower; tests use that to check every
 * width anywhere.
 * The matrix-matrix kernel's register tile holds 4 rows by 4 tokens where the CPU has 32 vector registers
 * (AVX-512, NEON, SVE) and 4 rows by 2 tokens where it has 16 (AVX2), so the accumulators never spill, unless the
 * measurement that chose the width found the other tiling faster ({@link MeasuredWidths}) or {@value #TILE_PROPERTY}
 * forces one.
 *
 * <p>The choice is read into static finals, so C2 compiles the kernels for exactly one species; a JVM runs one
 * width, and tests run once per width in separate JVMs.
 */
public final class KernelChoice {

    /** System property forcing the vector width in bits (0 = scalar). */
    public static final String PROPERTY = "gptoss.vector.bits";
    /** Environment variable forcing the vector width, read when the property is absent. */
    public static final String ENV = "GPTOSS_VECTOR_BITS";
    /** System property forcing the tokens per register tile (2 or 4), so tests cover both tilings anywhere. */
    public static final String TILE_PROPERTY = "gptoss.tile.tokens";

    private KernelChoice() {}

    /** Widest float vector the JVM compiles to on this CPU, with the flags it runs with. */
    static final int PREFERRED_BITS = FloatVector.SPECIES_PREFERRED.vectorBitSize();

    static final String FORCED = forced();
    /** The width and tiling measured fastest on this CPU and JVM flags ({@link MeasuredWidths}), unless forced. */
    static final MeasuredWidths.Measured MEASURED =
            FORCED == null ? MeasuredWidths.forThisJvm() : MeasuredWidths.Measured.NONE;
    /** The measured width, at most the JVM's widest, or 0. */
    static final int TUNED = MEASURED.bits() == 0 ? 0 : Math.min(MEASURED.bits(), Math.max(PREFERRED_BITS, 128));

    static final int BITS = TUNED != 0 ? TUNED : bits(FORCED);
    static final int VECTOR_REGISTERS = vectorRegisters();
    /** Tokens per register tile of the matrix-matrix kernel (rows per tile: 4). */
    static final int TILE_TOKENS = tileTokens();

    static {
        MeasuredWidths.markFixed();
    }

    private static String forced() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) v = System.getenv(ENV);
        if ((v == null || v.isBlank()) && Boolean.getBoolean("gptoss4j.scalar")) v = "0";
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static int bits(String forced) {
        if (forced == null) return PREFERRED_BITS >= 128 ? Math.min(PREFERRED_BITS, 512) : 0;
        return switch (forced) {
            case "0", "scalar" -> 0;
            case "128", "256", "512" -> Integer.parseInt(forced);
            default ->
                throw new IllegalArgumentException(
                        PROPERTY + " / " + ENV + " must be 512, 256, 128 or 0 " + "(scalar), got '" + forced + "'");
        };
    }

    private static int tileTokens() {
        String v = System.getProperty(TILE_PROPERTY);
        if (v == null || v.isBlank()) {
            int measured = TUNED != 0 ? MEASURED.tile() : 0;
            return measured != 0 ? measured : VECTOR_REGISTERS >= 32 ? 4 : 2;
        }
        return switch (v.trim()) {
            case "2" -> 2;
            case "4" -> 4;
            default -> throw new IllegalArgumentException(TILE_PROPERTY + " must be 2 or 4, got '" + v + "'");
        };
    }

    /** 32 on AVX-512 (EVEX encodings) and on ARM; 16 on AVX/AVX2 and where the JVM will not say. */
    private static int vectorRegisters() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (arch.contains("aarch64") || arch.contains("arm")) return 32;
        Integer useAvx = intVmOption("UseAVX");
        if (useAvx != null) return useAvx >= 3 ? 32 : 16;
        return PREFERRED_BITS >= 512 ? 32 : 16;
    }

    private static Integer intVmOption(String name) {
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return bean == null ? null : Integer.valueOf(bean.getVMOption(name).getValue());
        } catch (RuntimeException | LinkageError e) {
            return null; // not HotSpot, or jdk.management left out of the runtime image
        }
    }

    /** The vector width the kernels run with, in bits; 0 for the scalar kernels. */
    public static int vectorBits() {
        return BITS;
    }

    /** Float lanes per vector (1 for the scalar kernels). */
    public static int lanes() {
        return BITS == 0 ? 1 : BITS / 32;
    }

    /** Widest float vector the JVM offers on this CPU with its flags, in bits. */
    public static int preferredBits() {
        return PREFERRED_BITS;
    }

    /** Why this width: forced (and how) or chosen. */
    public static String reason() {
        if (FORCED != null) {
            String how = System.getProperty(PROPERTY) != null
                    ? "-D" + PROPERTY
                    : System.getenv(ENV) != null ? ENV : "-Dgptoss4j.scalar";
            String emulated =
                    BITS > PREFERRED_BITS ? ", wider than the JVM's " + PREFERRED_BITS + " bits: emulated" : "";
            return "forced by " + how + "=" + FORCED + emulated;
        }
        if (TUNED != 0) return "measured fastest on this CPU (" + MeasuredWidths.defaultFile() + ")";
        return BITS == 0 ? "no vector width of 128 bits or more" : "widest the JVM compiles to on this CPU";
    }

    /** The species, e.g. {@code Float512 (16 lanes)}, or {@code scalar}. */
    public static String species() {
        return BITS == 0 ? "scalar" : "Float" + BITS + " (" + lanes() + " lanes)";
    }

    /** The matrix-matrix kernel's tiling, e.g. {@code 4x4 tile, 16-row units, 512-column blocks, 32 registers}. */
    public static String tiling() {
        if (BITS == 0) return "scalar";
        return "4x" + TILE_TOKENS + " tile (rows x tokens), " + VectorKernels.TILE_ROWS + "-row units, "
                + VectorKernels.BLOCK + "-column blocks, " + VECTOR_REGISTERS + " vector registers";
    }

    /** One line for logs and benchmark output. */
    public static String describe() {
        return species() + "; " + tiling() + "; " + reason();
    }

    /**
     * Physical cores the process may use: on Linux the distinct (package, core) pairs of {@code /proc/cpuinfo},
     * so SMT siblings count once; at most {@link Runtime#availableProcessors()} (which honours CPU affinity and
     * container limits); elsewhere {@code availableProcessors()}. The default worker count: the kernels are
     * bound by memory and FMA units, which SMT siblings share.
     */
    public static int physicalCores() {
        int available = Runtime.getRuntime().availableProcessors();
        try {
            int cores = physicalCores(Files.readAllLines(Path.of("/proc/cpuinfo")));
            return cores > 0 ? Math.min(cores, available) : available;
        } catch (IOException | RuntimeException e) {
            return available;
        }
    }

    /** Distinct (physical id, core id) pairs in {@code /proc/cpuinfo} text; 0 when it does not say. */
    static int physicalCores(List<String> cpuinfo) {
        Set<String> cores = new HashSet<>();
        String pkg = "0";
        String core = null;
        int processors = 0;
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            String key = colon < 0 ? line.trim() : line.substring(0, colon).trim();
            String value = colon < 0 ? "" : line.substring(colon + 1).trim();
            switch (key) {
                case "processor" -> {
                    if (core != null) cores.add(pkg + "/" + core);
                    processors++;
                    pkg = "0";
                    core = null;
                }
                case "physical id" -> pkg = value;
                case "core id" -> core = value;
                default -> {}
            }
        }
        if (core != null) cores.add(pkg + "/" + core);
        return cores.size() == 0 || cores.size() > processors ? 0 : cores.size();
    }
}
