package dev.gptoss4j.tools.sandbox;

import java.util.Objects;

/**
 * The built-in {@code python} tool's execution core: GraalPy in a sandboxed context. Build one per
 * application (it is cheap; the engine and warm contexts live in the {@link SandboxPool}) and open
 * a {@link SandboxSession} per conversation.
 *
 * <pre>{@code
 * PythonSandbox python = PythonSandbox.builder().timeout(Duration.ofSeconds(30)).build();
 * try (SandboxSession s = python.openSession()) {
 *     s.execute("x = 6 * 7");
 *     s.execute("x").output();   // "42"
 * }
 * }</pre>
 */
public final class PythonSandbox {

    /**
     * The python tool text gpt-oss was trained on (openai/harmony test-data/test_browser_and_python_tool.txt,
     * Apache-2.0), with {@code %s} for the timeout and the internet sentence made true for this sandbox.
     */
    static final String DESCRIPTION_TEMPLATE = "Use this tool to execute Python code in your chain of thought. "
            + "The code will not be shown to the user. This tool should be used for internal reasoning, but not for "
            + "code that is intended to be visible to the user (e.g. when creating plots, tables, or files).\n\n"
            + "When you send a message containing Python code to python, it will be executed in a stateful Jupyter "
            + "notebook environment. python will respond with the output of the execution or time out after %s "
            + "seconds. The drive at '/mnt/data' can be used to save and persist user files. Internet access for "
            + "this session is disabled. Do not make external web requests or API calls as they will fail.";

    private final SandboxConfig config;

    private PythonSandbox(SandboxConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        config.pool().prewarm(SandboxLanguage.PYTHON, config);
    }

    public static SandboxBuilder<PythonSandbox> builder() {
        return new SandboxBuilder<>(PythonSandbox::new);
    }

    /** Default limits on the shared pool. */
    public static PythonSandbox create() {
        return builder().build();
    }

    /** The tool name the model calls. */
    public String name() {
        return SandboxLanguage.PYTHON.toolName();
    }

    /** The tool description for the model's system message, with this sandbox's real timeout. */
    public String description() {
        return DESCRIPTION_TEMPLATE.formatted(config.limits().timeoutSecondsText());
    }

    public SandboxLimits limits() {
        return config.limits();
    }

    /** Where this sandbox's sessions run their guest code. */
    public SandboxIsolation isolation() {
        return config.isolation();
    }

    /** A new stateful session (one per conversation); close it to free its context. */
    public SandboxSession openSession() {
        return SandboxSession.open(SandboxLanguage.PYTHON, config);
    }
}
