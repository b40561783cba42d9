package org.portcullis.ops;

import java.io.Console;
import java.io.PrintStream;
import java.util.List;
import org.portcullis.health.Finding;
import org.portcullis.health.Finding.Status;

/** The doctor's report for people: one line per check, the fix under it, a verdict at the end; colour only on a terminal. */
final class DoctorText {
    private static final String RESET = "\u001b[0m";

    private final PrintStream out;
    private final boolean colour;

    DoctorText(PrintStream out, boolean colour) {
        this.out = out;
        this.colour = colour;
    }

    /** Colour when standard output is a terminal and {@code NO_COLOR} is not set. */
    static boolean colour() {
        if (System.getenv("NO_COLOR") != null) {
            return false;
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try { // Console.isTerminal() exists from Java 22; before that a console means a terminal
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    void print(List<Finding> findings, long millis) {
        int pass = 0;
        int warn = 0;
        int fail = 0;
        for (Finding f : findings) {
            switch (f.status()) {
                case PASS -> pass++;
                case WARN -> warn++;
                case FAIL -> fail++;
            }
            out.println(paint(f.status(), String.format("%-4s", f.status())) + "  " + f.check() + ": " + f.message()
                    + (f.secretsAtRisk() ? " [existing secrets at risk]" : ""));
            if (f.fix() != null && f.status() != Status.PASS) {
                out.println("      fix: " + f.fix());
            }
        }
        boolean atRisk = findings.stream().anyMatch(Finding::secretsAtRisk);
        out.println();
        out.println(pass + " passed, " + warn + " warning(s), " + fail + " failed in " + millis + " ms. Existing secrets: "
                + (atRisk ? paint(Status.FAIL, "AT RISK (see the lines marked [existing secrets at risk])")
                        : fail > 0 ? "not at risk, but the node cannot serve until the failures are fixed"
                        : "not at risk."));
    }

    private String paint(Status s, String text) {
        if (!colour) {
            return text;
        }
        String code = switch (s) {
            case PASS -> "\u001b[32m";
            case WARN -> "\u001b[33m";
            case FAIL -> "\u001b[1;31m";
        };
        return code + text + RESET;
    }
}
