package dev.gptoss4j.examples;

import dev.gptoss4j.agent.backend.ReplayBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The recorded completions an example bot replays when no model is given. They ship inside the app jar, next to
 * the bot's class, so every bot runs out of the box; the tools still run for real on the recorded calls.
 */
public final class BundledReplay {

    private BundledReplay() {}

    /** The replay {@code name} from {@code owner}'s package. */
    public static ReplayBackend load(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(
                        "the example replay " + name + " of " + owner.getSimpleName() + " is missing from the jar");
            }
            return ReplayBackend.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the example replay " + name, e);
        }
    }
}
