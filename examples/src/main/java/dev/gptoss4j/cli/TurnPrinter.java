package dev.gptoss4j.cli;

import dev.gptoss4j.agent.AgentEvent;
import dev.gptoss4j.agent.AgentListener;
import dev.gptoss4j.agent.ToolCall;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows an agent run as it streams, for {@code run} and {@code chat}: the answer on one writer; reasoning,
 * preambles, tool calls (one line each) and retries on another (the same one on a terminal). Reasoning is shown
 * (dim when {@code ansi}) or, hidden, summed up as a one-line "thought for N s" marker.
 */
final class TurnPrinter implements AgentListener {

    static final String DIM = "\u001B[2m";
    static final String RESET = "\u001B[0m";

    private final Sink answer;
    private final Sink side;
    private final boolean ansi;
    private final boolean marker;
    private final int width;
    private volatile boolean showReasoning;
    private long thinkingSince = -1;
    private boolean inCommentary;

    /**
     * @param answer        where the final answer streams
     * @param side          where everything else goes; may be {@code answer}
     * @param ansi          whether to dim what is not the answer (a terminal)
     * @param showReasoning whether to stream the reasoning
     * @param marker        whether hidden reasoning leaves a "thought for N s" line
     * @param width         the longest tool line, in characters
     */
    TurnPrinter(PrintWriter answer, PrintWriter side, boolean ansi, boolean showReasoning, boolean marker, int width) {
        this.answer = new Sink(answer);
        this.side = side == answer ? this.answer : new Sink(side);
        this.ansi = ansi;
        this.showReasoning = showReasoning;
        this.marker = marker;
        this.width = Math.max(40, width);
    }

    void showReasoning(boolean show) {
        this.showReasoning = show;
    }

    boolean showsReasoning() {
        return showReasoning;
    }

    @Override
    public void onEvent(AgentEvent event) {
        switch (event) {
            case AgentEvent.ReasoningDelta d -> reasoning(d.text());
            case AgentEvent.CommentaryDelta d -> {
                endReasoning();
                inCommentary = true;
                side.print(d.text());
            }
            case AgentEvent.FinalDelta d -> {
                endReasoning();
                endCommentary();
                answer.print(d.text());
            }
            case AgentEvent.ToolCallStarted s -> {
                endReasoning();
                endCommentary();
            }
            case AgentEvent.ToolCallFinished f -> {
                endReasoning();
                endCommentary();
                side.line(dim(toolLine(f.call(), width)));
            }
            case AgentEvent.Error e -> {
                endReasoning();
                endCommentary();
                side.line(dim("[retry " + e.attempt() + "] " + oneLine(e.message(), width)));
            }
            default -> {}
        }
    }

    /** The turn is over (answered, cancelled or failed): close what is open and end the last line. */
    void finish() {
        endReasoning();
        endCommentary();
        answer.endLine();
        side.endLine();
    }

    /** A note of the printer's kind (dim on a terminal) on its own line, such as "[cancelled]". */
    void note(String text) {
        side.line(dim(text));
    }

    private void reasoning(String text) {
        if (thinkingSince < 0) {
            endCommentary();
            thinkingSince = System.nanoTime();
            if (showReasoning) {
                side.endLine();
                if (ansi) side.print(DIM);
            }
        }
        if (showReasoning) side.print(text);
    }

    private void endReasoning() {
        if (thinkingSince < 0) return;
        double seconds = (System.nanoTime() - thinkingSince) / 1e9;
        thinkingSince = -1;
        if (showReasoning) {
            if (ansi) side.print(RESET);
            side.endLine();
        } else if (marker) {
            side.line(dim(String.format(Locale.ROOT, "[thought for %.1f s]", seconds)));
        }
    }

    private void endCommentary() {
        if (!inCommentary) return;
        inCommentary = false;
        side.endLine();
    }

    private String dim(String text) {
        return ansi ? DIM + text + RESET : text;
    }

    /** A tool call on one line: {@code [recipient arguments -> status] result}, cut to {@code width}. */
    static String toolLine(ToolCall call, int width) {
        String head = "[" + call.recipient() + " " + oneLine(call.arguments(), Math.max(20, width / 3)) + " -> "
                + call.status().name().toLowerCase(Locale.ROOT) + "] ";
        return head + oneLine(call.result(), Math.max(20, width - head.length()));
    }

    /** {@code text} on one line, cut to {@code max} characters with "..." when longer. */
    static String oneLine(String text, int max) {
        String t = text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
        return t.length() > max ? t.substring(0, Math.max(0, max - 3)) + "..." : t;
    }

    /** A writer that knows whether its last line is unfinished, so notes start on a line of their own. */
    private static final class Sink {
        private final PrintWriter out;
        private boolean midLine;

        Sink(PrintWriter out) {
            this.out = out;
        }

        void print(String text) {
            if (text.isEmpty()) return;
            out.print(text);
            out.flush();
            midLine = !text.endsWith("\n");
        }

        void line(String text) {
            endLine();
            out.println(text);
            out.flush();
        }

        void endLine() {
            if (!midLine) return;
            out.println();
            out.flush();
            midLine = false;
        }
    }
}
