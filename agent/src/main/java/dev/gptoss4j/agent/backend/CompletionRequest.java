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
 */
public record CompletionRequest(Conversation conversation, int maxTokens, BooleanSupplier cancelled,
                                SamplingParameters sampling) {

    public CompletionRequest {
        Objects.requireNonNull(conversation, "conversation");
        if (maxTokens <= 0) throw new IllegalArgumentException("maxTokens must be positive, got " + maxTokens);
        if (cancelled == null) cancelled = () -> false;
        if (sampling == null) sampling = SamplingParameters.DEFAULT;
    }

    /** A call with the backend's own sampling settings. */
    public CompletionRequest(Conversation conversation, int maxTokens, BooleanSupplier cancelled) {
        this(conversation, maxTokens, cancelled, SamplingParameters.DEFAULT);
    }
}
