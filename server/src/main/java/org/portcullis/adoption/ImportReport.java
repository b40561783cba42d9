package org.portcullis.adoption;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * What an import did: per entity type and project, how many were created, updated, deleted or
 * already in place; and every item it skipped, with the reason. Never holds a payload.
 */
public final class ImportReport {
    /** One skipped entity. */
    public record Skipped(String type, String id, String projectId, String reason) {}

    private final Map<String, Map<String, Map<String, Integer>>> counts = new TreeMap<>();
    private final List<Skipped> skipped = new ArrayList<>();
    private final List<Change> uncommitted = new ArrayList<>();
    private final Consumer<List<Change>> onCommit;

    /** One entity written to Portcullis: {@code action} is created, updated, set or deleted. */
    public record Change(String type, String id, String projectId, String action) {}

    /**
     * {@code onCommit} gets the changes of each transaction just before it commits (the audit trail,
     * written and forced to disk); throwing rolls that transaction back and stops the import.
     */
    ImportReport(Consumer<List<Change>> onCommit) {
        this.onCommit = onCommit;
    }

    synchronized void count(String type, String projectId, String action) {
        counts.computeIfAbsent(type, k -> new TreeMap<>())
                .computeIfAbsent(projectId == null ? "-" : projectId, k -> new TreeMap<>())
                .merge(action, 1, Integer::sum);
    }

    /** Counts a change made in the open transaction; {@link #audit()} hands it on before that commits. */
    synchronized void changed(String type, String id, String projectId, String action) {
        count(type, projectId, action);
        if (!action.equals("unchanged")) {
            uncommitted.add(new Change(type, id, projectId, action));
        }
    }

    /**
     * The last step inside a transaction: its changes go to {@code onCommit}, in order, so no change
     * commits without its event (the server writes a request's event before its commit, too).
     */
    void audit() {
        List<Change> done;
        synchronized (this) {
            done = List.copyOf(uncommitted);
            uncommitted.clear();
        }
        if (!done.isEmpty()) {
            onCommit.accept(done);
        }
    }

    synchronized void skip(String type, String id, String projectId, String reason) {
        skipped.add(new Skipped(type, id, projectId, reason));
    }

    public synchronized List<Skipped> skipped() {
        return List.copyOf(skipped);
    }

    /** How many entities of {@code type} got {@code action} (created, updated, deleted, unchanged). */
    public synchronized int total(String type, String action) {
        return counts.getOrDefault(type, Map.of()).values().stream()
                .mapToInt(m -> m.getOrDefault(action, 0)).sum();
    }

    public synchronized void print(PrintStream out, boolean dryRun) {
        out.println(dryRun ? "Dry run: nothing was written. What an import would do:" : "Import report:");
        counts.forEach((type, byProject) -> byProject.forEach((project, actions) ->
                out.printf("  %-20s project %-36s %s%n", type, project, actions)));
        if (counts.isEmpty()) {
            out.println("  nothing to import");
        }
        out.println(skipped.isEmpty() ? "Skipped: none" : "Skipped: " + skipped.size());
        for (Skipped s : skipped) {
            out.printf("  %s %s (project %s): %s%n", s.type(), s.id(), s.projectId(), s.reason());
        }
    }
}
