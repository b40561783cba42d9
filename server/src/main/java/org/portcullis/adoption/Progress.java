package org.portcullis.adoption;

import java.io.PrintStream;

/**
 * Progress of one phase: a bar redrawn in place with entities/s and ETA on a terminal, a plain
 * line every few thousand entities otherwise (logs, pipes), and a final line either way.
 */
final class Progress {
    private static final int PLAIN_EVERY = 5_000;

    private final PrintStream out;
    private final boolean terminal;
    private String phase = "";
    private long total;
    private long done;
    private long started;
    private long lastDraw;

    Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    void start(String phase, long total) {
        this.phase = phase;
        this.total = total;
        this.done = 0;
        this.started = System.nanoTime();
        this.lastDraw = 0;
    }

    void advance(long n) {
        long before = done;
        done += n;
        if (terminal) {
            long now = System.nanoTime();
            if (now - lastDraw > 200_000_000L || done == total) {
                lastDraw = now;
                out.print("\r" + line(true));
                out.flush();
            }
        } else if (done / PLAIN_EVERY != before / PLAIN_EVERY) {
            out.println(line(false));
        }
    }

    void finish() {
        out.println((terminal ? "\r" : "") + line(terminal));
    }

    private String line(boolean bar) {
        double seconds = Math.max((System.nanoTime() - started) / 1e9, 1e-3);
        double rate = done / seconds;
        long eta = rate > 0 && total > done ? Math.round((total - done) / rate) : 0;
        String text = String.format("%-18s %d/%d  %.0f/s  ETA %ds", phase, done, total, rate, eta);
        if (!bar) {
            return text;
        }
        int width = 30;
        int filled = total == 0 ? width : (int) (width * done / Math.max(total, 1));
        return "[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + text;
    }
}
