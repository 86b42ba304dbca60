package dev.gptoss4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.gptoss4j.agent.hub.RepoId;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The download progress line fits the terminal it is drawn on, and whatever follows it starts a line of its own. */
class ProgressBarTest {

    private static final String LONG = "original/model-00007-of-00015.safetensors";

    @Test
    void theLineNeverReachesTheLastColumnWhateverTheWidth() {
        for (int columns : new int[] {20, 40, 60, 80, 100, 200}) {
            ProgressBar bar = new ProgressBar(new PrintWriter(new StringWriter()), columns);
            bar.onStart(RepoId.parse("openai/gpt-oss-120b"), "0123456789abcdef", 15, 65L << 30, 0);
            for (long done : new long[] {0, 1L << 20, 3L << 30, 4L << 30}) {
                String line = bar.render(LONG, done, 4L << 30, 48e6);
                assertTrue(line.length() <= columns - 1, columns + " columns: " + line.length() + " '" + line + "'");
                assertTrue(line.startsWith("[0/15] "), line);
            }
            String unknownSize = bar.render(LONG, 5_000_000, -1, 1e6);
            assertTrue(unknownSize.length() <= columns - 1, columns + ": " + unknownSize);
        }
    }

    @Test
    void wideTerminalsGetEverythingNarrowOnesTheEssentials() {
        ProgressBar wide = new ProgressBar(new PrintWriter(new StringWriter()), 160);
        String full = wide.render(LONG, 1L << 30, 4L << 30, 50L << 20);
        assertTrue(
                full.contains(LONG)
                        && full.contains("[#")
                        && full.contains("25% 1.0 GB / 4.0 GB")
                        && full.contains("50.0 MB/s")
                        && full.contains("left"),
                full);

        ProgressBar eighty = new ProgressBar(new PrintWriter(new StringWriter()), 80);
        String shard = "model-00001-of-00002.safetensors";
        String usual = eighty.render(shard, 1L << 30, 4L << 30, 50L << 20);
        assertTrue(
                usual.contains(" " + shard + " [#") && usual.contains("left"),
                "80 columns: name, bar, time left: " + usual);

        String slow = eighty.render(shard, 2L << 30, 4L << 30, 3L << 20);
        String fast = eighty.render(shard, 2L << 30, 4L << 30, 90L << 20);
        assertEquals(
                slow.indexOf(']'),
                fast.indexOf(']'),
                "the bar keeps its length as the speed changes:\n" + slow + "\n" + fast);

        ProgressBar narrow = new ProgressBar(new PrintWriter(new StringWriter()), 50);
        String cut = narrow.render(LONG, 1L << 30, 4L << 30, 50L << 20);
        assertTrue(cut.contains("25% 1.0 GB / 4.0 GB"), "the amount always stays: " + cut);
        assertTrue(cut.contains("…"), "the file name is shortened from the left: " + cut);
    }

    @Test
    void notesAndErrorsStartOnALineOfTheirOwn() {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        ProgressBar bar = new ProgressBar(out, 80);
        bar.onStart(RepoId.parse("openai/gpt-oss-20b"), "0123456789abcdef", 1, 1000, 0);
        bar.onFileStart("model.safetensors", 1000, 0);
        bar.onProgress("model.safetensors", 500, 1000);
        bar.clear();
        out.println("gptoss chat: the error");
        out.flush();
        String shown = text.toString();
        String afterBar = shown.substring(shown.lastIndexOf('\r') + 1);
        assertEquals("gptoss chat: the error\n", afterBar, "the bar was wiped and the cursor put back: " + shown);
        bar.onRetry("model.safetensors", 500, new java.io.IOException("reset"));
        assertTrue(text.toString().endsWith("\n"), "a note is a whole line");
    }

    @Test
    void columnsFallBackToTheEnvironmentThenEighty() {
        assertEquals(132, TerminalWidth.fromEnvironment("132"));
        assertEquals(80, TerminalWidth.fromEnvironment(null));
        assertEquals(80, TerminalWidth.fromEnvironment("wide"));
        assertEquals(80, TerminalWidth.fromEnvironment("3"));
    }
}
