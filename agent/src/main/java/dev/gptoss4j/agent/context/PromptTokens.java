package dev.gptoss4j.agent.context;

import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.HarmonyRenderer;
import dev.gptoss4j.engine.harmony.Message;

/**
 * Counts a prompt in tokens the way gpt-oss reads it: rendered in harmony and tokenized with o200k_harmony. Exact
 * for the local engine, replays and raw-completions servers (they read these very tokens); for chat-completions
 * servers, which render the same format from their own template, a close estimate.
 */
public final class PromptTokens {

    private final HarmonyRenderer renderer = HarmonyRenderer.create();

    /** The prompt for the assistant's next completion. */
    public int count(Conversation conversation) {
        return renderer.renderForCompletion(conversation).length;
    }

    /** One message as it adds to a prompt. */
    public int count(Message message) {
        return renderer.render(message).length;
    }
}
