package org.portcullis.stores;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Progress of an operator command on stderr: a bar redrawn in place on a terminal (done/total,
 * items/s, ETA), plain timestamped-free lines at most every few seconds otherwise (logs, pipes).
 */
public final class Progress {
    private static final long LINE_EVERY_NANOS = Duration.ofSeconds(5).toNanos();
    private static final long BAR_EVERY_NANOS = Duration.ofMillis(200).toNanos();

    private final PrintStream out;
    private final boolean terminal;
    private final String what;
    private final long start = System.nanoTime();
    private long total;
    private long done;
    private long lastPrint;

    public Progress(PrintStream out, boolean terminal, String what, long total) {
        this.out = out;
        this.terminal = terminal;
        this.what = what;
        this.total = total;
    }

    /** Whether stdout's console is an interactive terminal (JDK 22+ tells; older: a console exists). */
    public static boolean isTerminal() {
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    public void advance(long n) {
        done += n;
        if (done > total) {
            total = done; // writes by serving nodes meanwhile
        }
        long now = System.nanoTime();
        if (now - lastPrint >= (terminal ? BAR_EVERY_NANOS : LINE_EVERY_NANOS)) {
            lastPrint = now;
            print(false);
        }
    }

    public long done() {
        return done;
    }

    public double perSecond() {
        double s = (System.nanoTime() - start) / 1e9;
        return s <= 0 ? 0 : done / s;
    }

    public void finish() {
        print(true);
    }

    private void print(boolean last) {
        double rate = perSecond();
        long left = Math.max(0, total - done);
        String eta = rate <= 0 ? "?" : formatSeconds((long) Math.ceil(left / rate));
        int pct = total == 0 ? 100 : (int) (done * 100 / total);
        String stats = String.format("%d/%d %s, %.0f/s, ETA %s", done, total, what, rate, eta);
        if (terminal) {
            int width = 30;
            int fill = Math.min(width, pct * width / 100);
            out.print("\r[" + "#".repeat(fill) + ".".repeat(width - fill) + "] " + String.format("%3d%% ", pct) + stats
                    + "   ");
            if (last) {
                out.println();
            }
        } else {
            out.println("progress: " + pct + "% " + stats);
        }
        out.flush();
    }

    static String formatSeconds(long s) {
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }
}
