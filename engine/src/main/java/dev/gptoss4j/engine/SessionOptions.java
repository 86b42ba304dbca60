package dev.gptoss4j.engine;

import dev.gptoss4j.engine.kernels.KvType;

/**
 * Options of one {@link Session}.
 *
 * @param maxContext     the most tokens the session holds; 0 = min(8192, the model's context)
 * @param threads        worker threads; 0 = the physical cores ({@code KernelChoice.physicalCores()})
 * @param rewindSlack    extra positions the sliding-window layers keep beyond their window, so that a
 *                       {@link Session#rewind} of up to this many tokens needs no recomputation
 * @param batchSize      the most tokens one forward pass runs (prompt chunks); larger batches reuse each decoded
 *                       weight row for more tokens but need more buffer memory
 * @param maxDraftTokens the most speculative draft tokens one verification pass may check
 * @param usePrefixCache start from the longest cached prefix of the model's {@link PrefixCache} and publish the
 *                       session's computed tokens to it
 * @param kvType         how the key/value cache stores numbers; null = float32 where the whole context's float32
 *                       cache takes at most a quarter of the machine's memory, else half precision
 */
public record SessionOptions(
        int maxContext,
        int threads,
        int rewindSlack,
        int batchSize,
        int maxDraftTokens,
        boolean usePrefixCache,
        KvType kvType) {

    public static final int DEFAULT_MAX_CONTEXT = 8192;

    public SessionOptions {
        if (maxContext < 0) throw new IllegalArgumentException("maxContext must be >= 0, got " + maxContext);
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        if (rewindSlack < 0) throw new IllegalArgumentException("rewindSlack must be >= 0, got " + rewindSlack);
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        if (maxDraftTokens < 0)
            throw new IllegalArgumentException("maxDraftTokens must be >= 0, got " + maxDraftTokens);
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
        private int batchSize = 256;
        private int maxDraftTokens = 8;
        private boolean usePrefixCache = true;
        private KvType kvType;

        public Builder maxContext(int v) {
            maxContext = v;
            return this;
        }

        public Builder threads(int v) {
            threads = v;
            return this;
        }

        public Builder rewindSlack(int v) {
            rewindSlack = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder maxDraftTokens(int v) {
            maxDraftTokens = v;
            return this;
        }

        public Builder usePrefixCache(boolean v) {
            usePrefixCache = v;
            return this;
        }
        /** null = the default choice (see {@link SessionOptions#kvType()}). */
        public Builder kvType(KvType v) {
            kvType = v;
            return this;
        }

        public SessionOptions build() {
            return new SessionOptions(
                    maxContext, threads, rewindSlack, batchSize, maxDraftTokens, usePrefixCache, kvType);
        }
    }
}
