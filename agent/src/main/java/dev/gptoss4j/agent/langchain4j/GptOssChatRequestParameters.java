package dev.gptoss4j.agent.langchain4j;

import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import java.util.Objects;

/**
 * LangChain4j request parameters plus what only gpt-oss has: the reasoning effort of the harmony system message and
 * the sampler's seed. Use them in a {@link dev.langchain4j.model.chat.request.ChatRequest} or as a model's defaults.
 *
 * <pre>{@code
 * ChatRequest request = ChatRequest.builder()
 *     .messages(UserMessage.from("Why is the sky blue?"))
 *     .parameters(GptOssChatRequestParameters.builder().reasoningEffort(ReasoningEffort.HIGH).seed(42L).build())
 *     .build();
 * }</pre>
 */
public class GptOssChatRequestParameters extends DefaultChatRequestParameters {

    private final ReasoningEffort reasoningEffort;
    private final Long seed;

    protected GptOssChatRequestParameters(Builder builder) {
        super(builder);
        this.reasoningEffort = builder.reasoningEffort;
        this.seed = builder.seed;
    }

    /** How long the model thinks before answering; {@code null} for the model's default. */
    public ReasoningEffort reasoningEffort() {
        return reasoningEffort;
    }

    /** The seed of the random draw; {@code null} for the model's default. */
    public Long seed() {
        return seed;
    }

    /** These parameters with the non-null ones of {@code that} on top (gpt-oss ones included). */
    @Override
    public GptOssChatRequestParameters overrideWith(ChatRequestParameters that) {
        return builder().overrideWith(this).overrideWith(that).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GptOssChatRequestParameters that
                && super.equals(o)
                && reasoningEffort == that.reasoningEffort
                && Objects.equals(seed, that.seed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), reasoningEffort, seed);
    }

    @Override
    public String toString() {
        return "GptOssChatRequestParameters{" + super.toString() + ", reasoningEffort=" + reasoningEffort + ", seed="
                + seed + "}";
    }

    public static class Builder extends DefaultChatRequestParameters.Builder<Builder> {

        private ReasoningEffort reasoningEffort;
        private Long seed;

        @Override
        public Builder overrideWith(ChatRequestParameters parameters) {
            super.overrideWith(parameters);
            if (parameters instanceof GptOssChatRequestParameters p) {
                if (p.reasoningEffort() != null) reasoningEffort(p.reasoningEffort());
                if (p.seed() != null) seed(p.seed());
            }
            return this;
        }

        public Builder reasoningEffort(ReasoningEffort effort) {
            this.reasoningEffort = effort;
            return this;
        }

        public Builder seed(Long seed) {
            this.seed = seed;
            return this;
        }

        @Override
        public GptOssChatRequestParameters build() {
            return new GptOssChatRequestParameters(this);
        }
    }
}
