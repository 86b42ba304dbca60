package dev.gptoss4j.agent.remote;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts and retry policy of calls to a remote API.
 *
 * @param connectTimeout  to open the connection
 * @param readTimeout     longest silence while waiting for the response or between streamed bytes
 * @param overallTimeout  the whole operation, retries and waits included
 * @param maxRetries      extra attempts after a 429, a 5xx, a failed connection or a timeout
 * @param initialBackoff  wait before the first retry when the server gives no {@code Retry-After}; doubled each
 *                        time, with jitter
 * @param maxRetryWait    longest wait accepted between attempts; a server asking for more ends the call
 */
public record HttpSettings(
        Duration connectTimeout,
        Duration readTimeout,
        Duration overallTimeout,
        int maxRetries,
        Duration initialBackoff,
        Duration maxRetryWait) {

    public HttpSettings {
        positive(connectTimeout, "connectTimeout");
        positive(readTimeout, "readTimeout");
        positive(overallTimeout, "overallTimeout");
        positive(initialBackoff, "initialBackoff");
        positive(maxRetryWait, "maxRetryWait");
        if (maxRetries < 0) throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
    }

    /** 10 s to connect, 2 min of silence, 10 min in all, 3 retries from 1 s, waits up to 1 min. */
    public static HttpSettings defaults() {
        return new HttpSettings(
                Duration.ofSeconds(10),
                Duration.ofMinutes(2),
                Duration.ofMinutes(10),
                3,
                Duration.ofSeconds(1),
                Duration.ofMinutes(1));
    }

    public HttpSettings withConnectTimeout(Duration d) {
        return new HttpSettings(d, readTimeout, overallTimeout, maxRetries, initialBackoff, maxRetryWait);
    }

    public HttpSettings withReadTimeout(Duration d) {
        return new HttpSettings(connectTimeout, d, overallTimeout, maxRetries, initialBackoff, maxRetryWait);
    }

    public HttpSettings withOverallTimeout(Duration d) {
        return new HttpSettings(connectTimeout, readTimeout, d, maxRetries, initialBackoff, maxRetryWait);
    }

    public HttpSettings withMaxRetries(int n) {
        return new HttpSettings(connectTimeout, readTimeout, overallTimeout, n, initialBackoff, maxRetryWait);
    }

    public HttpSettings withInitialBackoff(Duration d) {
        return new HttpSettings(connectTimeout, readTimeout, overallTimeout, maxRetries, d, maxRetryWait);
    }

    public HttpSettings withMaxRetryWait(Duration d) {
        return new HttpSettings(connectTimeout, readTimeout, overallTimeout, maxRetries, initialBackoff, d);
    }

    private static void positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
}
