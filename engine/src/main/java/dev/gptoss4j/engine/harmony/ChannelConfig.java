package dev.gptoss4j.engine.harmony;

import java.util.List;

/** The channels the system message announces, and whether every assistant message must name one. */
public record ChannelConfig(List<String> validChannels, boolean channelRequired) {

    public ChannelConfig {
        validChannels = List.copyOf(validChannels);
    }

    /** The channels gpt-oss was trained with: analysis, commentary, final (all required). */
    public static ChannelConfig standard() {
        return new ChannelConfig(Channel.ALL, true);
    }

    public static ChannelConfig require(String... channels) {
        return new ChannelConfig(List.of(channels), true);
    }
}
