package dev.gptoss4j.agent.vision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.agent.tool.Tool;
import dev.gptoss4j.agent.tool.ToolArguments;
import dev.gptoss4j.agent.tool.ToolException;
import dev.gptoss4j.agent.tool.ToolResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code functions.analyze_image}: how gpt-oss, which reads only text, learns what the user's images show. The
 * model calls it with an image id from the placeholders in the user's message and a question; a
 * {@link VisionModel} looks at the image and answers. A plain {@link Tool}: the agent loop runs it like any other.
 */
public final class AnalyzeImageTool implements Tool {

    public static final String NAME = "analyze_image";

    private final VisionModel vision;
    private final Map<String, Image> images;
    private final JsonNode parameters;

    /** @param images the images of the run by id ({@code image_1}...), in order */
    public AnalyzeImageTool(VisionModel vision, Map<String, Image> images) {
        this.vision = Objects.requireNonNull(vision, "vision");
        if (images.isEmpty()) throw new IllegalArgumentException("analyze_image needs at least one image");
        this.images = new LinkedHashMap<>(images);
        ObjectNode schema = new ObjectMapper().createObjectNode().put("type", "object");
        ObjectNode props = schema.putObject("properties");
        ObjectNode id = props.putObject("image_id")
                .put("type", "string")
                .put("description", "Which image: the id from the user's message, such as image_1.");
        var ids = id.putArray("enum");
        this.images.keySet().forEach(ids::add);
        props.putObject("question")
                .put("type", "string")
                .put("description", "What to find out about the image; ask for the details you need.");
        schema.putArray("required").add("image_id").add("question");
        schema.put("additionalProperties", false);
        this.parameters = schema;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Looks at an image the user attached and answers a question about it. You cannot see images "
                + "yourself: call this to learn what an image shows.";
    }

    @Override
    public JsonNode parameters() {
        return parameters.deepCopy();
    }

    @Override
    public ToolResult execute(ToolArguments arguments) {
        String id = arguments.text("image_id");
        String question = arguments.text("question");
        Image image = images.get(id == null ? "" : id.strip());
        if (image == null) {
            throw new ToolException(
                    "there is no image '" + id + "'; the attached images are " + String.join(", ", images.keySet()));
        }
        if (question == null || question.isBlank()) throw new ToolException("the question must not be blank");
        String answer;
        try {
            answer = vision.analyze(image, question);
        } catch (RuntimeException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new ToolException("the vision model could not look at " + id + ": " + why, e);
        }
        return ToolResult.of(answer);
    }
}
