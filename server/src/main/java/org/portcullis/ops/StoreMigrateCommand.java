package org.portcullis.ops;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Callable;
import org.portcullis.audit.AuditAction;
import org.portcullis.audit.AuditTarget;
import org.portcullis.config.ConfigException;
import org.portcullis.console.Progress;
import org.portcullis.db.Lease;
import org.portcullis.stores.PreferredStores;
import org.portcullis.stores.SecretStore;
import org.portcullis.stores.StoreHealth;
import org.portcullis.stores.migrate.MigrationScope;
import org.portcullis.stores.migrate.StoreMigration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code portcullis manage store migrate}: moves secrets' payloads from one configured store to
 * another while nodes keep serving, keeping every secret's id. See {@link StoreMigration} for the
 * order of writes that keeps every read working and makes a killed run safe to run again.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Move secrets' payloads from one store to another, keeping their ids, hrefs, consumers, ACLs "
                + "and container membership. Both stores must be configured (the old one is read).",
            "Each payload is written to the new store, read back and compared, then the secret's row is switched "
                + "and only then is the old copy destroyed (KMIP Destroy, Vault delete, ciphertext overwritten). "
                + "Nodes keep serving meanwhile; every read succeeds. Safe to interrupt (Ctrl-C, kill -9, crash) "
                + "and to run again: it continues with what is left. One run per source store at a time.",
            "Exit status: 0 everything in scope moved, 1 some secrets were not moved (listed) or the run was "
                + "stopped, 2 configuration error or another run holds the source store."})
public final class StoreMigrateCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, description = "the node's configuration file")
    Path config;

    @Option(names = "--from", required = true, paramLabel = "STORE", description = "store to move out of (its name)")
    String from;

    @Option(names = "--to", required = true, paramLabel = "STORE", description = "store to move into (its name)")
    String to;

    @Option(names = "--project", paramLabel = "ID", description = "only this project's secrets (repeatable)")
    List<String> projects = new ArrayList<>();

    @Option(names = "--secret", paramLabel = "ID", description = "only this secret (repeatable)")
    List<String> secrets = new ArrayList<>();

    @Option(names = "--set-preferred", description = "afterwards, make the new store the preferred store of the "
            + "--project projects (without --project: of every project that preferred the old one)")
    boolean setPreferred;

    @Option(names = "--dry-run", description = "check both stores and count what would move; change nothing")
    boolean dryRun;

    @Option(names = "--batch", defaultValue = "500", description = "secrets per transaction (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--workers", description = "threads copying each batch side by side (default: the number of "
            + "cores, at most 4)")
    int workers = Math.min(4, Runtime.getRuntime().availableProcessors());

    @Override
    public Integer call() {
        if (batch < 1 || batch > 10_000) {
            System.err.println("portcullis: --batch must be between 1 and 10000");
            return 2;
        }
        if (workers < 1 || workers > 64) {
            System.err.println("portcullis: --workers must be between 1 and 64");
            return 2;
        }
        try (OpsContext ops = dryRun ? OpsContext.open(config) : OpsContext.open(config, "portcullis manage store migrate")) {
            return migrate(ops);
        } catch (ConfigException e) {
            System.err.println("portcullis: " + e.getMessage());
            return 2;
        }
    }

    private int migrate(OpsContext ops) {
        SecretStore source = ops.store(from);
        SecretStore target = ops.store(to);
        if (source == target) {
            throw new ConfigException("--from and --to name the same store");
        }
        for (SecretStore s : List.of(source, target)) {
            StoreHealth health = s.health();
            if (!health.ok()) {
                throw new ConfigException("store '" + s.info().name() + "' fails its round trip: " + health.detail()
                        + "; nothing was moved");
            }
        }
        try (StoreMigration migration = new StoreMigration(ops.db(), new MigrationScope(source, target, projects,
                secrets), batch, workers)) {
            return migrate(ops, migration, source, target);
        }
    }

    private int migrate(OpsContext ops, StoreMigration migration, SecretStore source, SecretStore target) {
        long total = migration.count();
        if (dryRun) {
            System.out.printf("dry run: %d secret(s) would move from '%s' to '%s'; both stores pass a round trip%n",
                    total, from, to);
            return 0;
        }
        Lease.Result lease = Lease.acquire(ops.db(), ops.clock(), "store-migrate:" + source.info().id(),
                Duration.ofMinutes(2));
        if (lease.lease() == null) {
            System.err.println("portcullis: another migration out of '" + from + "' is running (" + lease.heldBy()
                    + "); wait for it, or run this again once it stopped");
            return 2;
        }
        try (Lease held = lease.lease()) {
            return run(ops, migration, total, source, target, held);
        }
    }

    private int run(OpsContext ops, StoreMigration migration, long total, SecretStore source, SecretStore target,
            Lease lease) {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.set(true); // Ctrl-C: finish the batch in hand, then stop cleanly
            try {
                finished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                // exiting anyway
            }
        }, "migrate-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        Progress progress = Progress.onStderr("migrate " + from + " -> " + to, total);
        long[] lastRenew = {System.nanoTime()};
        StoreMigration.Outcome outcome;
        try {
            outcome = migration.run((covered, switched) -> {
                for (String id : switched) {
                    ops.audit().add(AuditAction.UPDATE, AuditTarget.SECRET_PAYLOAD, id,
                            "payload moved to another store", Map.of("from_store", from, "to_store", to));
                }
                ops.flushAudit();
                progress.advance(covered);
            }, () -> !stop.get() && renewed(lease, lastRenew));
        } finally {
            progress.finish();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it returns now that we are done
            }
        }
        if (setPreferred && outcome.failures().isEmpty() && !outcome.stopped()) {
            setPreferred(ops, source, target);
        }
        long left = migration.count();
        System.out.printf("moved %d secret(s) from '%s' to '%s' (%.0f/s); %d skipped (deleted or changed meanwhile), "
                + "%d failed; %d left in scope%s%n", outcome.moved(), from, to, progress.perSecond(), outcome.skipped(),
                outcome.failures().size(), left, outcome.stopped() ? "; STOPPED before the end: run again to continue"
                        : "");
        for (String failure : outcome.failures()) {
            System.out.println("  not moved: " + failure);
        }
        return outcome.failures().isEmpty() && !outcome.stopped() && left == 0 ? 0 : 1;
    }

    /**
     * Renews the 2-minute lease every 20 s rather than after every batch: a renewal is a write
     * transaction with its own commit, and batches take well under a second.
     */
    private static boolean renewed(Lease lease, long[] last) {
        if (System.nanoTime() - last[0] < TimeUnit.SECONDS.toNanos(20)) {
            return true;
        }
        last[0] = System.nanoTime();
        return lease.renew();
    }

    private void setPreferred(OpsContext ops, SecretStore source, SecretStore target) {
        PreferredStores preferred = new PreferredStores(ops.db(), ops.stores(), ops.clock());
        List<String> chosen = projects.isEmpty()
                ? ops.db().read(h -> h.createQuery("SELECT project_id FROM project_secret_store WHERE secret_store_id = :s")
                        .bind("s", source.info().id()).mapTo(String.class).list())
                : projects;
        for (String project : chosen) {
            preferred.set(project, target.info().id());
            ops.audit().add(AuditAction.UPDATE, AuditTarget.PREFERRED_STORE, project,
                    "preferred store set by migration", Map.of("store", to));
        }
        ops.flushAudit();
        System.out.printf("preferred store of %d project(s) is now '%s'%n", chosen.size(), to);
    }
}
