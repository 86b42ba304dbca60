package dev.gptoss4j.engine.kernels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import jdk.incubator.vector.FloatVector;

/**
 * The vector widths (and the register tiling at that width) measured fastest per CPU ({@code gptoss bench
 * --tune-kernels}, or the app's first local run): where they are kept, this CPU's key, and whether this JVM's width is already fixed. Apart from
 * {@link KernelChoice} because reading or writing them must not fix this JVM's width, which happens the first time
 * {@code KernelChoice} is used.
 */
public final class MeasuredWidths {

    /** The file's name in {@code $GPTOSS_HOME} (default {@code ~/.gptoss}). */
    public static final String FILE_NAME = "kernels.properties";

    private static volatile boolean widthFixed;
    private static volatile Measured forThisRun;
    /** Suffix of the key under which the register tile measured with a width is kept. */
    private static final String TILE = ".tile";

    private MeasuredWidths() {}

    /**
     * A width (512, 256 or 128 bits) and the tokens per register tile measured with it (2 or 4); 0 for what is not
     * kept.
     */
    public record Measured(int bits, int tile) {
        /** Nothing measured. */
        public static final Measured NONE = new Measured(0, 0);
    }

    /** {@code $GPTOSS_HOME/kernels.properties}, else {@code ~/.gptoss/kernels.properties}. */
    public static Path defaultFile() {
        return file(System.getenv("GPTOSS_HOME"));
    }

    /** The file in {@code gptossHome}, or in {@code ~/.gptoss} when that is null or blank. */
    public static Path file(String gptossHome) {
        Path dir = gptossHome != null && !gptossHome.isBlank()
                ? Path.of(gptossHome)
                : Path.of(System.getProperty("user.home"), ".gptoss");
        return dir.resolve(FILE_NAME);
    }

    /** Widest float vector the JVM compiles to on this CPU with its flags, in bits. */
    public static int preferredBits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    /**
     * The CPU model and the widest width the JVM offers with its flags: a measured choice holds for this key only
     * ({@code -XX:UseAVX=2} on the same CPU is another key).
     */
    public static String machineKey() {
        return (cpuModel() + " max" + preferredBits()).replaceAll("[^A-Za-z0-9@.()+-]+", "_");
    }

    /** The CPU's model name from {@code /proc/cpuinfo}, else the architecture. */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name"))
                    return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch", "cpu");
    }

    /**
     * The width and tiling kept for {@code key} in {@code file}; a value that is missing or not one a measurement
     * gives reads as 0, an unreadable file as {@link Measured#NONE}. A tiling counts only beside its width.
     */
    public static Measured read(Path file, String key) {
        Properties props;
        try {
            props = load(file);
        } catch (IOException | RuntimeException e) {
            return Measured.NONE; // garbled or unreadable: as if nothing were measured
        }
        int bits = number(props.getProperty(key));
        int tile = number(props.getProperty(key + TILE));
        bits = bits == 128 || bits == 256 || bits == 512 ? bits : 0;
        return new Measured(bits, bits != 0 && (tile == 2 || tile == 4) ? tile : 0);
    }

    private static int number(String v) {
        try {
            return v == null ? 0 : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Keeps {@code bits} and the tile's tokens ({@code 2} or {@code 4}) for {@code key} in {@code file} beside the
     * other CPUs' entries (replaced atomically).
     */
    public static void save(Path file, String key, int bits, int tile) {
        check(bits, tile);
        try {
            Properties props;
            try {
                props = load(file);
            } catch (IOException | RuntimeException e) {
                props = new Properties(); // a garbled file is replaced
            }
            props.setProperty(key, Integer.toString(bits));
            props.setProperty(key + TILE, Integer.toString(tile));
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, FILE_NAME, ".tmp");
            try (var w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                props.store(w, "vector widths measured fastest per CPU by gptoss");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot keep the measured vector width in " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether this JVM's kernels already chose their width ({@link KernelChoice} was used): a width measured now
     * applies from the next start.
     */
    public static boolean widthFixed() {
        return widthFixed;
    }

    static void markFixed() {
        widthFixed = true;
    }

    /**
     * A width just measured, for this JVM even where it could not be kept in the file: the kernels take it if they
     * have not chosen yet ({@link #widthFixed()} false).
     */
    public static void useForThisRun(int bits, int tile) {
        check(bits, tile);
        forThisRun = new Measured(bits, tile);
    }

    /** What {@link #useForThisRun} gave, else what is kept for this CPU in the default file. */
    static Measured forThisJvm() {
        Measured m = forThisRun;
        return m != null ? m : read(defaultFile(), machineKey());
    }

    private static void check(int bits, int tile) {
        if (bits != 128 && bits != 256 && bits != 512)
            throw new IllegalArgumentException("a measured width is 512, 256 or 128 bits, not " + bits);
        if (tile != 2 && tile != 4)
            throw new IllegalArgumentException("a measured tile holds 2 or 4 tokens, not " + tile);
    }

    private static Properties load(Path file) throws IOException {
        Properties props = new Properties();
        if (Files.exists(file)) {
            try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(in);
            }
        }
        return props;
    }
}
