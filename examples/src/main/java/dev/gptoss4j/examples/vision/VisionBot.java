package dev.gptoss4j.examples.vision;

import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.vision.Image;
import dev.gptoss4j.agent.vision.UserInput;
import dev.gptoss4j.agent.vision.VisionModel;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.examples.BotConsole;
import dev.gptoss4j.examples.BundledReplay;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Images through a hand-off: gpt-oss reads only text, so the attached image becomes a placeholder in the user's
 * message and the model calls {@code functions.analyze_image}, which asks a vision model (a cloud one, or the
 * offline {@link ColourLayoutAnalyser}) and hands its answer back.
 *
 * <pre>{@code ./gptoss bots vision [--image FILE] [--vision-base-url URL --vision-model NAME] [--model MODEL ...]}</pre>
 */
public final class VisionBot {

    public static final String QUESTION = "Which country's flag is this?";

    /** The bundled picture: a flag drawn for this example. */
    public static final String IMAGE = "flag.png";

    private VisionBot() {}

    /** Asks {@code question} about {@code image}; the vision model's answers and the final answer go to {@code out}. */
    public static AgentResult run(
            Backend backend,
            ReasoningEffort effort,
            VisionModel vision,
            Image image,
            String question,
            PrintWriter out) {
        Agent agent = Agent.builder()
                .backend(backend)
                .vision(vision)
                .reasoningEffort(effort)
                .listener(BotConsole.listener(out))
                .build();
        BotConsole.task(out, question + "  [image_1: " + image.source() + ", seen by " + vision.name() + "]");
        AgentResult result = agent.run(UserInput.text(question).withImage(image));
        out.println();
        out.flush();
        return result;
    }

    /** The bundled picture. */
    public static Image bundledImage() {
        try (InputStream in = VisionBot.class.getResourceAsStream(IMAGE)) {
            if (in == null) throw new IllegalStateException("the example image " + IMAGE + " is missing from the jar");
            return Image.ofBytes(in.readAllBytes(), "image/png");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the example image " + IMAGE, e);
        }
    }

    /** What gpt-oss did with {@link #QUESTION} and the bundled image, recorded. */
    public static Backend replay() {
        return BundledReplay.load(VisionBot.class, "vision.replay");
    }
}
