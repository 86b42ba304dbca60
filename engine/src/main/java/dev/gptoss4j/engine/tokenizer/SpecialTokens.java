package dev.gptoss4j.engine.tokenizer;

/**
 * The ids of o200k_harmony's special tokens. Ordinary text never encodes to one of these; they enter a
 * token stream only through {@link Tokenizer#special(String)} or these constants.
 */
public final class SpecialTokens {
    public static final int START_OF_TEXT = 199998;
    public static final int END_OF_TEXT = 199999;
    public static final int RETURN = 200002;
    public static final int CONSTRAIN = 200003;
    public static final int CHANNEL = 200005;
    public static final int START = 200006;
    public static final int END = 200007;
    public static final int MESSAGE = 200008;
    public static final int CALL = 200012;

    /** First id that is not an ordinary o200k_base rank. */
    public static final int FIRST_SPECIAL = START_OF_TEXT;

    private SpecialTokens() {}

    /** The name of a special id: the named ones above, {@code <|reserved_N|>} for the rest. */
    public static String name(int id) {
        return switch (id) {
            case START_OF_TEXT -> "<|startoftext|>";
            case END_OF_TEXT -> "<|endoftext|>";
            case RETURN -> "<|return|>";
            case CONSTRAIN -> "<|constrain|>";
            case CHANNEL -> "<|channel|>";
            case START -> "<|start|>";
            case END -> "<|end|>";
            case MESSAGE -> "<|message|>";
            case CALL -> "<|call|>";
            default -> {
                if (id < FIRST_SPECIAL || id >= Tokenizer.VOCABULARY_SIZE) {
                    throw new IllegalArgumentException("not a special token id: " + id);
                }
                yield "<|reserved_" + id + "|>";
            }
        };
    }
}
