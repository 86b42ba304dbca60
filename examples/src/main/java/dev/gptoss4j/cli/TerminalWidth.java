package dev.gptoss4j.cli;

import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/** How many columns the terminal has, for output that must fit on one line (progress, tool lines). */
final class TerminalWidth {

    static final int FALLBACK = 80;

    private TerminalWidth() {}

    /** JLine's reading of the terminal, else {@code $COLUMNS}, else {@value #FALLBACK}. */
    static int columns() {
        try (Terminal t = TerminalBuilder.builder().system(true).dumb(true).build()) {
            if (t.getWidth() > 0) return t.getWidth();
        } catch (Exception | LinkageError e) {
            // no terminal to ask: the environment's word, else the usual width
        }
        return fromEnvironment(System.getenv("COLUMNS"));
    }

    /** {@code $COLUMNS} when it is a sensible number, else {@value #FALLBACK}. */
    static int fromEnvironment(String columns) {
        try {
            int c = Integer.parseInt(columns == null ? "" : columns.strip());
            return c >= 20 && c <= 1000 ? c : FALLBACK;
        } catch (NumberFormatException e) {
            return FALLBACK;
        }
    }
}
