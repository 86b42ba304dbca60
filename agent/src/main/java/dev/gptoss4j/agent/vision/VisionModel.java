package dev.gptoss4j.agent.vision;

/**
 * A model that can look at images: a cloud vision model ({@link OpenAiVisionModel}) or any LangChain4j chat model
 * that accepts images ({@link LangChain4jVisionModel}). gpt-oss reads only text; it asks a vision model about the
 * user's images through {@link AnalyzeImageTool}.
 */
public interface VisionModel {

    /**
     * Answers {@code question} about {@code image}.
     *
     * @throws VisionException when no answer can be had (the provider failed, the image is too big)
     */
    String analyze(Image image, String question);

    /** A short name for messages ({@code openai gpt-4o-mini}). */
    default String name() {
        return getClass().getSimpleName();
    }
}
