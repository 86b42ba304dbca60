package dev.gptoss4j.tools.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of one call, never an exception: whatever the guest code did is described here.
 *
 * @param output         the text the model should see: stdout and stderr as they interleaved, a note when
 *                       output was cut, the value of a last bare expression, the error, and a note when the
 *                       session was reset
 * @param stdout         what the code printed to standard output (capped)
 * @param stderr         what the code printed to standard error (capped)
 * @param value          display form of the value of the last bare expression, or null when there was none
 * @param errorKind      why the call did not finish normally, {@link ErrorKind#NONE} when it did
 * @param errorMessage   the error as the model sees it (a traceback, a timeout notice), or null
 * @param truncatedBytes how many bytes of printed output were dropped by the output cap
 * @param duration       wall-clock time of the call, including any context start-up it needed
 * @param sessionReset   true when the guest context was discarded after this call: variables and imports are
 *                       gone, files in /mnt/data are kept
 */
public record ExecutionResult(
        String output,
        String stdout,
        String stderr,
        String value,
        ErrorKind errorKind,
        String errorMessage,
        long truncatedBytes,
        Duration duration,
        boolean sessionReset) {

    public ExecutionResult {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(errorKind, "errorKind");
        Objects.requireNonNull(duration, "duration");
        if (truncatedBytes < 0) {
            throw new IllegalArgumentException("truncatedBytes must not be negative, got " + truncatedBytes);
        }
    }

    /** True when the code ran to the end without an error. */
    public boolean ok() {
        return errorKind == ErrorKind.NONE;
    }
}
