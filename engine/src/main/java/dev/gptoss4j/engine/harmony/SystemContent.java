package dev.gptoss4j.engine.harmony;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The content of the system message: model identity, knowledge cutoff, conversation start date, reasoning effort,
 * the built-in tools and the channel configuration. A {@code null} field is left out of the prompt.
 * {@link #defaults()} (and {@link #builder()}) start from openai/harmony's defaults: the ChatGPT identity,
 * cutoff 2024-06, medium effort and the three standard channels.
 *
 * @param tools tool namespaces by name; rendered in name order, as openai/harmony does
 */
public record SystemContent(
        String modelIdentity,
        ReasoningEffort reasoningEffort,
        String conversationStartDate,
        String knowledgeCutoff,
        ChannelConfig channelConfig,
        SortedMap<String, ToolNamespaceConfig> tools)
        implements Content {

    public static final String DEFAULT_MODEL_IDENTITY = "You are ChatGPT, a large language model trained by OpenAI.";
    public static final String DEFAULT_KNOWLEDGE_CUTOFF = "2024-06";

    public SystemContent {
        tools = tools == null ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(new TreeMap<>(tools));
    }

    public static SystemContent defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.modelIdentity = modelIdentity;
        b.reasoningEffort = reasoningEffort;
        b.conversationStartDate = conversationStartDate;
        b.knowledgeCutoff = knowledgeCutoff;
        b.channelConfig = channelConfig;
        b.tools.putAll(tools);
        return b;
    }

    /** Builds a {@link SystemContent}, starting from openai/harmony's defaults; pass {@code null} to leave a line out. */
    public static final class Builder {
        private String modelIdentity = DEFAULT_MODEL_IDENTITY;
        private ReasoningEffort reasoningEffort = ReasoningEffort.MEDIUM;
        private String conversationStartDate;
        private String knowledgeCutoff = DEFAULT_KNOWLEDGE_CUTOFF;
        private ChannelConfig channelConfig = ChannelConfig.standard();
        private final TreeMap<String, ToolNamespaceConfig> tools = new TreeMap<>();

        private Builder() {}

        public Builder modelIdentity(String identity) {
            this.modelIdentity = identity;
            return this;
        }

        public Builder reasoningEffort(ReasoningEffort effort) {
            this.reasoningEffort = effort;
            return this;
        }

        /** The date the conversation takes place, such as {@code 2025-06-28}. */
        public Builder conversationStartDate(String date) {
            this.conversationStartDate = date;
            return this;
        }

        public Builder knowledgeCutoff(String cutoff) {
            this.knowledgeCutoff = cutoff;
            return this;
        }

        public Builder channelConfig(ChannelConfig config) {
            this.channelConfig = config;
            return this;
        }

        public Builder requiredChannels(String... channels) {
            this.channelConfig = ChannelConfig.require(channels);
            return this;
        }

        /** Adds (or replaces, by name) a tool namespace. */
        public Builder tool(ToolNamespaceConfig namespace) {
            tools.put(namespace.name(), namespace);
            return this;
        }

        public Builder tools(Map<String, ToolNamespaceConfig> namespaces) {
            tools.clear();
            if (namespaces != null) tools.putAll(namespaces);
            return this;
        }

        public Builder browserTool() {
            return tool(ToolNamespaceConfig.browser());
        }

        public Builder pythonTool() {
            return tool(ToolNamespaceConfig.python());
        }

        public SystemContent build() {
            return new SystemContent(
                    modelIdentity, reasoningEffort, conversationStartDate, knowledgeCutoff, channelConfig, tools);
        }
    }

    /** Convenience for the channel list, empty when no channel configuration is set. */
    public List<String> validChannels() {
        return channelConfig == null ? List.of() : channelConfig.validChannels();
    }
}
