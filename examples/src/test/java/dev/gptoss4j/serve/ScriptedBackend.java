package dev.gptoss4j.serve;

import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.backend.Completion;
import dev.gptoss4j.agent.backend.CompletionListener;
import dev.gptoss4j.agent.backend.CompletionRequest;
import dev.gptoss4j.agent.backend.HarmonyCompletion;
import dev.gptoss4j.agent.backend.MalformedCompletionException;
import dev.gptoss4j.engine.harmony.HarmonyRenderer;
import dev.gptoss4j.engine.harmony.HarmonyText;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A backend for server tests, safe for concurrent use: the script picks a completion (harmony text, special tokens
 * written literally) for each request, and it streams token by token through the real harmony parser with a
 * pause between tokens, polling the request's cancellation flag as a model would. It records what it was asked
 * and how many calls ran at once.
 */
final class ScriptedBackend implements Backend {

    private static final HarmonyRenderer RENDERER = HarmonyRenderer.create();

    private final Function<CompletionRequest, String> script;
    private final long nanosPerToken;
    final List<CompletionRequest> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger active;
    final AtomicInteger maxActive;
    final AtomicInteger cancelled = new AtomicInteger();
    final AtomicInteger finished = new AtomicInteger();
    /** When set, each call waits here before its first token (to keep a slot busy). */
    volatile CountDownLatch gate;

    ScriptedBackend(Function<CompletionRequest, String> script, long microsPerToken) {
        this(script, microsPerToken, new AtomicInteger(), new AtomicInteger());
    }

    /** Backends of one pool share the counters, so the test sees the pool's concurrency. */
    ScriptedBackend(
            Function<CompletionRequest, String> script,
            long microsPerToken,
            AtomicInteger active,
            AtomicInteger maxActive) {
        this.script = script;
        this.nanosPerToken = microsPerToken * 1000;
        this.active = active;
        this.maxActive = maxActive;
    }

    static ScriptedBackend fixed(String completion) {
        return new ScriptedBackend(r -> completion, 0);
    }

    @Override
    public Completion complete(CompletionRequest request, CompletionListener listener) {
        requests.add(request);
        int now = active.incrementAndGet();
        maxActive.accumulateAndGet(now, Math::max);
        try {
            CountDownLatch g = gate;
            if (g != null && !g.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("gate never opened");
            String text = script.apply(request);
            int prompt = RENDERER.renderForCompletion(request.conversation()).length;
            HarmonyCompletion completion = new HarmonyCompletion(RENDERER.tokenizer(), listener);
            for (int token : HarmonyText.tokenize(text, RENDERER.tokenizer())) {
                if (request.cancelled().getAsBoolean()) {
                    cancelled.incrementAndGet();
                    return completion.stopped(Completion.Finish.CANCELLED, prompt);
                }
                if (completion.tokenCount() >= request.maxTokens()) {
                    return completion.stopped(Completion.Finish.LENGTH, prompt);
                }
                if (nanosPerToken > 0) pause();
                if (completion.accept(token)) {
                    finished.incrementAndGet();
                    return completion.complete(prompt);
                }
            }
            throw new MalformedCompletionException(
                    "the completion ended without <|return|> or <|call|>", completion.text());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            active.decrementAndGet();
        }
    }

    private void pause() throws InterruptedException {
        Thread.sleep(java.time.Duration.ofNanos(nanosPerToken));
    }

    @Override
    public String describe() {
        return "scripted";
    }
}
