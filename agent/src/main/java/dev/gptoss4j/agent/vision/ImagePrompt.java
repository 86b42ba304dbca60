package dev.gptoss4j.agent.vision;

import dev.gptoss4j.agent.tool.Tool;
import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.Role;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A user turn with images, made ready for gpt-oss: each image becomes a short placeholder with its id in the user's
 * text, and {@link AnalyzeImageTool} is offered for the run. With up-front descriptions, the vision model describes
 * each image once and the description goes into the text too (the tool stays, for follow-up questions).
 *
 * <p>Ids go on across a conversation ({@code image_3} after two earlier images), so a resumed conversation never
 * has two different images under one id; images of earlier runs must be attached again to be looked at.
 *
 * @param text  the user's message text, placeholders included
 * @param tools the tools the run needs for its images (empty without images)
 */
public record ImagePrompt(String text, List<Tool> tools) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\[image_(\\d+)[:\\]]");
    static final String DESCRIBE = "Describe this image in detail: what it shows, any text in it (verbatim), "
            + "numbers, and anything notable.";

    public ImagePrompt {
        tools = List.copyOf(tools);
    }

    /**
     * @param history        the conversation this turn continues (empty for a new one)
     * @param vision         the model that looks at the images; required when there are images
     * @param describeUpFront whether to describe each image now and put the description in the text
     */
    public static ImagePrompt prepare(
            UserInput input, Conversation history, VisionModel vision, boolean describeUpFront) {
        if (input.images().isEmpty()) return new ImagePrompt(input.text(), List.of());
        if (vision == null) {
            throw new IllegalStateException(input.images().size() + " image(s) attached, but the agent has no "
                    + "vision model to look at them: set one with Agent.builder().vision(...)");
        }
        int next = lastImageNumber(history) + 1;
        Map<String, Image> byId = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder(input.text());
        for (Image image : input.images()) {
            String id = "image_" + next++;
            byId.put(id, image);
            text.append("\n\n[")
                    .append(id)
                    .append(": attached image, not shown to you; call ")
                    .append(AnalyzeImageTool.NAME)
                    .append(" with image_id \"")
                    .append(id)
                    .append("\" to ask about it]");
            if (describeUpFront) {
                String description;
                try {
                    description = vision.analyze(image, DESCRIBE).strip();
                } catch (RuntimeException e) {
                    description = "(no description: " + e.getMessage() + ")";
                }
                text.append("\n[")
                        .append(id)
                        .append(" described by a vision model: ")
                        .append(description)
                        .append(']');
            }
        }
        return new ImagePrompt(text.toString(), List.of(new AnalyzeImageTool(vision, byId)));
    }

    /** The highest image number mentioned in the conversation's user messages, 0 if none. */
    static int lastImageNumber(Conversation history) {
        int max = 0;
        if (history == null) return 0;
        for (Message m : history.messages()) {
            if (m.role() != Role.USER) continue;
            Matcher matcher = PLACEHOLDER.matcher(m.text());
            while (matcher.find()) {
                try {
                    max = Math.max(max, Integer.parseInt(matcher.group(1)));
                } catch (NumberFormatException ignored) {
                    // a number too long to be one of ours
                }
            }
        }
        return max;
    }
}
