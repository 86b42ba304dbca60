package dev.gptoss4j.agent.vision;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a user says in one turn: text, and optionally images.
 *
 * <pre>{@code
 * agent.run(UserInput.text("What is on this receipt?").withImage(Image.ofFile(Path.of("receipt.jpg"))));
 * }</pre>
 */
public record UserInput(String text, List<Image> images) {

    public UserInput {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("the user's text must not be blank");
        images = List.copyOf(images == null ? List.of() : images);
    }

    public static UserInput text(String text) {
        return new UserInput(text, List.of());
    }

    /** A copy with one more image (numbered in the order attached: image_1, image_2, ...). */
    public UserInput withImage(Image image) {
        Objects.requireNonNull(image, "image");
        List<Image> more = new ArrayList<>(images);
        more.add(image);
        return new UserInput(text, more);
    }

    public UserInput withImages(List<Image> more) {
        List<Image> all = new ArrayList<>(images);
        all.addAll(more);
        return new UserInput(text, all);
    }
}
