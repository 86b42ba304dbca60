package dev.gptoss4j.engine;

import dev.gptoss4j.engine.kernels.KvPool;
import dev.gptoss4j.engine.kernels.KvType;
import dev.gptoss4j.engine.kernels.VectorModule;
import dev.gptoss4j.engine.model.GptOssConfig;
import dev.gptoss4j.engine.model.LoadedModel;
import dev.gptoss4j.engine.model.ModelLayout;
import dev.gptoss4j.engine.model.ModelLoader;
import dev.gptoss4j.engine.tokenizer.SpecialTokens;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A loaded gpt-oss model: weights memory-mapped and shared, immutable, safe to use from many threads; each
 * conversation runs in its own {@link Session}. Closing the model unmaps the files; close its sessions first.
 *
 * <pre>{@code
 * try (GptOss model = GptOss.load(Path.of("gpt-oss-20b"));
 *      Session session = model.newSession(SessionOptions.defaults())) {
 *     session.prefill(promptTokens);
 *     GenerationResult r = session.generate(GenerationRequest.builder().maxTokens(100).build(),
 *             (token, logprob) -> System.out.print(token + " "));
 * }
 * }</pre>
 */
public final class GptOss implements AutoCloseable {

    private final LoadedModel loaded;
    private final Transformer transformer;
    private final PrefixCache prefixCache = new PrefixCache(PrefixCache.DEFAULT_MAX_BYTES);
    private final java.util.EnumMap<KvType, KvPool> kvPools = new java.util.EnumMap<>(KvType.class);

    private GptOss(LoadedModel loaded) {
        this.loaded = loaded;
        this.transformer = new Transformer(loaded.config(), loaded.weights());
    }

    /**
     * The key/value caches of recent sequences its sessions share (see {@link SessionOptions#usePrefixCache()});
     * {@link PrefixCache#setMaxBytes} bounds its memory.
     */
    public PrefixCache prefixCache() {
        return prefixCache;
    }

    /**
     * Loads a model from a {@code .gguf} file or a checkpoint directory (openai/gpt-oss {@code original/} or
     * Hugging Face layout, detected from the tensor names).
     *
     * @throws dev.gptoss4j.engine.model.io.ModelFormatException when the files are missing, damaged or not gpt-oss
     * @throws IllegalStateException when the JVM lacks {@code --add-modules jdk.incubator.vector}
     */
    public static GptOss load(Path path) {
        VectorModule.require(); // a clear message now, not a NoClassDefFoundError at the first matrix multiply
        LoadedModel loaded = ModelLoader.load(path);
        try {
            return new GptOss(loaded);
        } catch (IllegalArgumentException e) {
            loaded.close();
            throw new dev.gptoss4j.engine.model.io.ModelFormatException(path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    public GptOssConfig config() {
        return loaded.config();
    }

    public ModelLayout layout() {
        return loaded.layout();
    }

    public Path source() {
        return loaded.source();
    }

    /** The token strings the file carries (GGUF), or an empty list. */
    public List<String> vocabulary() {
        return loaded.vocabulary();
    }

    /** {@code <|return|>}, {@code <|call|>} (when inside the vocabulary) and the end-of-sequence ids of the metadata. */
    public Set<Integer> defaultStopTokens() {
        Set<Integer> stops = new LinkedHashSet<>();
        int vocab = config().vocabSize();
        if (SpecialTokens.RETURN < vocab) stops.add(SpecialTokens.RETURN);
        if (SpecialTokens.CALL < vocab) stops.add(SpecialTokens.CALL);
        for (int id : config().eosTokenIds()) if (id >= 0 && id < vocab) stops.add(id);
        return Set.copyOf(stops);
    }

    /**
     * Weight bytes one decoded token reads: attention and router of every layer, the top-k experts' three
     * projections, the unembedding (the embedding row is negligible). Memory bandwidth divided by this bounds
     * decode speed.
     */
    public long weightBytesPerToken() {
        var w = loaded.weights();
        long bytes = w.unembedding().byteSize() + (long) config().hiddenSize() * 4;
        for (var layer : w.layers()) {
            bytes += layer.wq().byteSize()
                    + layer.wk().byteSize()
                    + layer.wv().byteSize()
                    + layer.wo().byteSize()
                    + layer.router().byteSize();
            bytes += (long) config().expertsPerToken()
                    * (layer.expertGate()[0].byteSize()
                            + layer.expertUp()[0].byteSize()
                            + layer.expertDown()[0].byteSize());
        }
        return bytes;
    }

    /**
     * The blocks of key/value cache of this model's sessions that store {@code type}, shared by all of them and
     * the prefix cache ({@link KvPool#setMaxBlocks} bounds it; cached prefixes are dropped before it runs out).
     */
    public synchronized KvPool kvPool(KvType type) {
        return kvPools.computeIfAbsent(type, t -> {
            KvPool pool = new KvPool(t, config().numKvHeads(), config().headDim());
            pool.setReclaimer(() -> prefixCache.evictOldest(pool));
            return pool;
        });
    }

    /** A session with its own worker threads and buffers. */
    public Session newSession(SessionOptions options) {
        return new Session(this, transformer, options, null);
    }

    /**
     * A scheduler that runs the forward passes of all its sessions together on {@code threads} workers
     * (0 = all processors): see {@link Scheduler}.
     */
    public Scheduler newScheduler(int threads) {
        return new Scheduler(this, transformer, threads, Scheduler.DEFAULT_BATCH_TOKENS);
    }

    public Session newSession() {
        return newSession(SessionOptions.defaults());
    }

    @Override
    public void close() {
        prefixCache.clear();
        synchronized (this) {
            kvPools.values().forEach(KvPool::close);
        }
        loaded.close();
    }
}
