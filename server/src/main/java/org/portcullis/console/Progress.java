package org.portcullis.console;

import java.io.Console;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Progress of a long operator command, one format for all of them. On a terminal: a bar redrawn in
 * place (at most five times a second) with done/total, items/s and ETA. Otherwise (a pipe, a log,
 * cron): one plain line at most every ten seconds, so logs stay readable, and a last line at the end.
 * One instance may run several phases one after another ({@link #start}). Thread-safe: batches may
 * report from worker threads.
 */
public final class Progress {
    private static final long BAR_EVERY_NANOS = Duration.ofMillis(200).toNanos();
    private static final long LINE_EVERY_NANOS = Duration.ofSeconds(10).toNanos();
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private String what;
    private long total;
    private long done;
    private long start;
    private long lastPrint;
    private long lastPrinted = -1;

    /** A progress whose first phase begins with {@link #start}. */
    public Progress(PrintStream out, boolean terminal) {
        this(out, terminal, "", 0);
    }

    public Progress(PrintStream out, boolean terminal, String what, long total) {
        this.out = out;
        this.terminal = terminal;
        start(what, total);
    }

    /** On stderr: a bar when the process has a terminal, plain lines otherwise. */
    public static Progress onStderr(String what, long total) {
        return new Progress(System.err, isTerminal(), what, total);
    }

    /**
     * Whether the process talks to an interactive terminal. Since JDK 22 {@code System.console()}
     * exists even when redirected and {@code isTerminal()} tells; before, a console meant a terminal.
     */
    public static boolean isTerminal() {
        Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** Begins a (next) phase: counts, rate and ETA start over. */
    public synchronized void start(String what, long total) {
        this.what = what;
        this.total = total;
        this.done = 0;
        this.start = System.nanoTime();
        this.lastPrint = start - LINE_EVERY_NANOS; // the first advance prints
        this.lastPrinted = -1;
    }

    public synchronized void advance(long items) {
        done += items;
        if (done > total) {
            total = done; // rows written by serving nodes meanwhile
        }
        long now = System.nanoTime();
        if (now - lastPrint >= (terminal ? BAR_EVERY_NANOS : LINE_EVERY_NANOS) || (done == total && lastPrinted != done)) {
            lastPrint = now;
            print(now);
        }
    }

    /** Shows the final count (unless already shown) and ends the bar's line. */
    public synchronized void finish() {
        if (lastPrinted != done) {
            print(System.nanoTime());
        }
        if (terminal) {
            out.println();
            out.flush();
        }
    }

    public synchronized long done() {
        return done;
    }

    public synchronized double perSecond() {
        return rate(System.nanoTime());
    }

    private void print(long now) {
        lastPrinted = done;
        if (terminal) {
            out.print("\r" + bar() + " " + stats(now) + "   ");
        } else {
            out.println(what + ": " + stats(now));
        }
        out.flush();
    }

    private String stats(long now) {
        double rate = rate(now);
        long left = Math.max(0, total - done);
        String eta = left == 0 ? "0:00" : rate > 0 ? formatSeconds((long) Math.ceil(left / rate)) : "?";
        String label = terminal && !what.isEmpty() ? what + " " : "";
        return String.format("%s%d/%d (%d%%)  %.0f items/s  ETA %s", label, done, total, percent(), rate, eta);
    }

    private String bar() {
        int filled = Math.min(WIDTH, percent() * WIDTH / 100);
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "]";
    }

    private int percent() {
        return total == 0 ? 100 : (int) (done * 100 / total);
    }

    private double rate(long now) {
        return done / Math.max(1e-3, (now - start) / 1e9);
    }

    static String formatSeconds(long s) {
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }
}
