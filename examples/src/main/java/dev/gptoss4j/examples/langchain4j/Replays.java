package dev.gptoss4j.examples.langchain4j;

import dev.gptoss4j.agent.backend.ReplayBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The recorded completions the examples replay when no model is given; they ship inside the app jar. */
final class Replays {

    private Replays() {}

    static ReplayBackend load(String name) {
        try (InputStream in = Replays.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("the example replay " + name + " is missing from the jar");
            return ReplayBackend.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the example replay " + name, e);
        }
    }
}
