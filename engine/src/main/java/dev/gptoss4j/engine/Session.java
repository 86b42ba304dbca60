package dev.gptoss4j.engine;

import dev.gptoss4j.engine.kernels.KernelChoice;
import dev.gptoss4j.engine.kernels.KvBuffer;
import dev.gptoss4j.engine.kernels.KvPool;
import dev.gptoss4j.engine.kernels.KvType;
import dev.gptoss4j.engine.kernels.Ops;
import dev.gptoss4j.engine.kernels.Parallel;
import dev.gptoss4j.engine.model.GptOssConfig;
import dev.gptoss4j.engine.sampling.Sampler;
import java.util.Arrays;
import java.util.Set;

/**
 * One sequence of tokens and its key/value cache. Tokens are added with {@link #prefill} or by
 * {@link #generate}; the session keeps its token history and computes lazily, so {@link #position()} counts
 * every token added even before it has been run through the model. Pending tokens run in batches of up to
 * {@link SessionOptions#batchSize()}; a fresh session first restores the longest matching prefix from the
 * model's {@link PrefixCache}. Keys and values live off-heap in blocks of the model's {@link KvPool} for the
 * session's {@link KvType}. A session of a {@link Scheduler} runs its forward passes batched with the scheduler's
 * other sessions, with the same results. Not thread-safe: one thread at a time (use one session per
 * conversation); {@link Cancellation} may be set from another thread.
 */
public final class Session implements AutoCloseable {

    /** Acceptance figures of the last speculative {@link #generate}. */
    public record SpeculationStats(int steps, int drafted, int accepted) {
        /** Accepted drafted tokens over drafted tokens (0 when nothing was drafted). */
        public double acceptanceRate() {
            return drafted == 0 ? 0 : (double) accepted / drafted;
        }
    }

    private final GptOss model;
    private final Transformer transformer;
    private final GptOssConfig config;
    private final int maxContext;
    private final Parallel pool; // own workers, or null in a scheduler
    private final Transformer.State state; // own buffers, or null in a scheduler
    private final Scheduler scheduler;
    private final KvType kvType;
    final KvBuffer[] cache;
    final float[] logits; // [row][vocab] of the last forward pass
    final int capacity; // most tokens per forward pass
    private final int logitRows;
    private final PrefixCache prefixCache;
    private final boolean[] slidingLayers;
    private final int[] lastOnly = new int[1];
    private final int[] allRows;
    int[] history = new int[64];
    private int length; // tokens in the history
    int computed; // tokens whose keys/values are in the cache
    private boolean logitsValid; // logits row 0 belongs to history[length-1]
    volatile boolean generating; // inside generate: the scheduler expects the next step soon
    private SpeculationStats lastSpeculation = new SpeculationStats(0, 0, 0);
    private boolean closed;

    Session(GptOss model, Transformer transformer, SessionOptions options, Scheduler scheduler) {
        this.model = model;
        this.transformer = transformer;
        this.config = transformer.config;
        this.scheduler = scheduler;
        int modelMax = config.maxContext();
        this.maxContext = options.maxContext() == 0
                ? Math.min(SessionOptions.DEFAULT_MAX_CONTEXT, modelMax)
                : Math.min(options.maxContext(), modelMax);
        this.kvType = options.kvType() != null ? options.kvType() : defaultKvType(config, maxContext);
        if (scheduler == null) {
            int threads = options.threads() == 0 ? KernelChoice.physicalCores() : options.threads();
            this.capacity = Math.min(options.batchSize(), maxContext);
            this.logitRows = Math.min(options.maxDraftTokens() + 1, capacity);
            this.pool = new Parallel(threads);
            this.state = new Transformer.State(transformer, maxContext, capacity, logitRows, pool);
            this.logits = state.logits;
        } else {
            this.capacity = Math.min(scheduler.chunkTokens(), maxContext);
            this.logitRows = Math.min(Math.min(options.maxDraftTokens() + 1, capacity), scheduler.maxLogitRows());
            this.pool = null;
            this.state = null;
            this.logits = new float[logitRows * config.vocabSize()];
        }
        this.cache = transformer.newCache(model.kvPool(kvType), maxContext, capacity, options.rewindSlack());
        this.prefixCache = options.usePrefixCache() ? model.prefixCache() : null;
        this.slidingLayers = config.slidingLayers().clone();
        this.allRows = new int[logitRows];
        for (int i = 0; i < logitRows; i++) allRows[i] = i;
    }

    /**
     * float32 when the whole context's float32 cache takes at most a quarter of the machine's memory (a gpt-oss-20b
     * session of 8k tokens: 0.4 GB), else IEEE half (a 20b session at the full 131,072 tokens: 6.4 GB in float32,
     * 3.2 GB in half precision). Half precision rather than bfloat16: on the conformance fixtures it deviates from
     * the float32 reference 160 times less (its 11 significant bits against 8; see docs/PERFORMANCE.md).
     */
    static KvType defaultKvType(GptOssConfig config, int maxContext) {
        return defaultKvType(config, maxContext, physicalMemory());
    }

