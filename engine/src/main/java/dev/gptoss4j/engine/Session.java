package dev.gptoss4j.engine;

import dev.gptoss4j.engine.kernels.Ops;
import dev.gptoss4j.engine.kernels.Parallel;
import dev.gptoss4j.engine.model.GptOssConfig;
import dev.gptoss4j.engine.sampling.Sampler;
import java.util.Arrays;
import java.util.Set;

/**
 * One sequence of tokens and its key/value cache. Tokens are added with {@link #prefill} or by
 * {@link #generate}; the session keeps its token history and computes lazily, so {@link #position()} counts
 * every token added even before it has been run through the model. Not thread-safe: one thread at a time
 * (use one session per conversation); {@link Cancellation} may be set from another thread.
 */
public final class Session implements AutoCloseable {

    private final GptOss model;
    private final Transformer transformer;
    private final GptOssConfig config;
    private final int maxContext;
    private final Parallel pool;
    private final Transformer.State state;
    private final Transformer.Bodies bodies;
    private int[] history = new int[64];
    private int length;        // tokens in the history
    private int computed;      // tokens whose keys/values are in the cache
    private boolean logitsValid; // state.logits belong to history[length-1]
    private boolean closed;

    Session(GptOss model, Transformer transformer, SessionOptions options) {
        this.model = model;
        this.transformer = transformer;
        this.config = transformer.config;
        int modelMax = config.maxContext();
        this.maxContext = options.maxContext() == 0 ? Math.min(SessionOptions.DEFAULT_MAX_CONTEXT, modelMax)
                : Math.min(options.maxContext(), modelMax);
        int threads = options.threads() == 0 ? Runtime.getRuntime().availableProcessors() : options.threads();
        this.pool = new Parallel(threads);
        this.state = new Transformer.State(config, maxContext, options.rewindSlack(), pool);
        this.bodies = new Transformer.Bodies(transformer, state);
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
                throw new IllegalArgumentException("token id " + t + " outside the vocabulary [0, "
                        + config.vocabSize() + ")");
            }
        }
        if (length + tokens.length > history.length) {
            history = Arrays.copyOf(history, Math.max(history.length * 2, length + tokens.length));
        }
        System.arraycopy(tokens, 0, history, length, tokens.length);
        length += tokens.length;
        if (tokens.length > 0) logitsValid = false;
    }

    /** The logits (one per vocabulary entry) predicting the token after the last one; a copy. */
    public float[] logits() {
        ensureLogits();
        return state.logits.clone();
    }

    /** Copies the logits into {@code out} (at least vocabulary size) without allocating. */
    public void logits(float[] out) {
        ensureLogits();
        System.arraycopy(state.logits, 0, out, 0, config.vocabSize());
    }

    /**
     * Forgets every token from position {@code n} on; later tokens are computed again from {@code n}. Rewinding
     * further back than the sliding-window layers keep (window + rewindSlack) recomputes the kept tokens.
     */
    public void rewind(int n) {
        checkOpen();
        if (n < 0 || n > length) throw new IllegalArgumentException("cannot rewind to " + n + " of " + length + " tokens");
        if (n == length) return;
        length = n;
        logitsValid = false;
        // recompute the last kept token so its logits are available again
        int resume = Math.min(computed, Math.max(0, n - 1));
        int needed = Math.max(0, resume - config.slidingWindow() + 1); // first key position `resume` attends to
        for (int l = 0; l < config.numLayers(); l++) {
            if (resume > 0 && needed < state.cache[l].oldestRetained(computed)) {
                resume = 0; // the ring buffer no longer holds keys that position `resume` attends to
                break;
            }
        }
        computed = resume;
    }

    private void ensureLogits() {
        checkOpen();
        if (length == 0) throw new IllegalStateException("no tokens in the session: prefill first");
        if (logitsValid) return;
        if (computed == length) computed = length - 1; // logits were not kept for the last token: run it again
        while (computed < length) {
            boolean last = computed == length - 1;
            transformer.forward(state, bodies, history[computed], computed, last);
            computed++;
        }
        logitsValid = true;
    }

    /**
     * Generates up to {@code request.maxTokens()} tokens after the current ones, passing each to {@code listener}
     * as it is chosen, and appends them to the session (a stop token too: rewind one to drop it).
     */
    public GenerationResult generate(GenerationRequest request, TokenListener listener) {
        checkOpen();
        Set<Integer> stops = request.stopTokens().isEmpty() ? model.defaultStopTokens() : request.stopTokens();
        Sampler sampler = new Sampler(request.sampler(), config.vocabSize());
        int[] out = new int[request.maxTokens()];
        float[] logprobs = new float[request.maxTokens()];
        float[] processed = request.logitsProcessor() == null ? null : new float[config.vocabSize()];
        int n = 0;
        StopReason reason = StopReason.MAX_TOKENS;
        while (n < request.maxTokens()) {
            if (request.cancellation().isCancelled()) {
                reason = StopReason.CANCELLED;
                break;
            }
            if (length >= maxContext) {
                reason = StopReason.CONTEXT_FULL;
                break;
            }
            ensureLogits();
            float[] logits = state.logits;
            if (processed != null) {
                System.arraycopy(logits, 0, processed, 0, processed.length);
                request.logitsProcessor().process(processed, history, length);
                logits = processed;
            }
            int token = sampler.sample(logits, history, length);
            out[n] = token;
            logprobs[n] = sampler.lastLogprob();
            n++;
            append(token);
            listener.onToken(token, sampler.lastLogprob());
            if (stops.contains(token)) {
                reason = StopReason.STOP_TOKEN;
                break;
            }
        }
        return new GenerationResult(Arrays.copyOf(out, n), Arrays.copyOf(logprobs, n), reason);
    }

    /** Greedy next token of the current logits (argmax). */
    public int argmax() {
        ensureLogits();
        return Ops.argmax(state.logits, config.vocabSize());
    }

    /** Bytes of key/value cache currently allocated. */
    public long cacheBytes() {
        long total = 0;
        for (var kv : state.cache) total += kv.allocatedBytes();
        return total;
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("session is closed");
    }

    @Override
    public void close() {
        closed = true;
        pool.close();
    }
}
