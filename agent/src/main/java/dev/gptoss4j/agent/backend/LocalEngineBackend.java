package dev.gptoss4j.agent.backend;

import dev.gptoss4j.engine.GptOss;
import dev.gptoss4j.engine.Session;
import dev.gptoss4j.engine.SessionOptions;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gptoss4j.engine.constrain.GrammarConstraint;
import dev.gptoss4j.engine.constrain.JsonSchemaGrammar;
import dev.gptoss4j.engine.constrain.LiteralGrammar;
import dev.gptoss4j.engine.constrain.TokenConstraint;
import dev.gptoss4j.engine.constrain.TokenMask;
import dev.gptoss4j.engine.constrain.TokenTrie;
import dev.gptoss4j.engine.constrain.UnsupportedSchemaException;
import dev.gptoss4j.engine.harmony.Channel;
import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.DeveloperContent;
import dev.gptoss4j.engine.harmony.HarmonyRenderer;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.MessageHeader;
import dev.gptoss4j.engine.harmony.Role;
import dev.gptoss4j.engine.harmony.ToolDescription;
import dev.gptoss4j.engine.sampling.Sampler;
import dev.gptoss4j.engine.sampling.SamplerConfig;
import dev.gptoss4j.engine.sampling.TopLogprobs;
import dev.gptoss4j.engine.tokenizer.SpecialTokens;
import dev.gptoss4j.engine.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The local engine at token level: render the conversation with the harmony renderer, sample token by token, and
 * read the tokens back with the harmony stream parser (the same path as {@link ReplayBackend}). One session is
 * kept across calls: the prompt of the next call starts with the previous one's tokens, so only the new part (the
 * tool result, the next user message) is run through the model.
 *
 * <p>Sampling is constrained as {@link DecodingConstraints} say: by default a tool call's arguments follow the
 * tool's parameters schema and a structured answer its response format, so they always parse and validate
 * (logits of tokens that would break the JSON are set to negative infinity before sampling).
 *
 * <p>Not thread-safe: one agent run at a time per backend.
 */
public final class LocalEngineBackend implements Backend {

    private final GptOss model;
    private final boolean ownsModel;
    private final SamplerConfig samplerConfig;
    private final Session session;
    private final HarmonyRenderer renderer;
    private final DecodingConstraints constraints;
    private final Map<String, Optional<JsonSchemaGrammar>> grammars = new HashMap<>();
    private TokenMask masks; // built on first use: the token trie takes a moment

    private LocalEngineBackend(GptOss model, boolean ownsModel, SamplerConfig sampler, SessionOptions options,
                               DecodingConstraints constraints) {
        try {
            int vocab = model.config().vocabSize();
            if (vocab < Tokenizer.VOCABULARY_SIZE) {
                throw new BackendException("model " + model.source() + " has a vocabulary of " + vocab
                        + " tokens; harmony prompts need the o200k_harmony vocabulary of "
                        + Tokenizer.VOCABULARY_SIZE);
            }
            this.samplerConfig = Objects.requireNonNull(sampler, "sampler");
            this.constraints = Objects.requireNonNull(constraints, "constraints");
            this.session = model.newSession(options);
        } catch (RuntimeException e) {
            // a model loaded for this backend has no other owner to close it (its mapped weights, its threads)
            if (ownsModel) model.close();
            throw e;
        }
        this.model = model;
        this.ownsModel = ownsModel;
        this.renderer = HarmonyRenderer.create();
    }

    /** Loads a model (GGUF file or checkpoint directory) that this backend closes with itself. */
    public static LocalEngineBackend load(Path model, SamplerConfig sampler, SessionOptions options) {
        return load(model, sampler, options, DecodingConstraints.defaults());
    }

    public static LocalEngineBackend load(Path model, SamplerConfig sampler, SessionOptions options,
                                          DecodingConstraints constraints) {
        return new LocalEngineBackend(GptOss.load(model), true, sampler, options, constraints);
    }

