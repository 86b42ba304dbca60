package dev.gptoss4j.examples;

import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.Message;
import java.io.StringWriter;
import java.util.List;

/** Reads conversations and buffers output, for the bots' tests ({@link dev.gptoss4j.cli.CliRun} runs the app). */
public final class Cli {

    private Cli() {}

    /** The texts of the messages a tool sent back to the model ({@code functions.get_weather}, {@code python}). */
    public static List<String> toolMessages(Conversation c, String tool) {
        return c.messages().stream()
                .filter(m -> tool.equals(m.author().name()))
                .map(Message::text)
                .toList();
    }

    /** A printer the bots can write to, read with {@code toString()}. */
    public static StringWriter buffer() {
        return new StringWriter();
    }
}
