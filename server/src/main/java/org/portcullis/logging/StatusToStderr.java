package org.portcullis.logging;

import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import java.io.PrintStream;

/**
 * Logback's own warnings and errors (an appender that cannot write, a pattern it cannot parse),
 * printed on stderr as they happen. {@link StderrLogConfigurator} registers it: a logback context
 * without a status listener has its status list checked by logback's StatusPrinter at start,
 * whose class initialisation looks up the local time zone for its time stamps (about 1% of the
 * main thread's CPU before a node could serve, bench/start.sh); that check printed the list only
 * when it held a warning, and only once.
 */
final class StatusToStderr implements StatusListener {
    private final PrintStream out;

    StatusToStderr(PrintStream out) {
        this.out = out;
    }

    @Override
    public void addStatusEvent(Status status) {
        if (status.getLevel() < Status.WARN) {
            return;
        }
        out.println("logback " + (status.getLevel() == Status.ERROR ? "ERROR" : "WARN") + " in " + status.getOrigin()
                + " - " + status.getMessage());
        if (status.getThrowable() != null) {
            status.getThrowable().printStackTrace(out);
        }
    }
}
