package dev.gptoss4j.tools.browser;

import java.util.List;

/**
 * An answer with its browser citations made readable: each resolvable {@code 【cursor†...】} replaced by
 * {@code  ([domain](url)) }, and the list of those replacements.
 */
public record CitedText(String text, List<Citation> citations) {

    public CitedText {
        citations = List.copyOf(citations);
    }
}
