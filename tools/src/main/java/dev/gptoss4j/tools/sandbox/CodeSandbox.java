package dev.gptoss4j.tools.sandbox;

import java.util.Map;
import java.util.Optional;

/**
 * A stateful code-execution session, one per conversation: variables and imports persist between
 * calls, and {@code /mnt/data} is an in-memory directory the host can read back. Calls never throw
 * for anything the guest code does; the {@link ExecutionResult} says what happened. Close it to
 * free the guest context.
 */
public interface CodeSandbox extends AutoCloseable {

    SandboxLanguage language();

    /** Runs one cell of code, like a notebook cell; at most one call runs at a time per session. */
    ExecutionResult execute(String code);

    /** Every file under /mnt/data, by absolute path ("/mnt/data/out.csv"), in path order; a copy. */
    Map<String, byte[]> files();

    /** One file's bytes; the path is absolute under /mnt/data or relative to it. Empty when absent. */
    Optional<byte[]> readFile(String path);

    /** Puts a file into /mnt/data (an upload from the host), creating parent directories. */
    void writeFile(String path, byte[] content);

    /** Drops variables and imports (a fresh guest context); files in /mnt/data are kept. */
    void reset();

    /** Frees the guest context and the files; further calls fail with IllegalStateException. */
    @Override
    void close();
}
