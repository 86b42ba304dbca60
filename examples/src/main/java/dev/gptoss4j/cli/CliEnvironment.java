package dev.gptoss4j.cli;

import dev.gptoss4j.agent.hub.HubConfig;
import java.io.Console;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;

/**
 * What the app reads from outside its arguments: environment variables, the home folder, the operating system,
 * someone to ask (a terminal, or no one) and the machine's memory and disk. One record, so that a test can stand in
 * for all of it and run a command as it runs for a user ({@link Main#commandLine(CliEnvironment)}).
 *
 * @param env    environment variables
 * @param home   the user's home folder ({@code ~})
 * @param osName {@code os.name}: where the config file lives depends on it
 * @param asker  whom to ask before a download
 * @param machine memory and free disk
 */
record CliEnvironment(Map<String, String> env, Path home, String osName, Asker asker, Machine machine) {

    private static final Set<String> TRUE = Set.of("1", "true", "yes", "on");

    CliEnvironment {
        env = Map.copyOf(env);
    }

    /** This process's environment, terminal and machine. */
    static CliEnvironment system() {
        return new CliEnvironment(
                System.getenv(),
                Path.of(System.getProperty("user.home")),
                System.getProperty("os.name", ""),
                Asker.console(),
                Machine.system());
    }

    /** The environment of the app that runs {@code command} (the system's when it runs outside {@link Main}). */
    static CliEnvironment of(CommandLine.Model.CommandSpec command) {
        return command.root().userObject() instanceof Main main ? main.environment() : system();
    }

    /** The variable's value, null when unset or blank. */
    String get(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** Whether the variable is set to 1, true, yes or on. */
    boolean flag(String name) {
        String v = get(name);
        return v != null && TRUE.contains(v.toLowerCase(Locale.ROOT));
    }

    /** Where models come from and go, read from these variables (HF_HOME, HF_HUB_CACHE, OLLAMA_MODELS, ...). */
    HubConfig hubConfig() {
        return HubConfig.fromEnvironment(env, home);
    }

    /** Someone who can answer a yes/no question, or no one. */
    @FunctionalInterface
    interface Asker {
        /** The answer to {@code question}, or null when no one can be asked (input or output is not a terminal). */
        String ask(String question);

        /** The terminal through {@link System#console()}, when both input and output are one. */
        static Asker console() {
            return question -> {
                Console c = System.console();
                if (c == null || !c.isTerminal()) return null;
                String answer = c.readLine("%s", question);
                return answer == null ? "" : answer; // Ctrl-D: no
            };
        }
    }

    /** The machine's memory and disk, as the resource check sees them. */
    interface Machine {
        /** Physical memory, in bytes; 0 when unknown. */
        long memoryBytes();

        /** Bytes free for this user on the disk holding {@code dir} (or its nearest existing parent). */
        long freeBytes(Path dir);

        static Machine system() {
            return new Machine() {
                @Override
                public long memoryBytes() {
                    // 0, "unknown", on a JVM without the com.sun.management extension: the check then lets it be
                    var bean = ManagementFactory.getOperatingSystemMXBean();
                    return bean instanceof com.sun.management.OperatingSystemMXBean os ? os.getTotalMemorySize() : 0;
                }

                @Override
                public long freeBytes(Path dir) {
                    Path p = dir.toAbsolutePath();
                    while (p != null && !Files.exists(p)) p = p.getParent();
                    try {
                        return p == null
                                ? Long.MAX_VALUE
                                : Files.getFileStore(p).getUsableSpace();
                    } catch (Exception e) {
                        return Long.MAX_VALUE; // unknown: let the download itself fail if the disk is full
                    }
                }
            };
        }

        /** Fixed figures (tests, or a machine described by hand). */
        static Machine of(long memoryBytes, long freeBytes) {
            return new Machine() {
                @Override
                public long memoryBytes() {
                    return memoryBytes;
                }

                @Override
                public long freeBytes(Path dir) {
                    return freeBytes;
                }
            };
        }
    }
}
