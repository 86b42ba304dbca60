package dev.gptoss4j.engine.harmony;

import java.util.List;

/**
 * The channels of gpt-oss's assistant messages, as the harmony format names them: the one place these names are
 * spelled (what a message's {@link MessageHeader#channel()} holds).
 */
public final class Channel {

    /** Chain of thought: never shown to users, dropped from the prompt once a final answer follows it. */
    public static final String ANALYSIS = "analysis";
    /** Tool calls and their results, and the user-visible preambles before calls. */
    public static final String COMMENTARY = "commentary";
    /** The answer shown to the user. */
    public static final String FINAL = "final";
    /** All three, in the order the system message announces them. */
    public static final List<String> ALL = List.of(ANALYSIS, COMMENTARY, FINAL);

    private Channel() {}
}
