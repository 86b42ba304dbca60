package dev.gptoss4j.serve.openai;

import dev.gptoss4j.agent.tool.Tool;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the OpenAI endpoints need to know besides the request.
 *
 * @param modelId           the model's name in {@code /v1/models} and in responses; requests naming another model get 404
 * @param defaultMaxTokens  tokens per model call when the request sets no limit
 * @param reasoningEffort   when the request names none
 * @param conversationDate  the system message's date ({@code 2025-08-05}), or {@code null} for the day of the request
 * @param builtInTools      server-side tools (namespaces {@code browser}, {@code python}) that a Responses request
 *                          may enable; they run here, their calls never reach the client
 * @param toolTimeout       per built-in tool call
 * @param maxSteps          most model calls per Responses request (each built-in tool call adds one)
 * @param maxRetries        model calls repeated after malformed output, when nothing was streamed yet
 * @param contextWindow     tokens the model's session holds (prompt and output together); a longer prompt, or one
 *                          that leaves no room for the {@code max_tokens} a request asks for, is a 400 naming the
 *                          numbers; 0 when unknown (replays, remote models): then nothing is checked here
 */
public record ApiSettings(
        String modelId,
        int defaultMaxTokens,
        ReasoningEffort reasoningEffort,
        String conversationDate,
        List<Tool> builtInTools,
        Duration toolTimeout,
        int maxSteps,
        int maxRetries,
        int contextWindow) {

    public ApiSettings {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(reasoningEffort, "reasoningEffort");
        builtInTools = List.copyOf(builtInTools);
        for (Tool t : builtInTools) {
            if (t.namespace().equals(Tool.FUNCTIONS)) {
                throw new IllegalArgumentException("built-in tool " + t.recipient()
                        + " is a function tool; built-ins live in the browser or python namespace");
            }
        }
        if (defaultMaxTokens <= 0) throw new IllegalArgumentException("defaultMaxTokens must be positive");
        if (maxSteps <= 0) throw new IllegalArgumentException("maxSteps must be positive");
        if (contextWindow < 0) throw new IllegalArgumentException("contextWindow must be >= 0 (0: unknown)");
    }

    public static ApiSettings defaults(String modelId) {
        return new ApiSettings(
                modelId, 4096, ReasoningEffort.MEDIUM, null, List.of(), Duration.ofSeconds(60), 10, 2, 0);
    }

    public ApiSettings withBuiltInTools(List<Tool> tools) {
        return new ApiSettings(
                modelId,
                defaultMaxTokens,
                reasoningEffort,
                conversationDate,
                tools,
                toolTimeout,
                maxSteps,
                maxRetries,
                contextWindow);
    }

    public ApiSettings withToolTimeout(Duration timeout) {
        return new ApiSettings(
                modelId,
                defaultMaxTokens,
                reasoningEffort,
                conversationDate,
                builtInTools,
                timeout,
                maxSteps,
                maxRetries,
                contextWindow);
    }

    public ApiSettings withConversationDate(String date) {
        return new ApiSettings(
                modelId,
                defaultMaxTokens,
                reasoningEffort,
                date,
                builtInTools,
                toolTimeout,
                maxSteps,
                maxRetries,
                contextWindow);
    }

    public ApiSettings withReasoningEffort(ReasoningEffort effort) {
        return new ApiSettings(
                modelId,
                defaultMaxTokens,
                effort,
                conversationDate,
                builtInTools,
                toolTimeout,
                maxSteps,
                maxRetries,
                contextWindow);
    }

    public ApiSettings withDefaultMaxTokens(int max) {
        return new ApiSettings(
                modelId,
                max,
                reasoningEffort,
                conversationDate,
                builtInTools,
                toolTimeout,
                maxSteps,
                maxRetries,
                contextWindow);
    }

    public ApiSettings withContextWindow(int tokens) {
        return new ApiSettings(
                modelId,
                defaultMaxTokens,
                reasoningEffort,
                conversationDate,
                builtInTools,
                toolTimeout,
                maxSteps,
                maxRetries,
                tokens);
    }

    /** The built-in tools of one namespace ({@code browser}, {@code python}). */
    public List<Tool> builtIns(String namespace) {
        return builtInTools.stream()
                .filter(t -> t.namespace().equals(namespace))
                .toList();
    }
}
