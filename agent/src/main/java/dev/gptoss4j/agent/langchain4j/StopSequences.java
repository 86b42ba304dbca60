package dev.gptoss4j.agent.langchain4j;

import java.util.List;

/**
 * Watches answer text as it streams for the request's stop sequences. Text is passed on as soon as it can no longer
 * be the start of a stop sequence, so a caller never sees part of one; when one appears, the text before it is
 * the answer and generation should stop. Used by {@link GptOssChatModel} and by the OpenAI-compatible server's
 * {@code stop} parameter.
 */
public final class StopSequences {

    private final List<String> stops;
    private final int holdBack;
    private final StringBuilder text = new StringBuilder();
    private int released;
    private boolean stopped;

    public StopSequences(List<String> stops) {
        this.stops = stops == null
                ? List.of()
                : stops.stream().filter(s -> s != null && !s.isEmpty()).toList();
        this.holdBack = this.stops.stream().mapToInt(String::length).max().orElse(1) - 1;
    }

    public boolean active() {
        return !stops.isEmpty();
    }

    /** Adds streamed text; returns the part that is safe to show now (may be empty). */
    public String accept(String delta) {
        if (stopped) return "";
        text.append(delta);
        int cut = firstStop();
        if (cut >= 0) {
            stopped = true;
            text.setLength(cut);
            return release(cut);
        }
        return release(Math.max(released, text.length() - pendingPrefix()));
    }

    /** How many trailing characters could still be the start of a stop sequence. */
    private int pendingPrefix() {
        int longest = 0;
        for (String s : stops) {
            for (int k = Math.min(s.length() - 1, text.length()); k > longest; k--) {
                if (endsWith(s, k)) {
                    longest = k;
                    break;
                }
            }
        }
        return longest;
    }

    /** Whether a stop sequence was seen. */
    public boolean stopped() {
        return stopped;
    }

    /** At the end of the stream: whatever was held back (no stop sequence came). */
    public String flush() {
        return release(text.length());
    }

    /** The answer text: everything before the first stop sequence. */
    public String text() {
        return text.toString();
    }

    private int firstStop() {
        int best = -1;
        // a stop sequence can only end inside the new text, but may start in the held-back part
        int from = Math.max(0, released - holdBack);
        for (String s : stops) {
            int i = text.indexOf(s, from);
            if (i >= 0 && (best < 0 || i < best)) best = i;
        }
        return best;
    }

    /** Whether the text ends with the first {@code k} characters of {@code stop}. */
    private boolean endsWith(String stop, int k) {
        int start = text.length() - k;
        for (int i = 0; i < k; i++) {
            if (text.charAt(start + i) != stop.charAt(i)) return false;
        }
        return true;
    }

    private String release(int upTo) {
        if (upTo <= released) return "";
        String out = text.substring(released, upTo);
        released = upTo;
        return out;
    }
}
