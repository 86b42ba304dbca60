package dev.gptoss4j.agent.hub;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line download progress display for a terminal: the current file, its percentage, bytes, speed and time
 * left, redrawn in place with carriage returns at most every {@code 200 ms}.
 */
public final class ProgressBar implements DownloadListener {

    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter out;
    private final long clockStart = System.nanoTime();
    private int files;
    private int index;
    private long fileStartNanos;
    private long fileStartBytes;
    private long lastDraw;
    private int lastWidth;

    public ProgressBar(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void onStart(RepoId repo, String commit, int files, long totalBytes, long cachedBytes) {
        this.files = files;
        String cached = cachedBytes > 0 ? ", " + bytes(cachedBytes) + " already cached" : "";
        out.println("Fetching " + repo + " at " + commit.substring(0, Math.min(12, commit.length())) + ": " + files
                + (files == 1 ? " file, " : " files, ") + bytes(totalBytes) + cached);
        out.flush();
    }

    @Override
    public void onFileStart(String file, long size, long resumedFrom) {
        index++;
        fileStartNanos = System.nanoTime();
        fileStartBytes = resumedFrom;
        lastDraw = 0;
        if (resumedFrom > 0) {
            out.println("  resuming " + file + " from " + bytes(resumedFrom));
        }
        draw(file, resumedFrom, size, true);
    }

    @Override
    public void onProgress(String file, long done, long size) {
        draw(file, done, size, false);
    }

    @Override
    public void onRetry(String file, long done, Exception cause) {
        clear();
        out.println("  connection lost in " + file + " at " + bytes(done) + " (" + cause.getMessage() + "), resuming");
        out.flush();
    }

    @Override
    public void onFileDone(String file) {
        clear();
        out.println("  " + file + " done");
        out.flush();
    }

    @Override
    public void onFinish(Snapshot snapshot) {
        double seconds = (System.nanoTime() - clockStart) / 1e9;
        out.println(String.format(Locale.ROOT, "Done in %.1f s: %s", seconds, snapshot.path()));
        out.flush();
    }

    private void draw(String file, long done, long size, boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDraw < REDRAW_NANOS && done != size) return;
        lastDraw = now;
        double seconds = Math.max(1e-3, (now - fileStartNanos) / 1e9);
        double rate = (done - fileStartBytes) / seconds;
        StringBuilder line = new StringBuilder("  [").append(index).append('/').append(files).append("] ")
                .append(shorten(file)).append(' ');
        if (size > 0) {
            int pct = (int) Math.min(100, done * 100 / size);
            int filled = pct / 5;
            line.append('[').append("#".repeat(filled)).append(" ".repeat(20 - filled)).append("] ")
                    .append(pct).append("% ").append(bytes(done)).append(" / ").append(bytes(size));
            if (rate > 0 && done < size) {
                line.append("  ").append(bytes((long) rate)).append("/s  ").append(eta((size - done) / rate));
            }
        } else {
            line.append(bytes(done));
            if (rate > 0) line.append("  ").append(bytes((long) rate)).append("/s");
        }
        String s = line.toString();
        int pad = Math.max(0, lastWidth - s.length());
        out.print("\r" + s + " ".repeat(pad));
        lastWidth = s.length();
        out.flush();
    }

    private void clear() {
        if (lastWidth > 0) {
            out.print("\r" + " ".repeat(lastWidth) + "\r");
            lastWidth = 0;
        }
    }

    private static String shorten(String file) {
        return file.length() <= 40 ? file : "…" + file.substring(file.length() - 39);
    }

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
