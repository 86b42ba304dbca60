package dev.gptoss4j.agent.tool;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The tools of an agent, found by the recipient the model addresses. */
public final class ToolSet {

    private final Map<String, Tool> byRecipient = new LinkedHashMap<>();

    public ToolSet(Collection<? extends Tool> tools) {
        for (Tool t : tools) {
            Tool previous = byRecipient.put(t.recipient(), t);
            if (previous != null && previous != t) {
                throw new IllegalArgumentException("two tools have the recipient " + t.recipient());
            }
        }
    }

    /**
     * The tool the model addressed, or {@code null}. Models sometimes leave out the {@code functions.} prefix or
     * append a content type to the recipient ({@code functions.x json}); both are forgiven.
     */
    public Tool find(String recipient) {
        if (recipient == null) return null;
        String r = recipient.strip();
        int space = r.indexOf(' ');
        if (space > 0) r = r.substring(0, space);
        Tool t = byRecipient.get(r);
        if (t == null && !r.contains(".")) t = byRecipient.get(Tool.FUNCTIONS + "." + r);
        return t;
    }

    public List<Tool> all() {
        return List.copyOf(byRecipient.values());
    }

    /** The tools of one namespace, in the order they were given. */
    public List<Tool> namespace(String namespace) {
        List<Tool> out = new ArrayList<>();
        for (Tool t : byRecipient.values()) if (t.namespace().equals(namespace)) out.add(t);
        return out;
    }

    public boolean isEmpty() {
        return byRecipient.isEmpty();
    }
}
