package dev.gptoss4j.agent.backend;

import dev.gptoss4j.engine.GptOss;
import dev.gptoss4j.engine.Session;
import dev.gptoss4j.engine.SessionOptions;
import dev.gptoss4j.engine.harmony.HarmonyRenderer;
import dev.gptoss4j.engine.sampling.Sampler;
import dev.gptoss4j.engine.sampling.SamplerConfig;
import dev.gptoss4j.engine.tokenizer.SpecialTokens;
import dev.gptoss4j.engine.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The local engine at token level: render the conversation with the harmony renderer, sample token by token, and
 * read the tokens back with the harmony stream parser (the same path as {@link ReplayBackend}). One session is
 * kept across calls: the prompt of the next call starts with the previous one's tokens, so only the new part (the
 * tool result, the next user message) is run through the model.
 *
 * <p>Not thread-safe: one agent run at a time per backend.
 */
public final class LocalEngineBackend implements Backend {

    private final GptOss model;
    private final boolean ownsModel;
    private final SamplerConfig samplerConfig;
    private final Session session;
    private final HarmonyRenderer renderer;

    private LocalEngineBackend(GptOss model, boolean ownsModel, SamplerConfig sampler, SessionOptions options) {
        int vocab = model.config().vocabSize();
        if (vocab < Tokenizer.VOCABULARY_SIZE) {
            if (ownsModel) model.close();
            throw new BackendException("model " + model.source() + " has a vocabulary of " + vocab
                    + " tokens; harmony prompts need the o200k_harmony vocabulary of " + Tokenizer.VOCABULARY_SIZE);
        }
        this.model = model;
        this.ownsModel = ownsModel;
        this.samplerConfig = Objects.requireNonNull(sampler, "sampler");
        this.session = model.newSession(options);
        this.renderer = HarmonyRenderer.create();
    }

    /** Loads a model (GGUF file or checkpoint directory) that this backend closes with itself. */
    public static LocalEngineBackend load(Path model, SamplerConfig sampler, SessionOptions options) {
        return new LocalEngineBackend(GptOss.load(model), true, sampler, options);
    }

    /** Uses an already loaded model, which stays open when this backend closes. */
    public static LocalEngineBackend of(GptOss model, SamplerConfig sampler, SessionOptions options) {
        return new LocalEngineBackend(model, false, sampler, options);
    }

    @Override
    public Completion complete(CompletionRequest request, CompletionListener listener) {
        try {
            return completeTurn(request, listener);
        } finally {
            // the model's prefix cache then serves a fresh backend or session starting the same way
            session.publishPrefix();
        }
    }

    private Completion completeTurn(CompletionRequest request, CompletionListener listener) {
        int[] prompt = renderer.renderForCompletion(request.conversation());
        if (prompt.length >= session.maxContext()) {
            throw new BackendException("the conversation is " + prompt.length + " tokens; the session holds at most "
                    + session.maxContext());
        }
        reuseCachedPrefix(prompt);
        HarmonyCompletion completion = new HarmonyCompletion(renderer.tokenizer(), listener);
        Sampler sampler = new Sampler(samplerConfig, model.config().vocabSize());
        float[] logits = new float[model.config().vocabSize()];
        int room = session.maxContext() - session.position();
        int limit = Math.min(request.maxTokens(), room);
        while (true) {
            if (request.cancelled().getAsBoolean()) return completion.stopped(Completion.Finish.CANCELLED, prompt.length);
            if (completion.tokenCount() >= limit) return completion.stopped(Completion.Finish.LENGTH, prompt.length);
            session.logits(logits);
            int[] history = session.tokens();
            int token = sampler.sample(logits, history, history.length);
            session.append(token);
            if (token == SpecialTokens.END_OF_TEXT) {
                throw new MalformedCompletionException("the model ended the text (<|endoftext|>) inside its turn",
                        completion.text());
            }
            if (completion.accept(token)) return completion.complete(prompt.length);
        }
    }

    /** Keeps the tokens the session already computed for the same prompt prefix; appends the rest. */
    private void reuseCachedPrefix(int[] prompt) {
        int[] cached = session.tokens();
        int common = 0;
        int max = Math.min(cached.length, prompt.length);
        while (common < max && cached[common] == prompt[common]) common++;
        // at least one prompt token must be (re)run so the logits predict the first new token
        if (common == prompt.length) common--;
        session.rewind(common);
        int[] rest = new int[prompt.length - common];
        System.arraycopy(prompt, common, rest, 0, rest.length);
        session.append(rest);
    }

    @Override
    public String describe() {
        return "local model " + model.source();
    }

    @Override
    public void close() {
        session.close();
        if (ownsModel) model.close();
    }
}
