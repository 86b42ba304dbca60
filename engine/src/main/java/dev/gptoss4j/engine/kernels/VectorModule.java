package dev.gptoss4j.engine.kernels;

/**
 * Whether the JDK's Vector API module ({@code jdk.incubator.vector}) is loaded. It is incubating, so the JDK leaves
 * it out unless the command line adds it, and the kernels cannot run without it: without this check an embedding
 * application would die at the first matrix multiply with {@code NoClassDefFoundError: jdk/incubator/vector/...}.
 */
public final class VectorModule {

    /** The module's name. */
    public static final String NAME = "jdk.incubator.vector";

    private VectorModule() {}

    /** Whether the module is in the boot layer. */
    public static boolean isLoaded() {
        return ModuleLayer.boot().findModule(NAME).isPresent();
    }

    /**
     * Throws, saying exactly what to add, when the module is not loaded.
     *
     * @throws IllegalStateException when the JVM was started without {@code --add-modules jdk.incubator.vector}
     */
    public static void require() {
        if (!isLoaded()) {
            throw new IllegalStateException("the gptoss4j engine needs the JDK's Vector API module, which this JVM"
                    + " was started without: add --add-modules " + NAME + " to the java command line (also for"
                    + " tests: Maven Surefire <argLine>, Gradle test { jvmArgs }), or set"
                    + " JDK_JAVA_OPTIONS=\"--add-modules " + NAME + "\"");
        }
    }
}
