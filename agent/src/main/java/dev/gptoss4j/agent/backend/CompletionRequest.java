package dev.gptoss4j.agent.backend;

import dev.gptoss4j.engine.harmony.Conversation;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * One model call.
 *
 * @param conversation what the model sees (earlier turns' analysis already dropped); function tools and response
 *                     formats are in its developer message, for backends that constrain sampling
 * @param maxTokens    most tokens to generate in this call
 * @param cancelled    polled between tokens; when true the backend stops with {@link Completion.Finish#CANCELLED}
 * @param sampling     this call's overrides of the backend's sampling settings ({@link SamplingParameters#DEFAULT}
 *                     for none)
 * @param toolChoice   whether the reply must call a function tool ({@link ToolChoice#AUTO}: the model decides)
 * @param topLogprobs  -1: no log-probabilities; 0..20: report each generated token's log-probability and this many
 *                     alternatives through {@link CompletionListener#onToken} (backends that sample themselves)
 */
public record CompletionRequest(
        Conversation conversation,
        int maxTokens,
        BooleanSupplier cancelled,
        SamplingParameters sampling,
        ToolChoice toolChoice,
        int topLogprobs) {

    public CompletionRequest {
        Objects.requireNonNull(conversation, "conversation");
        if (maxTokens <= 0) throw new IllegalArgumentException("maxTokens must be positive, got " + maxTokens);
        if (cancelled == null) cancelled = () -> false;
        if (sampling == null) sampling = SamplingParameters.DEFAULT;
        if (toolChoice == null) toolChoice = ToolChoice.AUTO;
        if (topLogprobs < -1 || topLogprobs > 20) {
            throw new IllegalArgumentException("topLogprobs must be -1 (none) or 0..20, got " + topLogprobs);
        }
    }

    /** A call with these sampling overrides; the model chooses whether to call tools; no log-probabilities. */
    public CompletionRequest(
            Conversation conversation, int maxTokens, BooleanSupplier cancelled, SamplingParameters sampling) {
        this(conversation, maxTokens, cancelled, sampling, ToolChoice.AUTO, -1);
    }

    /** A call with the backend's own sampling settings. */
    public CompletionRequest(Conversation conversation, int maxTokens, BooleanSupplier cancelled) {
        this(conversation, maxTokens, cancelled, SamplingParameters.DEFAULT);
    }

    public CompletionRequest withToolChoice(ToolChoice choice) {
        return new CompletionRequest(conversation, maxTokens, cancelled, sampling, choice, topLogprobs);
    }

    /** This call reporting log-probabilities with {@code top} alternatives per token (0..20; -1: none). */
    public CompletionRequest withTopLogprobs(int top) {
        return new CompletionRequest(conversation, maxTokens, cancelled, sampling, toolChoice, top);
    }
}
