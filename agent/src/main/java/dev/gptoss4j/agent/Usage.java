package dev.gptoss4j.agent;

/**
 * Tokens spent by a run.
 *
 * @param promptTokens     prompt tokens read, summed over model calls (each call re-reads the conversation)
 * @param completionTokens tokens the model generated
 * @param modelCalls       how many completions were requested
 */
public record Usage(long promptTokens, long completionTokens, int modelCalls) {

    public static final Usage ZERO = new Usage(0, 0, 0);

    public Usage plus(long prompt, long completion) {
        return new Usage(promptTokens + prompt, completionTokens + completion, modelCalls + 1);
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