    static KvType defaultKvType(GptOssConfig config, int maxContext, long memory) {
        return cacheBytes(config, maxContext, KvType.F32) <= memory / 4 ? KvType.F32 : KvType.F16;
    }

    /** Bytes of key/value cache a sequence of {@code positions} tokens needs (sliding layers keep their window). */
    static long cacheBytes(GptOssConfig config, long positions, KvType type) {
        long perPosition = 2L * config.kvDim() * type.bytes();
        long total = 0;
        for (int l = 0; l < config.numLayers(); l++) {
            long held = config.isSliding(l) ? Math.min(positions, config.slidingWindow()) : positions;
            total += perPosition * held;
        }
        return total;
    }

    private static long physicalMemory() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory();
    }

    /** How this session's cache stores keys and values. */
    public KvType kvType() {
        return kvType;
    }

    public GptOss model() {
        return model;
    }

    /** The most tokens this session can hold. */
    public int maxContext() {
        return maxContext;
    }

    /** Number of tokens in the session. */
    public int position() {
        return length;
    }

    /** Worker threads of this session (its scheduler's when it has one). */
    public int threads() {
        return scheduler != null ? scheduler.threads() : pool.threads();
    }

    /** A copy of the session's tokens. */
    public int[] tokens() {
        return Arrays.copyOf(history, length);
    }

    /** Appends {@code tokens} and runs them through the model; returns the logits after the last one (a copy). */
    public float[] prefill(int[] tokens) {
        append(tokens);
        return logits();
    }

    /** Appends tokens without running the model yet (they run at the next {@link #logits} or generation). */
    public void append(int... tokens) {
        checkOpen();
        if (length + tokens.length > maxContext) {
            throw new IllegalStateException("context full: " + length + " + " + tokens.length
                    + " tokens exceed the session's maximum of " + maxContext);
        }
        for (int t : tokens) {
            if (t < 0 || t >= config.vocabSize()) {
                throw new IllegalArgumentException(
                        "token id " + t + " outside the vocabulary [0, " + config.vocabSize() + ")");
            }
        }
        ensureHistory(length + tokens.length);
        System.arraycopy(tokens, 0, history, length, tokens.length);
        length += tokens.length;
        if (tokens.length > 0) logitsValid = false;
    }

    private void ensureHistory(int n) {
        if (n > history.length) history = Arrays.copyOf(history, Math.max(history.length * 2, n));
    }

    /** The logits (one per vocabulary entry) predicting the token after the last one; a copy. */
    public float[] logits() {
        ensureLogits();
        return Arrays.copyOf(logits, config.vocabSize());
    }

    /** Copies the logits into {@code out} (at least vocabulary size) without allocating. */
    public void logits(float[] out) {
        ensureLogits();
        System.arraycopy(logits, 0, out, 0, config.vocabSize());
    }

    /**
     * Forgets every token from position {@code n} on; later tokens are computed again from {@code n}. Rewinding
     * further back than the sliding-window layers keep (window + rewindSlack) recomputes the kept tokens.
     */
    public void rewind(int n) {
        checkOpen();
        if (n < 0 || n > length)
            throw new IllegalArgumentException("cannot rewind to " + n + " of " + length + " tokens");
        if (n == length) return;
        length = n;
        logitsValid = false;
        // recompute the last kept token so its logits are available again
        int resume = Math.min(computed, Math.max(0, n - 1));
        if (resume < computed) computed = resume;
        if (!ringsHold(resume)) computed = 0; // the ring buffers no longer hold keys position `resume` attends to
        if (computed == 0) {
            for (KvBuffer kv : cache) kv.clear();
        } else {
            for (KvBuffer kv : cache) kv.truncate(computed);
        }
    }

    /** Whether the sliding layers still hold every key a token at {@code position} attends to. */
    private boolean ringsHold(int position) {
        if (position == 0) return true;
        int needed = Math.max(0, position - config.slidingWindow() + 1);
        for (int l = 0; l < config.numLayers(); l++) {
            if (slidingLayers[l] && needed < oldestValid(l)) return false;
        }
        return true;
    }

    /** The oldest position whose keys and values layer {@code l} holds. */
    private int oldestValid(int l) {
        return cache[l].oldestHeld();
    }

    private void ensureLogits() {
        checkOpen();
        if (length == 0) throw new IllegalStateException("no tokens in the session: prefill first");
        if (logitsValid) return;
        if (computed == length) computed = length - 1; // logits were not kept for the last token: run it again
        restorePrefix();
        while (computed < length) {
            int n = Math.min(capacity, length - computed);
            boolean last = computed + n == length;
            lastOnly[0] = n - 1;
            run(computed, n, lastOnly, last ? 1 : 0);
        }
        logitsValid = true;
    }

    /**
     * Runs {@code n} tokens from position {@code from} (whose predecessors are computed). Returns false when the
     * scheduler took this session's cache back for others instead ({@link #evictCache}): {@code computed} is then 0
     * and the caller recomputes.
     */
    private boolean run(int from, int n, int[] rows, int rowCount) {
        if (scheduler == null) {
            transformer.forward(state, cache, history, from, n, from, rows, rowCount);
        } else if (!scheduler.run(this, from, n, rows, rowCount)) {
            return false;
        }
        computed = from + n;
        return true;
    }

    /** Drops every cached key and value (the scheduler needs the blocks); the tokens are recomputed when needed. */
    void evictCache() {
        computed = 0;
        logitsValid = false;
        for (KvBuffer kv : cache) kv.clear();
    }

    /** Starts from the longest prefix the model's cache holds when that saves work. */
    private void restorePrefix() {
        if (prefixCache == null || length - 1 <= computed) return;
        PrefixCache.Match match = prefixCache.find(
                cache[0].pool(), history, length, length - 1, computed, config.slidingWindow(), slidingLayers);
        if (match == null) return;
        int m = match.length();
        PrefixCache.Entry e = match.entry();
        try {
            adoptPrefix(e, m);
        } finally {
            match.release();
        }
        computed = m;
    }

    /** Takes the entry's blocks for positions up to {@code m} (shared; copied only where this session has some). */
    private void adoptPrefix(PrefixCache.Entry e, int m) {
        for (int l = 0; l < config.numLayers(); l++) {
            KvBuffer kv = cache[l];
            int from = e.from[l];
            // below `from` the entry has nothing: this session's older positions would leave a gap
            if (from > computed) kv.dropBelow(from);
            // positions computed here before stay valid below the prefix: only take the entry's from `computed` on
            int start = Math.max(from, computed);
            for (int b = start / KvPool.BLOCK; b * KvPool.BLOCK < m; b++) {
                int block = e.blocks[l][b - from / KvPool.BLOCK];
                int blockStart = b * KvPool.BLOCK;
                if (blockStart >= start) {
                    kv.adopt(b, block); // shared read-only; copied when this session writes into it
                } else {
                    kv.copyFrom(block, start, Math.min(m, blockStart + KvPool.BLOCK));
                }
            }
        }
    }

    /**
     * Offers the session's computed tokens to the model's {@link PrefixCache} (done after every
     * {@link #generate}; callers driving {@link #logits} themselves call it at the end of a turn).
     */
    public void publishPrefix() {
        checkOpen();
        if (prefixCache == null || computed == 0) return;
        int[] from = new int[config.numLayers()];
        for (int l = 0; l < from.length; l++) {
            from[l] = oldestValid(l);
            if (slidingLayers[l]) {
                from[l] = Math.max(from[l], computed - config.slidingWindow() - PrefixCache.SLIDING_EXTRA);
            } else if (from[l] > 0) {
                return; // a full-attention layer lost positions: nothing reusable
            }
            from[l] = Math.max(0, Math.min(from[l], computed));
        }
        if (!ringsHold(computed)) return;
        prefixCache.put(history, computed, cache, from);
    }

    /**
     * Generates up to {@code request.maxTokens()} tokens after the current ones, passing each to {@code listener}
     * as it is chosen, and appends them to the session (a stop token too: rewind one to drop it).
     *
     * <p>With {@link GenerationRequest#draftTokens()} &gt; 0, each step drafts tokens by prompt lookup and runs
     * them in one batch with the pending token; the sampler then walks the batch's logits and keeps drafted tokens
     * as long as it draws exactly them. Since every position's logits are bit-identical whatever batch computed
     * them and the sampler draws once per emitted token, the output is the same as without drafting.
     */
    public GenerationResult generate(GenerationRequest request, TokenListener listener) {
        checkOpen();
        generating = true;
        try {
            return generateTokens(request, listener);
        } finally {
            generating = false;
            if (scheduler != null) scheduler.idle(this);
        }
    }

    private GenerationResult generateTokens(GenerationRequest request, TokenListener listener) {
        Set<Integer> stops = request.stopTokens().isEmpty() ? model.defaultStopTokens() : request.stopTokens();
        Sampler sampler = new Sampler(request.sampler(), config.vocabSize());
        int vocab = config.vocabSize();
        int[] out = new int[request.maxTokens()];
        float[] logprobs = new float[request.maxTokens()];
        float[] processed = request.logitsProcessor() == null ? null : new float[vocab];
        int maxDraft = Math.min(request.draftTokens(), logitRows - 1);
        int[] draft = new int[Math.max(1, maxDraft)];
        int n = 0;
        int steps = 0, drafted = 0, accepted = 0;
        // after a pass that kept no draft, skip drafting for a while (doubling): wrong guesses cost a wider batch
        int skip = 0, backoff = 1;
        FinishReason reason = FinishReason.MAX_TOKENS;
        generation:
        while (n < request.maxTokens()) {
            if (request.cancellation().isCancelled()) {
                reason = FinishReason.CANCELLED;
                break;
            }
            if (length >= maxContext) {
                reason = FinishReason.CONTEXT_FULL;
                break;
            }
            int d = 0;
            if (!logitsValid) {
                if (computed == length) computed = length - 1;
                restorePrefix();
                int pending = length - computed;
                if (maxDraft > 0 && pending == 1 && skip > 0) {
                    skip--;
                } else if (maxDraft > 0 && pending == 1) {
                    int room = Math.min(maxDraft, Math.min(request.maxTokens() - n - 1, maxContext - length - 1));
                    room = Math.min(room, capacity - 1);
                    d = Math.max(0, Math.min(room, request.drafter().draft(history, length, draft, room)));
                }
                if (d > 0) {
                    // pending token + draft in one batch, logits after each
                    ensureHistory(length + d);
                    System.arraycopy(draft, 0, history, length, d);
                    if (run(computed, 1 + d, allRows, 1 + d)) {
                        steps++;
                        drafted += d;
                    } else {
                        d = 0; // the scheduler took the cache back: recompute without a draft
                    }
                }
                if (d == 0) {
                    boolean prompt = length - computed > 1;
                    ensureLogits();
                    // a request starting the same way (same system prompt and tools) can share the prompt's blocks
                    // while this one decodes; publishing costs a reference count per block
                    if (prompt && n == 0) publishPrefix();
                }
            }
            int acceptedBefore = accepted;
            // walk the batch's logits rows: row j predicts the token after history[length - 1 + j]
            for (int j = 0; j <= d; j++) {
                if (j > 0 && request.cancellation().isCancelled()) {
                    reason = FinishReason.CANCELLED;
                    dropDraftFrom(j);
                    break generation;
                }
                int token;
                if (processed != null) {
                    // the processor sees exactly the tokens accepted so far, drafted or not
                    System.arraycopy(logits, j * vocab, processed, 0, vocab);
                    request.logitsProcessor().process(processed, history, length);
                    token = sampler.sample(processed, 0, history, length);
                } else {
                    token = sampler.sample(logits, j * vocab, history, length);
                }
                out[n] = token;
                logprobs[n] = sampler.lastLogprob();
                n++;
                boolean keep = j < d && token == draft[j];
                if (keep) {
                    accepted++;
                    length++; // the drafted token, already in history and computed
                } else {
                    dropDraftFrom(j);
                    ensureHistory(length + 1);
                    history[length++] = token;
                    logitsValid = false;
                }
                listener.onToken(token, sampler.lastLogprob());
                if (stops.contains(token)) {
                    reason = FinishReason.STOP_TOKEN;
                    if (keep) {
                        dropDraftFrom(j + 1);
                        logitsValid = false;
                    }
                    break generation;
                }
                if (!keep) break;
            }
            if (d > 0) {
                if (accepted == acceptedBefore) {
                    skip = backoff;
                    backoff = Math.min(2 * backoff, 32);
                } else {
                    backoff = 1;
                }
            }
        }
        lastSpeculation = new SpeculationStats(steps, drafted, accepted);
        publishPrefix();
        return new GenerationResult(Arrays.copyOf(out, n), Arrays.copyOf(logprobs, n), reason);
    }

    /**
     * Forgets the computed drafted tokens from draft index {@code j} on: only the pending token and the kept
     * drafts (now {@code history[..length)}) stay computed.
     */
    private void dropDraftFrom(int j) {
        computed = Math.min(computed, length);
    }

    /** Acceptance figures of the last {@link #generate} (zeros when it drafted nothing). */
    public SpeculationStats lastSpeculation() {
        return lastSpeculation;
    }

    /** Greedy next token of the current logits (argmax). */
    public int argmax() {
        ensureLogits();
        return Ops.argmax(logits, config.vocabSize());
    }

    /** Bytes of key/value cache currently allocated. */
    public long cacheBytes() {
        long total = 0;
        for (var kv : cache) total += kv.allocatedBytes();
        return total;
    }

    /** Bytes of the session's working buffers (activations, logits, scratch), not counting the cache. */
    public long bufferBytes() {
        return state == null ? 4L * logits.length : state.bufferBytes();
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("session is closed");
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (scheduler != null) scheduler.leave(this);
        else pool.close();
        for (KvBuffer kv : cache) kv.close();
    }
}
