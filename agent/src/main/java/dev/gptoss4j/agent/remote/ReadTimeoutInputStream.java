package dev.gptoss4j.agent.remote;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A response body whose every read fails with a {@link SocketTimeoutException} after waiting longer than the read
 * timeout, or past a deadline. The JDK's {@code HttpClient} times a request only until the response headers
 * arrive; without this, a server that stalls in the middle of a body (a stream, a download) would hold its reader
 * forever. A timed-out read closes the stream, which aborts the exchange.
 */
public final class ReadTimeoutInputStream extends FilterInputStream {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("gptoss4j-read-timeout").factory());

    private final long readTimeoutNanos;
    private final long deadlineNanos;
    private volatile boolean timedOut;

    /**
     * @param deadlineNanos a {@link System#nanoTime()} after which no read may wait, or {@link Long#MAX_VALUE}
     */
    public ReadTimeoutInputStream(InputStream in, Duration readTimeout, long deadlineNanos) {
        super(in);
        this.readTimeoutNanos = readTimeout.toNanos();
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public int read() throws IOException {
        ScheduledFuture<?> alarm = arm();
        try {
            return super.read();
        } catch (IOException e) {
            throw timedOut ? timeout(e) : e;
        } finally {
            alarm.cancel(false);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        ScheduledFuture<?> alarm = arm();
        try {
            return super.read(b, off, len);
        } catch (IOException e) {
            throw timedOut ? timeout(e) : e;
        } finally {
            alarm.cancel(false);
        }
    }

    private ScheduledFuture<?> arm() throws SocketTimeoutException {
        long wait = Math.min(readTimeoutNanos, deadlineNanos - System.nanoTime());
        if (wait <= 0) {
            timedOut = true;
            throw new SocketTimeoutException("timeout");
        }
        return TIMER.schedule(this::expire, wait, TimeUnit.NANOSECONDS);
    }

    private void expire() {
        timedOut = true;
        try {
            in.close();
        } catch (IOException ignored) {
            // the reader sees the close as a failed read, reported as the timeout it is
        }
    }

    private static SocketTimeoutException timeout(IOException cause) {
        SocketTimeoutException e = new SocketTimeoutException("timeout");
        e.initCause(cause);
        return e;
    }
}
