package dev.gptoss4j.engine.tokenizer;

/** What decoding does with a special token (an id at or above {@link SpecialTokens#FIRST_SPECIAL}). */
public enum SpecialTokenMode {
    /** Write its name, such as {@code <|start|>}: the text shows the harmony structure. */
    NAME,
    /** Leave it out: only the ordinary text remains. */
    SKIP,
    /** Throw an {@link IllegalArgumentException}: the ids were expected to be ordinary text only. */
    REJECT
}
