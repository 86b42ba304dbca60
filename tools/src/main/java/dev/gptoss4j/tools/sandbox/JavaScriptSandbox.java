package dev.gptoss4j.tools.sandbox;

import java.util.Objects;

/**
 * The built-in {@code javascript} tool's execution core: GraalJS (ECMAScript, no Node.js APIs) in a
 * sandboxed context. Build one per application and open a {@link SandboxSession} per conversation.
 */
public final class JavaScriptSandbox {

    /**
     * gpt-oss has no trained text for a JavaScript tool; this one follows the python tool's wording so the
     * model recognises the contract.
     */
    static final String DESCRIPTION_TEMPLATE = "Use this tool to execute JavaScript code in your chain of thought. "
            + "The code will not be shown to the user.\n\n"
            + "When you send a message containing JavaScript code to javascript, it will be executed in a stateful "
            + "REPL-like environment (ECMAScript only: no Node.js modules, no require, no fetch). Output printed with "
            + "console.log is returned together with the value of the last expression; top-level variables persist "
            + "between calls. javascript will respond with the output of the execution or time out after %s seconds. "
            + "Internet access for this session is disabled.";

    private final SandboxConfig config;

    private JavaScriptSandbox(SandboxConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        config.pool().prewarm(SandboxLanguage.JAVASCRIPT, config);
    }

    public static SandboxBuilder<JavaScriptSandbox> builder() {
        return new SandboxBuilder<>(JavaScriptSandbox::new);
    }

    public static JavaScriptSandbox create() {
        return builder().build();
    }

    public String name() {
        return SandboxLanguage.JAVASCRIPT.toolName();
    }

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

    public SandboxSession openSession() {
        return SandboxSession.open(SandboxLanguage.JAVASCRIPT, config);
    }
}
