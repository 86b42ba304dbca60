package dev.gptoss4j.agent;

import java.util.List;

/** Reads a run's event stream in tests. */
public final class AgentEvents {

    private AgentEvents() {}

    /** The text of all the deltas of {@code type} ({@code ReasoningDelta}, {@code FinalDelta}...), joined. */
    public static String join(List<AgentEvent> events, Class<?> type) {
        StringBuilder sb = new StringBuilder();
        for (AgentEvent e : events) {
            if (!type.isInstance(e)) continue;
            switch (e) {
                case AgentEvent.ReasoningDelta d -> sb.append(d.text());
                case AgentEvent.FinalDelta d -> sb.append(d.text());
                case AgentEvent.ToolArgumentsDelta d -> sb.append(d.text());
                default -> {}
            }
        }
        return sb.toString();
    }

    /** Where the first event of {@code type} stands, or -1. */
    public static int indexOf(List<AgentEvent> events, Class<?> type) {
        for (int i = 0; i < events.size(); i++) if (type.isInstance(events.get(i))) return i;
        return -1;
    }
}
