package dev.gptoss4j.tools.sandbox;

import java.util.OptionalLong;

/** Where a {@link SandboxSession}'s guest runs: in this JVM, or in a worker process of its own. */
interface SessionBackend extends CodeSandbox {

    SandboxLimits limits();

    /** Gets the guest ready now so that the next call's clock does not include the start-up; waits for it. */
    void warmUp();

    /** The id of the process the guest runs in now, when it is not this one. */
    default OptionalLong workerPid() {
        return OptionalLong.empty();
    }
}
