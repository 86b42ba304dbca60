package dev.gptoss4j.cli;

import dev.gptoss4j.agent.vision.Image;
import dev.gptoss4j.agent.vision.OpenAiVisionModel;
import dev.gptoss4j.agent.vision.VisionModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options of {@code gptoss run} for images and the vision model that looks at them. */
final class VisionOptions {

    @Option(
            names = "--image",
            paramLabel = "FILE|URL",
            description = "Attach an image (repeatable); the model asks the vision model about it.")
    List<String> images = new ArrayList<>();

    @Option(
            names = "--vision-base-url",
            paramLabel = "URL",
            description = "OpenAI-compatible server of the vision model (default: $OPENAI_BASE_URL or "
                    + OpenAiVisionModel.OPENAI_BASE_URL + ").")
    String baseUrl;

    @Option(
            names = "--vision-model",
            paramLabel = "NAME",
            description = "Vision model (default: $GPTOSS_VISION_MODEL or " + OpenAiVisionModel.DEFAULT_MODEL + ").")
    String model;

    @Option(names = "--vision-api-key", paramLabel = "KEY", description = "Its API key (default: $OPENAI_API_KEY).")
    String apiKey;

    @Option(
            names = "--vision-api",
            paramLabel = "chat|responses",
            description = "Chat Completions (default) or the Responses API.")
    String api;

    @Option(
            names = "--describe-images",
            description = "Describe each image up front and give gpt-oss the description as text.")
    boolean describe;

    List<Image> images() {
        List<Image> out = new ArrayList<>();
        for (String i : images) {
            out.add(
                    i.startsWith("http://") || i.startsWith("https://") || i.startsWith("data:")
                            ? Image.ofUrl(i)
                            : Image.ofFile(Path.of(i)));
        }
        return out;
    }

    /** The vision model, or null when no image is attached. */
    VisionModel model() {
        if (images.isEmpty()) return null;
        OpenAiVisionModel.Builder b = OpenAiVisionModel.builder().fromEnvironment(System.getenv());
        if (baseUrl != null) b.baseUrl(baseUrl);
        if (model != null) b.model(model);
        if (apiKey != null) b.apiKey(apiKey);
        if (api != null) b.api(OpenAiVisionModel.Api.parse(api));
        return b.build();
    }
}
