package org.portcullis.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.portcullis.audit.AuditAction;
import org.portcullis.audit.AuditTarget;
import org.portcullis.audit.OperatorAudit;
import org.portcullis.config.ConfigException;
import org.portcullis.console.Progress;
import org.portcullis.stores.KeyRotation;
import org.portcullis.stores.SecretStore;
import org.portcullis.stores.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code portcullis manage kek rotate --config F --store S [--reseal] [--dry-run] [--batch N]}.
 * Started with a configuration whose current key is the new one and whose previous keys include
 * the old one, it re-wraps every project KEK of the store under the current key, a batch per
 * transaction, and marks the old key retired when nothing needs it. Safe while nodes serve (they
 * must hold both keys); killed or interrupted, it resumes where the rows say when run again.
 */
@Command(name = "rotate", mixinStandardHelpOptions = true,
        description = {"Re-wrap every project KEK of a store under its current master key (kek_file, or "
                + "mkek_label/hmac_label); with --reseal also give each project a fresh KEK and re-encrypt its payloads.",
                "Before: add the new key as current and the old one to previous_kek_files (previous_mkek_labels/"
                        + "previous_hmac_labels) on every node, and restart them. Nodes keep serving throughout.",
                "Resumable: run it again after Ctrl-C or a crash. One audit event per change.",
                "Exit status: 0 done (status shows 0 for the old keys), 1 stopped before the end (run it again), "
                        + "2 configuration or database error."})
public final class KekRotateCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, description = "the node's configuration file")
    Path config;

    @Option(names = "--store", description = "the secret store (its [secretstore:NAME], or 'default'); "
            + "required when several stores wrap project KEKs")
    String store;

    @Option(names = "--reseal", description = "also re-encrypt every payload under a fresh project KEK")
    boolean reseal;

    @Option(names = "--dry-run", description = "say what would change and change nothing")
    boolean dryRun;

    @Option(names = "--batch", defaultValue = "500", description = "rows per transaction (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--max-batches", defaultValue = "0", description = "stop after this many batches (exit 1; run "
            + "again to continue), to spread a long rotation over maintenance windows; 0: no limit")
    long maxBatches;

    @Override
    public Integer call() {
        if (batch < 1 || batch > 10_000) {
            System.err.println("portcullis: --batch must be between 1 and 10000");
            return 2;
        }
        try (KekCommand.Opened o = KekCommand.Opened.of(config)) {
            SecretStore target = pick(o.rotatable());
            KeyRotation r = target.keyRotation().orElseThrow();
            String name = target.info().name();
            long keks = 0;
            long payloads = 0;
            for (KeyRotation.KeyUse u : r.usage()) {
                if (!u.keyId().equals(r.currentKeyId())) {
                    keks += u.projectKeks();
                    payloads += u.payloads();
                }
            }
            System.out.println("store " + name + ": current master key " + r.currentKeyId() + "; " + keks
                    + " project KEK(s)" + (reseal ? " and " + payloads + " payload(s)" : "") + " to move");
            if (dryRun) {
                System.out.println("dry run: nothing changed");
                return 0;
            }
            try (OperatorAudit audit = OperatorAudit.open(o.config().audit(), o.stores(), Clock.systemUTC(),
                    "portcullis manage kek rotate")) {
                return run(r, name, audit, keks + (reseal ? payloads : 0));
            }
        } catch (ConfigException e) {
            System.err.println("portcullis: " + e.getMessage());
            return 2;
        } catch (IOException | UncheckedIOException e) {
            System.err.println("portcullis: the audit trail cannot be written (" + e.getMessage() + "); the last "
                    + "batch is committed but its events are not written; nothing more was changed");
            return 1;
        } catch (StoreException e) {
            System.err.println("portcullis: stopped: " + e.getMessage() + "; what was done is committed, run again "
                    + "to resume once this is fixed");
            return 1;
        }
    }

    private int run(KeyRotation r, String name, OperatorAudit audit, long total) throws IOException {
        Progress progress = new Progress(System.err, Progress.isTerminal(), reseal ? "items" : "project KEKs", total);
        Map<String, Long> counts = new LinkedHashMap<>();
        int idle = 0;
        long batches = 0;
        while (idle < 3) {
            if (maxBatches > 0 && batches++ >= maxBatches) {
                progress.finish();
                System.out.println("store " + name + ": stopped after " + maxBatches + " batch(es) (--max-batches), "
                        + progress.done() + " change(s); run again to continue");
                return 1;
            }
            int changed = r.step(batch, reseal, changes -> {
                for (KeyRotation.Change c : changes) {
                    counts.merge(c.kind(), 1L, Long::sum);
                    AuditTarget target = c.kind().equals("reseal") ? AuditTarget.SECRET_PAYLOAD : AuditTarget.PROJECT_KEK;
                    audit.add(c.kind().equals("new-kek") ? AuditAction.CREATE : AuditAction.UPDATE, target,
                            c.targetId(), Map.of("store", name, "project", c.projectId(), "change", c.kind(),
                                    "from", c.from(), "to", c.to()));
                }
                try {
                    audit.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                progress.advance(changes.size());
            });
            // Nothing changed: done, or rows changed under us (another run); look again a few times.
            idle = changed == 0 ? (r.pendingProjectKeks() == 0 ? 3 : idle + 1) : 0;
        }
        progress.finish();
        int left = r.pendingProjectKeks();
        List<String> retired = r.retireUnused();
        System.out.printf("store %s: %d project KEK(s) re-wrapped, %d fresh project KEK(s), %d payload(s) re-sealed, "
                + "%.0f changes/s; audit: %s%n", name, counts.getOrDefault("rewrap", 0L),
                counts.getOrDefault("new-kek", 0L), counts.getOrDefault("reseal", 0L), progress.perSecond(),
                audit.describe());
        for (String id : retired) {
            System.out.println("master key " + id + " retired: no project KEK needs it; remove it from the "
                    + "configuration (a node started with it as its only key is refused)");
        }
        if (left > 0) {
            System.err.println("portcullis: " + left + " project KEK(s) are still under a previous master key "
                    + "(changed meanwhile by another run or a node without the new key); run again");
            return 1;
        }
        return 0;
    }

    private SecretStore pick(List<SecretStore> stores) {
        if (store != null) {
            return stores.stream().filter(s -> s.info().name().equals(store)).findFirst()
                    .orElseThrow(() -> new ConfigException(config + ": no secret store '" + store + "' wraps project "
                            + "KEKs (those that do: " + names(stores) + ")"));
        }
        if (stores.size() != 1) {
            throw new ConfigException(config + ": " + (stores.isEmpty() ? "no secret store wraps project KEKs"
                    : "several stores wrap project KEKs (" + names(stores) + "); pick one with --store"));
        }
        return stores.get(0);
    }

    private static String names(List<SecretStore> stores) {
        return stores.isEmpty() ? "none" : String.join(", ", stores.stream().map(s -> s.info().name()).toList());
    }
}
