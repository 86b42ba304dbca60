package dev.gptoss4j.tools.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A context's stdout and stderr. Guest code can print without end, so only the first
 * {@code limit} bytes of a call are kept (stdout and stderr share the budget, in the order
 * they were written); the rest is only counted, which keeps host memory bounded.
 */
final class OutputCapture {

    record Captured(String combined, String stdout, String stderr, long truncatedBytes) {}

    private final ByteArrayOutputStream combined = new ByteArrayOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private int limit = SandboxLimits.DEFAULT_OUTPUT_LIMIT_BYTES;
    private long dropped;

    private final OutputStream stdout = new Sink(true);
    private final OutputStream stderr = new Sink(false);

    OutputStream stdout() {
        return stdout;
    }

    OutputStream stderr() {
        return stderr;
    }

    /** Starts a call: empties the buffers and sets its budget. */
    synchronized void begin(int limitBytes) {
        combined.reset();
        out.reset();
        err.reset();
        dropped = 0;
        limit = limitBytes;
    }

    synchronized Captured end() {
        return new Captured(
                combined.toString(StandardCharsets.UTF_8),
                out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8),
                dropped);
    }

    private synchronized void accept(boolean isOut, byte[] b, int off, int len) {
        int room = Math.max(0, limit - combined.size());
        int keep = Math.min(room, len);
        if (keep > 0) {
            combined.write(b, off, keep);
            (isOut ? out : err).write(b, off, keep);
        }
        dropped += len - keep;
    }

    private final class Sink extends OutputStream {
        private final boolean isOut;

        Sink(boolean isOut) {
            this.isOut = isOut;
        }

        @Override
        public void write(int b) {
            accept(isOut, new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            accept(isOut, b, off, len);
        }
    }
}
