package org.portcullis.ops;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Progress of a long command: on a terminal a bar redrawn in place with items/s and ETA; otherwise
 * (a pipe, a log, cron) one plain line at most every ten seconds, so logs stay readable.
 */
public final class Progress {
    private static final long PLAIN_EVERY_NANOS = Duration.ofSeconds(10).toNanos();

    private final PrintStream out;
    private final boolean terminal;
    private final String what;
    private final long total;
    private final long start = System.nanoTime();
    private long done;
    private long lastPrint;

    public Progress(PrintStream out, boolean terminal, String what, long total) {
        this.out = out;
        this.terminal = terminal;
        this.what = what;
        this.total = total;
    }

    /** A bar when the process has a terminal, plain lines otherwise. */
    public static Progress onStderr(String what, long total) {
        return new Progress(System.err, System.console() != null, what, total);
    }

    public synchronized void advance(long items) {
        done += items;
        long now = System.nanoTime();
        if (terminal) {
            out.print("\r" + line(now));
            out.flush();
        } else if (now - lastPrint >= PLAIN_EVERY_NANOS || done >= total) {
            out.println(what + ": " + line(now));
            lastPrint = now;
        }
    }

    /** Ends the bar's line. */
    public synchronized void finish() {
        if (terminal) {
            out.println();
        }
    }

    public double perSecond() {
        double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
        return done / seconds;
    }

    String line(long now) {
        double rate = done / Math.max(1e-3, (now - start) / 1e9);
        long left = Math.max(0, total - done);
        String eta = rate > 0 ? formatSeconds((long) (left / rate)) : "?";
        int width = 30;
        int filled = total == 0 ? width : (int) Math.min(width, done * width / total);
        return "[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total + "  "
                + String.format("%.0f", rate) + " items/s  ETA " + eta;
    }

    private static String formatSeconds(long s) {
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, (s % 3600) / 60)
                : String.format("%dm%02ds", s / 60, s % 60);
    }
}
