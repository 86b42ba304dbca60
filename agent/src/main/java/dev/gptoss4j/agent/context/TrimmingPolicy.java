package dev.gptoss4j.agent.context;

import dev.gptoss4j.engine.harmony.Channel;
import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link ContextPolicy#trimming()}: gives up the least useful tokens first. Chain of thought from earlier in the
 * current turn goes before anything the model was told, and old tool output (a browsed page, a long print) is cut to
 * its head before the run gives up; the newest tool result stays whole, since the model is about to read it.
 */
final class TrimmingPolicy implements ContextPolicy {

    static final int DEFAULT_KEEP_CHARS = 400;

    private final int keepChars;

    TrimmingPolicy(int keepChars) {
        if (keepChars < 0) throw new IllegalArgumentException("keepChars must be >= 0, got " + keepChars);
        this.keepChars = keepChars;
    }

    @Override
    public Fitted fit(Conversation conversation, int maxPromptTokens, PromptTokens tokens) {
        int total = tokens.count(conversation);
        if (total <= maxPromptTokens) return new Fitted(conversation, total, "");
        int before = total;
        List<Message> messages = new ArrayList<>(conversation.messages());

        // 1. analysis before the newest: the model already acted on it
        int newestAnalysis = -1;
        for (int i = messages.size() - 1; i >= 0 && newestAnalysis < 0; i--) {
            if (isAnalysis(messages.get(i))) newestAnalysis = i;
        }
        int droppedAnalysis = 0;
        for (int i = newestAnalysis - 1; i >= 0 && total > maxPromptTokens; i--) {
            if (isAnalysis(messages.get(i))) {
                total -= tokens.count(messages.remove(i));
                droppedAnalysis++;
            }
        }

        // 2. old tool results, oldest first, cut to their head; the newest stays whole
        int newestTool = -1;
        for (int i = messages.size() - 1; i >= 0 && newestTool < 0; i--) {
            if (messages.get(i).role() == Role.TOOL) newestTool = i;
        }
        int shortened = 0;
        for (int i = 0; i < newestTool && total > maxPromptTokens; i++) {
            Message m = messages.get(i);
            if (m.role() != Role.TOOL || m.text().length() <= keepChars + NOTE_ALLOWANCE) continue;
            Message cut = shorten(m);
            total += tokens.count(cut) - tokens.count(m);
            messages.set(i, cut);
            shortened++;
        }
        if (total > maxPromptTokens) return null;
        Conversation fitted = Conversation.of(messages);
        // per-message sums can differ from the whole render at the edges: trust only the whole
        total = tokens.count(fitted);
        if (total > maxPromptTokens) return null;
        return new Fitted(fitted, total, describe(before, total, droppedAnalysis, shortened));
    }

    /** A note costs about this many characters: shortening a text barely longer would not save anything. */
    private static final int NOTE_ALLOWANCE = 160;

    private Message shorten(Message m) {
        String text = m.text();
        String note = "\n[tool output shortened to its first " + keepChars + " of " + text.length()
                + " characters to keep the conversation within the context window; run the tool again if the rest"
                + " is needed]";
        return Message.builder(m.author())
                .recipient(m.recipient())
                .channel(m.channel())
                .contentType(m.contentType())
                .text(text.substring(0, keepChars) + note)
                .build();
    }

    private static boolean isAnalysis(Message m) {
        return m.role() == Role.ASSISTANT && Channel.ANALYSIS.equals(m.channel()) && m.recipient() == null;
    }

    private static String describe(int before, int after, int droppedAnalysis, int shortened) {
        List<String> parts = new ArrayList<>();
        if (droppedAnalysis > 0)
            parts.add("dropped " + droppedAnalysis + " analysis message" + (droppedAnalysis == 1 ? "" : "s"));
        if (shortened > 0) parts.add("shortened " + shortened + " tool result" + (shortened == 1 ? "" : "s"));
        return String.join(", ", parts) + " (" + before + " -> " + after + " prompt tokens)";
    }
}
