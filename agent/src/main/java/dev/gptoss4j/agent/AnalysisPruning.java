package dev.gptoss4j.agent;

import dev.gptoss4j.engine.harmony.Channel;
import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * The harmony rule for chain of thought across turns: once the assistant has answered on the {@code final}
 * channel, its {@code analysis} messages up to that answer are no longer shown to the model. The current turn's
 * analysis (after the last final answer, including the thinking between tool calls) is kept, because the model
 * needs it to continue. The agent applies it before each completion; the OpenAI-compatible server applies it to the
 * history a client sends back.
 */
public final class AnalysisPruning {

    private AnalysisPruning() {}

    /** The conversation as the model should see it for its next completion. */
    static Conversation forSampling(Conversation conversation) {
        List<Message> messages = conversation.messages();
        List<Message> kept = prune(messages);
        return kept.size() == messages.size() ? conversation : Conversation.of(kept);
    }

    /** {@code messages} without the assistant's analysis that came before its last final answer. */
    public static List<Message> prune(List<Message> messages) {
        int lastFinal = -1;
        for (int i = messages.size() - 1; i >= 0; i--) {
            Message m = messages.get(i);
            if (m.role() == Role.ASSISTANT && Channel.FINAL.equals(m.channel())) {
                lastFinal = i;
                break;
            }
        }
        if (lastFinal < 0) return messages;
        List<Message> kept = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            boolean earlierAnalysis =
                    i < lastFinal && m.role() == Role.ASSISTANT && Channel.ANALYSIS.equals(m.channel());
            if (!earlierAnalysis) kept.add(m);
        }
        return kept;
    }
}
