package dev.gptoss4j.engine;

/**
 * Options of one {@link Session}.
 *
 * @param maxContext  the most tokens the session holds; 0 = min(8192, the model's context)
 * @param threads     worker threads for the matrix-vector products; 0 = all available processors
 * @param rewindSlack extra positions the sliding-window layers keep beyond their window, so that a
 *                    {@link Session#rewind} of up to this many tokens needs no recomputation
 */
public record SessionOptions(int maxContext, int threads, int rewindSlack) {

    public static final int DEFAULT_MAX_CONTEXT = 8192;

    public SessionOptions {
        if (maxContext < 0) throw new IllegalArgumentException("maxContext must be >= 0, got " + maxContext);
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        if (rewindSlack < 0) throw new IllegalArgumentException("rewindSlack must be >= 0, got " + rewindSlack);
    }

    public static SessionOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private int maxContext;
        private int threads;
        private int rewindSlack = 256;

        public Builder maxContext(int v) { maxContext = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder rewindSlack(int v) { rewindSlack = v; return this; }

        public SessionOptions build() {
            return new SessionOptions(maxContext, threads, rewindSlack);
        }
    }
}
