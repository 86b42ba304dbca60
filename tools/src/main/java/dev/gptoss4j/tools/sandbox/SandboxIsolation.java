package dev.gptoss4j.tools.sandbox;

/**
 * Where the guest code of a session runs. The sandbox's policy (no host access, the read-only file system, the
 * in-memory {@code /mnt/data}, the limits) is the same in both; what differs is whether a stop is certain.
 */
public enum SandboxIsolation {
    /**
     * The default: each session's guest runs in a child JVM of its own. A cell that cannot be interrupted (stuck
     * in one long host operation such as arithmetic on a huge integer) is stopped by killing the process, so it
     * stops using CPU and memory at once; the child's own {@code -Xmx} bounds the guest's heap, and running out of
     * it ends only the child. Either way the session is reset and its {@code /mnt/data} files are lost with the
     * process (the result says so). Costs a JVM start per session (hidden by the pool's spare processes) and the
     * child's memory.
     */
    PROCESS,
    /**
     * The guest runs in this JVM, sharing its heap and CPU: cheaper to start and lighter, but a cell stuck in one
     * long host operation cannot be stopped and keeps a core busy until the operation returns (bounded per pool by
     * {@link SandboxPool#create(int, int)}'s {@code maxLingering}), and the memory limit is a watchdog rather than
     * a hard bound. Defence in depth only; use it where the model's code is not expected to be hostile.
     */
    IN_PROCESS
}
