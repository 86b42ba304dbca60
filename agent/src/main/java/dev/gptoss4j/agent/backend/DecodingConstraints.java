package dev.gptoss4j.agent.backend;

/**
 * What {@link LocalEngineBackend} enforces while sampling, by masking the logits (see
 * {@code dev.gptoss4j.engine.constrain}).
 *
 * @param schemas          when the model writes a message to {@code functions.NAME}, its content must be JSON
 *                         that matches that tool's parameters schema, followed by {@code <|call|>}; when it writes
 *                         on the final channel and the conversation has a response format, the answer must match
 *                         the format's schema, followed by {@code <|return|>}. Schemas the automaton cannot enforce
 *                         (see {@code JsonSchemaGrammar}) leave that tool or format unconstrained
 * @param requireToolCall  a reply to a user message starts with a call to one of the function tools (the model
 *                         picks which): the header {@code <|channel|>commentary to=functions.NAME
 *                         <|constrain|>json<|message|>} is forced
 * @param answerAfterTools a reply to a tool result is the final answer: {@code <|channel|>final<|message|>} is
 *                         forced (with {@link #requireToolCall}: exactly one round of tool calls)
 * @param maxWhitespace    whitespace bytes allowed at each place between JSON tokens (0: compact JSON)
 */
public record DecodingConstraints(
        boolean schemas, boolean requireToolCall, boolean answerAfterTools, int maxWhitespace) {

    public DecodingConstraints {
        if (maxWhitespace < 0) throw new IllegalArgumentException("maxWhitespace must be >= 0, got " + maxWhitespace);
    }

    /** Tool arguments and structured answers follow their schemas; the model chooses what to write. */
    public static DecodingConstraints defaults() {
        return new DecodingConstraints(true, false, false, 0);
    }

    /** Sampling as the model wants, nothing enforced. */
    public static DecodingConstraints none() {
        return new DecodingConstraints(false, false, false, 0);
    }

    public DecodingConstraints withRequireToolCall(boolean v) {
        return new DecodingConstraints(schemas, v, answerAfterTools, maxWhitespace);
    }

    public DecodingConstraints withAnswerAfterTools(boolean v) {
        return new DecodingConstraints(schemas, requireToolCall, v, maxWhitespace);
    }

    public DecodingConstraints withMaxWhitespace(int v) {
        return new DecodingConstraints(schemas, requireToolCall, answerAfterTools, v);
    }
}
