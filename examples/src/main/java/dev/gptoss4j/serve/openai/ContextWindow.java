package dev.gptoss4j.serve.openai;

import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.HarmonyRenderer;
import dev.gptoss4j.serve.http.ApiException;

/**
 * The prompt against the model's context window, checked before any work: a prompt that does not fit, or leaves
 * less room than the reply's explicit token limit, is a 400 that names both numbers (OpenAI's
 * {@code context_length_exceeded}), not a failure halfway through generation.
 */
final class ContextWindow {

    private static final HarmonyRenderer RENDERER = HarmonyRenderer.create();

    private ContextWindow() {}

    /** Tokens of {@code text} in the model's tokenizer (reasoning text, for usage). */
    static int count(String text) {
        return text.isEmpty() ? 0 : RENDERER.tokenizer().encode(text).length;
    }

    /**
     * The tokens the reply may use: {@code requested} if given (it must fit next to the prompt), else the server's
     * default cut to the room the prompt leaves.
     *
     * @param promptField    the request field the prompt came from ({@code messages}, {@code input})
     * @param requestedField the request field of the limit ({@code max_tokens}, {@code max_output_tokens})
     */
    static int replyTokens(
            Conversation conversation,
            Integer requested,
            ApiSettings settings,
            String promptField,
            String requestedField) {
        int window = settings.contextWindow();
        int wanted = requested != null ? requested : settings.defaultMaxTokens();
        if (window == 0) return wanted;
        int prompt = RENDERER.renderForCompletion(conversation).length;
        if (prompt >= window) {
            throw new ApiException(
                    400,
                    "invalid_request_error",
                    "context_length_exceeded",
                    promptField,
                    "the prompt is " + prompt + " tokens; the model's context window is " + window + " tokens, which "
                            + "leaves no room for a reply: shorten '" + promptField + "'");
        }
        int room = window - prompt;
        if (requested != null && requested > room) {
            throw new ApiException(
                    400,
                    "invalid_request_error",
                    "context_length_exceeded",
                    requestedField,
                    "the prompt is " + prompt + " tokens and '" + requestedField + "' asks for " + requested
                            + " more, " + (prompt + requested) + " in all; the model's context window is " + window
                            + " tokens, so at most " + room + " are left for this prompt's reply");
        }
        return Math.min(wanted, room);
    }
}
