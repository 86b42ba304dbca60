package dev.gptoss4j.cli;

import dev.gptoss4j.agent.hub.DownloadListener;
import dev.gptoss4j.agent.hub.RepoId;
import dev.gptoss4j.agent.hub.Snapshot;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line download progress display for a terminal: the current file, a bar, its percentage, bytes, speed and
 * time left, redrawn in place with carriage returns at most every {@code 200 ms}. The line never reaches the
 * terminal's last column (a full line would wrap and scroll a new line per redraw): the speed, time left and bar
 * are dropped or shortened as the width requires. Whatever is printed next (a note, an error) starts on a line of
 * its own: call {@link #clear()} before printing anything else.
 */
final class ProgressBar implements DownloadListener {

    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter out;
    private final int width;
    private final long clockStart = System.nanoTime();
    private int files;
    private int index;
    private long fileStartNanos;
    private long fileStartBytes;
    private long lastDraw;
    private int lastWidth;

    /** A bar as wide as the terminal: {@link TerminalWidth#columns()}. */
    ProgressBar(PrintWriter out) {
        this(out, TerminalWidth.columns());
    }

    /** A bar for a terminal of {@code columns} columns. */
    ProgressBar(PrintWriter out, int columns) {
        this.out = out;
        this.width = Math.max(10, columns - 1);
    }

    @Override
    public void onStart(RepoId repo, String commit, int files, long totalBytes, long cachedBytes) {
        this.files = files;
        String cached = cachedBytes > 0 ? ", " + bytes(cachedBytes) + " already cached" : "";
        line("Fetching " + repo + " at " + commit.substring(0, Math.min(12, commit.length())) + ": " + files
                + (files == 1 ? " file, " : " files, ") + bytes(totalBytes) + cached);
    }

    @Override
    public void onFileStart(String file, long size, long resumedFrom) {
        index++;
        fileStartNanos = System.nanoTime();
        fileStartBytes = resumedFrom;
        lastDraw = 0;
        if (resumedFrom > 0) line("  resuming " + file + " from " + bytes(resumedFrom));
        draw(file, resumedFrom, size, true);
    }

    @Override
    public void onProgress(String file, long done, long size) {
        draw(file, done, size, false);
    }

    @Override
    public void onRetry(String file, long done, Exception cause) {
        line("  connection lost in " + file + " at " + bytes(done) + " (" + cause.getMessage() + "), resuming");
    }

    @Override
    public void onFileDone(String file) {
        line("  " + file + " done");
    }

    @Override
    public void onFinish(Snapshot snapshot) {
        double seconds = (System.nanoTime() - clockStart) / 1e9;
        line(String.format(Locale.ROOT, "Done in %.1f s: %s", seconds, snapshot.path()));
    }

    /** Wipes the bar's line, so that the next output starts at the beginning of an empty line. */
    void clear() {
        if (lastWidth > 0) {
            out.print("\r" + " ".repeat(lastWidth) + "\r");
            out.flush();
            lastWidth = 0;
        }
    }

    /** A line of its own, the bar (if drawn) wiped first. */
    private void line(String text) {
        clear();
        out.println(text);
        out.flush();
    }

    private void draw(String file, long done, long size, boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDraw < REDRAW_NANOS && done != size) return;
        lastDraw = now;
        double seconds = Math.max(1e-3, (now - fileStartNanos) / 1e9);
        double rate = (done - fileStartBytes) / seconds;
        String s = render(file, done, size, rate);
        int pad = Math.max(0, lastWidth - s.length());
        out.print("\r" + s + " ".repeat(pad));
        lastWidth = s.length();
        out.flush();
    }

    /** The progress line for this terminal width: what does not fit goes, least useful first. */
    String render(String file, long done, long size, double rate) {
        String counter = "[" + index + "/" + files + "] ";
        String amount = size > 0
                ? (int) Math.min(100, done * 100 / size) + "% " + bytes(done) + " / " + bytes(size)
                : bytes(done);
        // padded to their widest, so that the bar keeps its length from one redraw to the next
        String speed = rate > 0 && (size <= 0 || done < size) ? String.format("%11s", bytes((long) rate) + "/s") : "";
        String eta = size > 0 && rate > 0 && done < size ? String.format("%12s", eta((size - done) / rate)) : "";
        // Dropped first: the speed, then the time left; the file name is kept whole (up to 40 characters) as long
        // as it can be, then cut to 12; a bar of 6 to 20 cells takes what room is left.
        String[][] tails = {{speed, eta}, {"", eta}, {"", ""}};
        for (boolean wholeName : new boolean[] {true, false}) {
            for (String[] tail : tails) {
                String fixed = counter + " " + amount + tail[0] + tail[1];
                int room = width - fixed.length();
                int name = Math.min(file.length(), wholeName ? 40 : 12);
                if (room < name) continue;
                int bar = size > 0 ? Math.min(22, room - name - 1) : 0;
                if (bar < 8) bar = 0;
                int nameRoom = room - (bar > 0 ? bar + 1 : 0);
                StringBuilder line = new StringBuilder(counter)
                        .append(shorten(file, nameRoom))
                        .append(' ');
                if (bar > 0) {
                    int cells = bar - 2;
                    int filled = (int) Math.min(cells, done * cells / size);
                    line.append('[')
                            .append("#".repeat(filled))
                            .append(" ".repeat(cells - filled))
                            .append("] ");
                }
                return line.append(amount).append(tail[0]).append(tail[1]).toString();
            }
        }
        String bare = counter + amount; // a very narrow terminal: no name
        return bare.length() <= width ? bare : bare.substring(0, width);
    }

    private static String shorten(String file, int room) {
        return file.length() <= room ? file : "…" + file.substring(file.length() - (room - 1));
    }

    /** {@code n} bytes for people: 512 B, 1.5 KB, 13 GB (powers of 1024). */
    static String bytes(long n) {
        if (n < 1024) return n + " B";
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    private static String eta(double seconds) {
        long s = (long) Math.ceil(seconds);
        if (s >= 3600) return String.format(Locale.ROOT, "%dh%02dm left", s / 3600, (s % 3600) / 60);
        if (s >= 60) return String.format(Locale.ROOT, "%dm%02ds left", s / 60, s % 60);
        return s + "s left";
    }
}
