package dev.gptoss4j.tools.sandbox;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How a worker process is started: this JVM's own {@code java}, this JVM's class path (and module path), the
 * flags the guest languages need, and a small footprint. Only an allow-list of this JVM's own flags is passed on
 * (native access, Unsafe access, opened packages, Polyglot and Truffle settings, where the user's cache and temp
 * directories are): debugger and agent flags, heap settings and anything else stay behind.
 *
 * @param java       the java launcher
 * @param classPath  the class path (this JVM's {@code java.class.path}: a jar, a surefire manifest jar, a list)
 * @param modulePath the module path, or null when this JVM has none
 * @param flags      JVM flags copied from this JVM plus the ones every worker gets
 */
record WorkerLauncher(Path java, String classPath, String modulePath, List<String> flags) {

    /** Flags of this JVM that a worker keeps, by prefix. */
    private static final List<String> INHERITED = List.of(
            "--enable-native-access",
            "--sun-misc-unsafe-memory-access",
            "--add-opens",
            "--add-exports",
            "--add-reads",
            "-Dpolyglot.",
            "-Dtruffle.",
            "-Dengine.",
            "-Dgraalpy.",
            "-Duser.home=",
            "-Djava.io.tmpdir=");

    /** Environment variables a worker keeps; everything else of the host's environment (keys, tokens) is dropped. */
    static final List<String> ENVIRONMENT =
            List.of("HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "XDG_CACHE_HOME");

    WorkerLauncher {
        Objects.requireNonNull(java, "java");
        Objects.requireNonNull(classPath, "classPath");
        flags = List.copyOf(flags);
    }

    /** The launcher for workers of this JVM. */
    static WorkerLauncher current() {
        List<String> flags = new ArrayList<>();
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (INHERITED.stream().anyMatch(arg::startsWith)) {
                flags.add(arg);
            }
        }
        // The guest languages need these on JDK 24+ (Truffle loads native code and still uses sun.misc.Unsafe); the
        // worker would otherwise warn on every start.
        if (flags.stream().noneMatch(f -> f.startsWith("--enable-native-access"))) {
            flags.add("--enable-native-access=ALL-UNNAMED");
        }
        if (flags.stream().noneMatch(f -> f.startsWith("--sun-misc-unsafe-memory-access"))) {
            flags.add("--sun-misc-unsafe-memory-access=allow");
        }
        String modulePath = System.getProperty("jdk.module.path");
        return new WorkerLauncher(
                javaOfThisJvm(),
                System.getProperty("java.class.path", ""),
                modulePath == null || modulePath.isBlank() ? null : modulePath,
                flags);
    }

    /** {@code java.home/bin/java}, else the command this process was started with. */
    private static Path javaOfThisJvm() {
        Path home = Path.of(System.getProperty("java.home"), "bin", isWindows() ? "java.exe" : "java");
        if (Files.isExecutable(home)) {
            return home;
        }
        return ProcessHandle.current().info().command().map(Path::of).orElse(home);
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /** The command line of a worker for one language, statement limit and heap. */
    List<String> command(SandboxLanguage language, long statementLimit, long heapBytes) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.add("-Xmx" + (heapBytes >> 20) + "m");
        // A worker serves one session: a small, single-threaded collector and no shared perf-data file in /tmp.
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:-UsePerfData");
        // A guest that fills the heap ends the worker (the host reports it), rather than leaving it half-broken.
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        // The VM's own messages go to stderr, away from the frames on stdout.
        cmd.add("-XX:+DisplayVMOutputToStderr");
        cmd.add("-Djava.awt.headless=true");
        cmd.addAll(flags);
        if (!classPath.isEmpty()) {
            cmd.add("-cp");
            cmd.add(classPath);
        }
        Module module = SandboxWorker.class.getModule();
        if (modulePath != null) {
            cmd.add("--module-path");
            cmd.add(modulePath);
            cmd.add("--add-modules=ALL-MODULE-PATH");
        }
        if (module.isNamed()) {
            cmd.add("-m");
            cmd.add(module.getName() + "/" + SandboxWorker.class.getName());
        } else {
            cmd.add(SandboxWorker.class.getName());
        }
        cmd.add(language.name());
        cmd.add(Long.toString(statementLimit));
        return cmd;
    }
}