    /** Uses an already loaded model, which stays open when this backend closes. */
    public static LocalEngineBackend of(GptOss model, SamplerConfig sampler, SessionOptions options) {
        return of(model, sampler, options, DecodingConstraints.defaults());
    }

    public static LocalEngineBackend of(GptOss model, SamplerConfig sampler, SessionOptions options,
                                        DecodingConstraints constraints) {
        return new LocalEngineBackend(model, false, sampler, options, constraints);
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
            throw new ContextOverflowException("the conversation is " + prompt.length + " tokens; the session holds "
                    + "at most " + session.maxContext(), prompt.length, session.maxContext());
        }
        reuseCachedPrefix(prompt);
        Constrainer constrainer = new Constrainer(request, listener);
        HarmonyCompletion completion = new HarmonyCompletion(renderer.tokenizer(), constrainer);
        Sampler sampler = new Sampler(request.sampling().applyTo(samplerConfig), model.config().vocabSize());
        float[] logits = new float[model.config().vocabSize()];
        int room = session.maxContext() - session.position();
        int limit = Math.min(request.maxTokens(), room);
        while (true) {
            if (request.cancelled().getAsBoolean()) return completion.stopped(Completion.Finish.CANCELLED, prompt.length);
            if (completion.tokenCount() >= limit) return completion.stopped(Completion.Finish.LENGTH, prompt.length);
            session.logits(logits);
            constrainer.mask(logits);
            int[] history = session.tokens();
            int token = sampler.sample(logits, history, history.length);
            if (request.topLogprobs() >= 0) listener.onToken(tokenLogprob(token, sampler.lastLogprob(), logits,
                    request.topLogprobs()));
            session.append(token);
            constrainer.accept(token);
            if (token == SpecialTokens.END_OF_TEXT) {
                throw new MalformedCompletionException("the model ended the text (<|endoftext|>) inside its turn",
                        completion.text());
            }
            if (completion.accept(token)) return completion.complete(prompt.length);
        }
    }

    /**
     * Applies the constraint of the message being written: forced header tokens at the start of the reply, then,
     * once the parser reports a header (at {@code <|message|>}), the schema of the addressed tool or of the
     * response format. Sits between the harmony parser and the caller's listener to see the headers first.
     */
    private final class Constrainer implements CompletionListener {
        private final CompletionListener listener;
        private final Map<String, JsonNode> toolSchemas = new HashMap<>();
        private final List<String> toolNames = new ArrayList<>();
        private final JsonNode answerSchema;
        private TokenConstraint active;

        Constrainer(CompletionRequest request, CompletionListener listener) {
            Conversation conversation = request.conversation();
            this.listener = listener;
            DeveloperContent developer = developer(conversation);
            JsonNode answer = null;
            if (developer != null) {
                for (ToolDescription tool : developer.functionTools()) {
                    toolNames.add(tool.name());
                    toolSchemas.put("functions." + tool.name(), tool.parameters());
                }
                if (!developer.responseFormats().isEmpty()) answer = developer.responseFormats().getFirst().schema();
            }
            this.answerSchema = answer;
            Message last = conversation.messages().isEmpty() ? null : conversation.messages().getLast();
            Role lastRole = last == null ? null : last.role();
            ToolChoice choice = request.toolChoice();
            if (choice.mode() == ToolChoice.Mode.FUNCTION && toolNames.contains(choice.function())) {
                active = forcedToolCallHeader(List.of(choice.function()));
            } else if ((choice.forcesCall() || constraints.requireToolCall() && lastRole == Role.USER)
                    && !toolNames.isEmpty()) {
                active = forcedToolCallHeader(toolNames);
            } else if (constraints.answerAfterTools() && lastRole == Role.TOOL) {
                active = TokenConstraint.sequence(TokenConstraint.forced(SpecialTokens.CHANNEL),
                        TokenConstraint.forced(renderer.tokenizer().encode(Channel.FINAL)),
                        TokenConstraint.forced(SpecialTokens.MESSAGE));
            }
        }

        /** {@code <|channel|>commentary to=functions.NAME <|constrain|>json<|message|>}, the model picking NAME. */
        private TokenConstraint forcedToolCallHeader(List<String> names) {
            List<String> headers = new ArrayList<>();
            for (String name : names) headers.add("commentary to=functions." + name + " ");
            return TokenConstraint.sequence(TokenConstraint.forced(SpecialTokens.CHANNEL),
                    new GrammarConstraint(masks(), LiteralGrammar.of(headers).start(), SpecialTokens.CONSTRAIN),
                    TokenConstraint.forced(renderer.tokenizer().encode("json")),
                    TokenConstraint.forced(SpecialTokens.MESSAGE));
        }

        void mask(float[] logits) {
            if (active != null && !active.isDone()) active.mask(logits);
        }

        void accept(int token) {
            if (active != null && !active.isDone()) active.accept(token);
        }

        @Override
        public void onMessageStart(MessageHeader header) {
            if (constraints.schemas()) {
                String recipient = header.recipient();
                if (recipient != null && toolSchemas.containsKey(recipient)) {
                    JsonNode schema = toolSchemas.get(recipient);
                    // a tool without parameters takes an empty object
                    grammar(schema == null ? EMPTY_OBJECT : schema).ifPresent(g ->
                            active = new GrammarConstraint(masks(), g.start(), SpecialTokens.CALL));
                } else if (recipient == null && Channel.FINAL.equals(header.channel()) && answerSchema != null) {
                    grammar(answerSchema).ifPresent(g ->
                            active = new GrammarConstraint(masks(), g.start(), SpecialTokens.RETURN));
                }
            }
            listener.onMessageStart(header);
        }

        @Override
        public void onContentDelta(MessageHeader header, String delta) {
            listener.onContentDelta(header, delta);
        }

        @Override
        public void onMessageEnd(Message message) {
            listener.onMessageEnd(message);
        }
    }

    /** The chosen token's log-probability and its position's {@code top} alternatives, for the listener. */
    private TokenLogprob tokenLogprob(int token, float logprob, float[] sampledLogits, int top) {
        List<TokenLogprob> alternatives = new ArrayList<>();
        TopLogprobs best = TopLogprobs.of(sampledLogits, top);
        for (int j = 0; j < best.tokens().length; j++) {
            alternatives.add(describe(best.tokens()[j], best.logprobs()[j], List.of()));
        }
        return describe(token, logprob, alternatives);
    }

    private TokenLogprob describe(int token, double logprob, List<TokenLogprob> top) {
        Tokenizer t = renderer.tokenizer();
        byte[] bytes = t.tokenBytes(token);
        return new TokenLogprob(token, new String(bytes, java.nio.charset.StandardCharsets.UTF_8), bytes,
                t.isSpecial(token), logprob, top);
    }

    private static final JsonNode EMPTY_OBJECT = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
            .put("type", "object");

    private static DeveloperContent developer(Conversation conversation) {
        for (Message m : conversation.messages()) {
            if (m.role() == Role.DEVELOPER) {
                for (var c : m.content()) if (c instanceof DeveloperContent d) return d;
            }
        }
        return null;
    }

    /** The compiled schema, or empty when the schema uses what the automaton cannot enforce. */
    private Optional<JsonSchemaGrammar> grammar(JsonNode schema) {
        return grammars.computeIfAbsent(schema.toString(), key -> {
            try {
                return Optional.of(JsonSchemaGrammar.compile(schema, constraints.maxWhitespace()));
            } catch (UnsupportedSchemaException e) {
                return Optional.empty();
            }
        });
    }

    private TokenMask masks() {
        if (masks == null) masks = new TokenMask(TokenTrie.o200kHarmony());
        return masks;
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

    /** The session's size ({@code SessionOptions.maxContext}): 8,192 tokens unless set otherwise. */
    @Override
    public OptionalInt contextWindow() {
        return OptionalInt.of(session.maxContext());
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
