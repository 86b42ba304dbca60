package dev.gptoss4j.agent.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gptoss4j.engine.Cancellation;
import dev.gptoss4j.engine.GenerationRequest;
import dev.gptoss4j.engine.GptOss;
import dev.gptoss4j.engine.Scheduler;
import dev.gptoss4j.engine.Session;
import dev.gptoss4j.engine.SessionOptions;
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
import dev.gptoss4j.engine.sampling.SamplerConfig;
import dev.gptoss4j.engine.sampling.TopLogprobs;
import dev.gptoss4j.engine.tokenizer.SpecialTokens;
import dev.gptoss4j.engine.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The local engine at token level: render the conversation with the harmony renderer, generate with
 * {@link Session#generate} (the engine's one generation path: prompt-lookup speculation, logits processors), and
 * read the tokens back with the harmony stream parser (the same path as {@link ReplayBackend}). Sessions are kept
 * across calls: the prompt of the next call starts with the previous one's tokens, so only the new part (the tool
 * result, the next user message) is run through the model.
 *
 * <p>Sampling is constrained as {@link DecodingConstraints} say: by default a tool call's arguments follow the
 * tool's parameters schema and a structured answer its response format, so they always parse and validate
 * (logits of tokens that would break the JSON are set to negative infinity before sampling).
 *
 * <p>A backend from {@link #load} or {@link #of(GptOss, SamplerConfig, SessionOptions)} keeps one session with its
 * own worker threads: concurrent calls take turns. A backend {@link #shared shared} through a {@link Scheduler}
 * serves concurrent calls at once (several agents, one per thread): each call takes the idle session whose tokens
 * share the longest prefix with its prompt (or a new one), and the scheduler runs all of them in one batch per
 * step.
 */
public final class LocalEngineBackend implements Backend {

    /** Speculative draft tokens per step: prompt lookup finds repeated spans (tool output quoted back, JSON keys). */
    static final int DRAFT_TOKENS = 4;

    private final GptOss model;
    private final boolean ownsModel;
    private final SamplerConfig samplerConfig;
    private final Supplier<Session> sessionFactory;
    private final int maxSessions;
    private final int contextWindow; // every session's maxContext (one options for all)
    private final List<Session> sessions = new ArrayList<>();
    private final ArrayDeque<Session> idle = new ArrayDeque<>();
    private final HarmonyRenderer renderer;
    private final DecodingConstraints constraints;
    private final Map<String, Optional<JsonSchemaGrammar>> grammars = new ConcurrentHashMap<>();
    // one per session: a mask caches per grammar state and is not thread-safe; built on first use (the token trie
    // takes a moment)
    private final Map<Session, TokenMask> masks = new ConcurrentHashMap<>();
    private boolean closed;

    private LocalEngineBackend(
            GptOss model,
            boolean ownsModel,
            SamplerConfig sampler,
            Supplier<Session> sessions,
            int maxSessions,
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
            this.sessionFactory = sessions;
            this.maxSessions = maxSessions;
            Session first = sessions.get();
            this.contextWindow = first.maxContext();
            this.sessions.add(first);
            this.idle.add(first);
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

    public static LocalEngineBackend load(
            Path model, SamplerConfig sampler, SessionOptions options, DecodingConstraints constraints) {
        GptOss loaded = GptOss.load(model);
        return new LocalEngineBackend(loaded, true, sampler, () -> loaded.newSession(options), 1, constraints);
    }

    /** Uses an already loaded model, which stays open when this backend closes. */
    public static LocalEngineBackend of(GptOss model, SamplerConfig sampler, SessionOptions options) {
        return of(model, sampler, options, DecodingConstraints.defaults());
    }

    public static LocalEngineBackend of(
            GptOss model, SamplerConfig sampler, SessionOptions options, DecodingConstraints constraints) {
        return new LocalEngineBackend(model, false, sampler, () -> model.newSession(options), 1, constraints);
    }

    /**
     * One session of {@code scheduler} (which stays open when this backend closes): several such backends on one
     * scheduler (e.g. {@code serve --parallel N}) have their forward passes batched together.
     */
    public static LocalEngineBackend of(
            Scheduler scheduler, GptOss model, SamplerConfig sampler, SessionOptions options) {
        return new LocalEngineBackend(
                model, false, sampler, () -> scheduler.newSession(options), 1, DecodingConstraints.defaults());
    }

    /**
     * A backend for concurrent calls (agents running at once, sub-tasks fanned out): each call runs in its own
     * session of {@code scheduler}, up to {@code maxSessions} at once (more wait), reusing the idle session that
     * shares the longest prefix with its prompt. The scheduler stays open when this backend closes.
     */
    public static LocalEngineBackend shared(
            Scheduler scheduler, GptOss model, SamplerConfig sampler, SessionOptions options, int maxSessions) {
        return shared(scheduler, model, sampler, options, maxSessions, DecodingConstraints.defaults());
    }

    public static LocalEngineBackend shared(
            Scheduler scheduler,
            GptOss model,
            SamplerConfig sampler,
            SessionOptions options,
            int maxSessions,
            DecodingConstraints constraints) {
        if (maxSessions < 1) throw new IllegalArgumentException("maxSessions must be >= 1, got " + maxSessions);
        return new LocalEngineBackend(
                model, false, sampler, () -> scheduler.newSession(options), maxSessions, constraints);
    }

    /**
     * A backend with several sessions ({@link #shared}) serves concurrent calls, each in its own session, batched by
     * the scheduler; with one session, concurrent runs take turns (the agent then serializes their model calls).
     */
    @Override
    public boolean concurrentCalls() {
        return maxSessions > 1;
    }

    @Override
    public Completion complete(CompletionRequest request, CompletionListener listener) {
        int[] prompt = renderer.renderForCompletion(request.conversation());
        Session session = acquire(prompt);
        try {
            return completeTurn(session, prompt, request, listener);
        } finally {
            // the model's prefix cache then serves a fresh backend or session starting the same way (shared blocks)
            try {
                session.publishPrefix();
            } finally {
                release(session);
            }
        }
    }

    /** The idle session sharing the longest prefix with {@code prompt}, a new one, or (all busy) the next freed. */
    private synchronized Session acquire(int[] prompt) {
        while (true) {
            if (closed) throw new BackendException("the backend is closed");
            Session best = null;
            int bestCommon = -1;
            for (Session s : idle) {
                int common = commonPrefix(s.tokens(), prompt);
                if (common > bestCommon) {
                    best = s;
                    bestCommon = common;
                }
            }
            if (best != null && (bestCommon > 0 || sessions.size() >= maxSessions)) {
                idle.remove(best);
                return best;
            }
            if (sessions.size() < maxSessions) {
                Session s = sessionFactory.get();
                sessions.add(s);
                return s;
            }
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackendException("interrupted while waiting for a free session");
            }
        }
    }

    private synchronized void release(Session session) {
        if (closed) {
            session.close();
            return;
        }
        idle.addFirst(session);
        notifyAll();
    }

    private static int commonPrefix(int[] a, int[] b) {
        int n = Math.min(a.length, b.length);
        int i = 0;
        while (i < n && a[i] == b[i]) i++;
        return i;
    }

    private Completion completeTurn(
            Session session, int[] prompt, CompletionRequest request, CompletionListener listener) {
        if (prompt.length >= session.maxContext()) {
            throw new ContextOverflowException(
                    "the conversation is " + prompt.length + " tokens; the session holds " + "at most "
                            + session.maxContext(),
                    prompt.length,
                    session.maxContext());
        }
        reuseCachedPrefix(session, prompt);
        Constrainer constrainer = new Constrainer(session, request, listener);
        HarmonyCompletion completion = new HarmonyCompletion(renderer.tokenizer(), constrainer);
        int room = session.maxContext() - session.position();
        int limit = Math.min(request.maxTokens(), room);
        if (request.cancelled().getAsBoolean()) return completion.stopped(Completion.Finish.CANCELLED, prompt.length);
        // the parser decides where the turn ends: each token goes to it, and generation stops when it says so
        Cancellation stop = new Cancellation();
        RuntimeException[] failure = new RuntimeException[1];
        boolean[] done = new boolean[1];
        float[][] sampled = new float[1][];
        GenerationRequest generation = GenerationRequest.builder()
                .maxTokens(limit)
                .sampler(request.sampling().applyTo(samplerConfig))
                .stopTokens(Set.of(SpecialTokens.RETURN, SpecialTokens.CALL, SpecialTokens.END_OF_TEXT))
                .cancellation(stop)
                .logitsProcessor((logits, tokens, length) -> {
                    constrainer.mask(logits);
                    sampled[0] = logits; // the listener reads the row the token is drawn from, before the next row
                })
                .draftTokens(DRAFT_TOKENS)
                .build();
        session.generate(generation, (token, logprob) -> {
            if (done[0] || failure[0] != null) return;
            try {
                if (request.topLogprobs() >= 0) {
                    listener.onToken(tokenLogprob(token, logprob, sampled[0], request.topLogprobs()));
                }
                constrainer.accept(token);
                if (token == SpecialTokens.END_OF_TEXT) {
                    throw new MalformedCompletionException(
                            "the model ended the text (<|endoftext|>) inside its turn", completion.text());
                }
                done[0] = completion.accept(token);
            } catch (RuntimeException e) {
                failure[0] = e;
            }
            if (done[0] || failure[0] != null || request.cancelled().getAsBoolean()) stop.cancel();
        });
        if (failure[0] != null) throw failure[0];
        if (done[0]) return completion.complete(prompt.length);
        if (request.cancelled().getAsBoolean()) return completion.stopped(Completion.Finish.CANCELLED, prompt.length);
        return completion.stopped(Completion.Finish.LENGTH, prompt.length);
    }

    /**
     * Applies the constraint of the message being written: forced header tokens at the start of the reply, then,
     * once the parser reports a header (at {@code <|message|>}), the schema of the addressed tool or of the
     * response format. Sits between the harmony parser and the caller's listener to see the headers first.
     */
    private final class Constrainer implements CompletionListener {
        private final Session session;
        private final CompletionListener listener;
        private final Map<String, JsonNode> toolSchemas = new HashMap<>();
        private final List<String> toolNames = new ArrayList<>();
        private final JsonNode answerSchema;
        private TokenConstraint active;

        Constrainer(Session session, CompletionRequest request, CompletionListener listener) {
            this.session = session;
            Conversation conversation = request.conversation();
            this.listener = listener;
            DeveloperContent developer = developer(conversation);
            JsonNode answer = null;
            if (developer != null) {
                for (ToolDescription tool : developer.functionTools()) {
                    toolNames.add(tool.name());
                    toolSchemas.put("functions." + tool.name(), tool.parameters());
                }
                if (!developer.responseFormats().isEmpty())
                    answer = developer.responseFormats().getFirst().schema();
            }
            this.answerSchema = answer;
            Message last = conversation.messages().isEmpty()
                    ? null
                    : conversation.messages().getLast();
            Role lastRole = last == null ? null : last.role();
            ToolChoice choice = request.toolChoice();
            if (choice.mode() == ToolChoice.Mode.FUNCTION && toolNames.contains(choice.function())) {
                active = forcedToolCallHeader(List.of(choice.function()));
            } else if ((choice.forcesCall() || constraints.requireToolCall() && lastRole == Role.USER)
                    && !toolNames.isEmpty()) {
                active = forcedToolCallHeader(toolNames);
            } else if (constraints.answerAfterTools() && lastRole == Role.TOOL) {
                active = TokenConstraint.sequence(
                        TokenConstraint.forced(SpecialTokens.CHANNEL),
                        TokenConstraint.forced(renderer.tokenizer().encode(Channel.FINAL)),
                        TokenConstraint.forced(SpecialTokens.MESSAGE));
            }
        }

        /** {@code <|channel|>commentary to=functions.NAME <|constrain|>json<|message|>}, the model picking NAME. */
        private TokenConstraint forcedToolCallHeader(List<String> names) {
            List<String> headers = new ArrayList<>();
            for (String name : names) headers.add("commentary to=functions." + name + " ");
            return TokenConstraint.sequence(
                    TokenConstraint.forced(SpecialTokens.CHANNEL),
                    new GrammarConstraint(
                            masks(session), LiteralGrammar.of(headers).start(), SpecialTokens.CONSTRAIN),
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
                    grammar(schema == null ? EMPTY_OBJECT : schema)
                            .ifPresent(
                                    g -> active = new GrammarConstraint(masks(session), g.start(), SpecialTokens.CALL));
                } else if (recipient == null && Channel.FINAL.equals(header.channel()) && answerSchema != null) {
                    grammar(answerSchema)
                            .ifPresent(g ->
                                    active = new GrammarConstraint(masks(session), g.start(), SpecialTokens.RETURN));
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
        return new TokenLogprob(
                token,
                new String(bytes, java.nio.charset.StandardCharsets.UTF_8),
                bytes,
                t.isSpecial(token),
                logprob,
                top);
    }

    private static final JsonNode EMPTY_OBJECT =
            new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("type", "object");

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

    private TokenMask masks(Session session) {
        return masks.computeIfAbsent(session, s -> new TokenMask(TokenTrie.o200kHarmony()));
    }

    /** Keeps the tokens the session already computed for the same prompt prefix; appends the rest. */
    private static void reuseCachedPrefix(Session session, int[] prompt) {
        int common = commonPrefix(session.tokens(), prompt);
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
        return OptionalInt.of(contextWindow);
    }

    @Override
    public String describe() {
        return "local model " + model.source();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
            // sessions in use close when their call returns them
            for (Session s : idle) s.close();
            masks.clear();
            idle.clear();
            notifyAll();
        }
        if (ownsModel) model.close();
    }
}
