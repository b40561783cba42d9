package org.portcullis.adoption;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.portcullis.console.Progress;
import org.portcullis.db.Database;
import org.portcullis.stores.PreferredStores;
import org.portcullis.stores.SecretStore;
import org.portcullis.stores.StoreRegistry;

/**
 * One import run: read Barbican's database in one read-only snapshot, refuse before writing
 * (unreachable source, unknown schema, wrong KEK, conflicting ids), then write secrets and the
 * rest. Every step compares with what Portcullis already holds, so a second run writes only what
 * changed in Barbican since, and an interrupted run continues where it stopped.
 */
public final class BarbicanImport {
    /**
     * What the operator asked for. {@code storeMap}: Barbican store (name, id or suffix) -> Portcullis
     * store name; {@code batch}: secrets per transaction; {@code threads}: workers that decrypt, seal
     * and read back.
     */
    public record Options(Set<String> projects, boolean dryRun, Map<String, String> storeMap, int batch, int threads) {}

    private final BarbicanConfig barbican;
    private final Database db;
    private final StoreRegistry stores;
    private final Options options;
    private final Progress progress;
    private final PrintStream out;
    private final Clock clock;
    private final Consumer<List<ImportReport.Change>> audit;

    /** {@code audit} gets each committed transaction's changes (nothing in a dry run); it throws to stop the import. */
    public BarbicanImport(BarbicanConfig barbican, Database db, StoreRegistry stores, Options options, PrintStream out,
            boolean terminal, Clock clock, Consumer<List<ImportReport.Change>> audit) {
        this.barbican = barbican;
        this.db = db;
        this.stores = stores;
        this.options = options;
        this.progress = new Progress(out, terminal);
        this.out = out;
        this.clock = clock;
        this.audit = audit;
    }

    public ImportReport run() {
        long start = System.nanoTime();
        BarbicanRows.Snapshot snapshot = readSource();
        out.printf("read Barbican (schema %s): %d secrets, %d containers, %d orders in %.1f s%n", snapshot.revision(),
                snapshot.secrets().size(), snapshot.containers().size(), snapshot.orders().size(),
                (System.nanoTime() - start) / 1e9);
        Fernet master = null;
        if (barbican.kek() != null) {
            try {
                master = Fernet.fromKey(barbican.kek());
            } catch (Fernet.InvalidToken e) {
                throw new ImportRefused(barbican.file() + ": [simple_crypto_plugin] kek is not a Fernet key: "
                        + e.getMessage());
            }
        }
        SimpleCryptoKeys keys = new SimpleCryptoKeys(master, snapshot.wrappedKeks());
        if (master == null && snapshot.secrets().stream().anyMatch(s -> !s.deleted() && s.encrypted() != null
                && SimpleCryptoKeys.PLUGIN.equals(s.encrypted().kekPlugin()))) {
            throw new ImportRefused(barbican.file() + " has no [simple_crypto_plugin] kek, but Barbican holds "
                    + "simple_crypto secrets; nothing was written");
        }
        StoreRouting routing;
        try {
            routing = new StoreRouting(stores, barbican, snapshot.stores(), options.storeMap());
        } catch (IllegalArgumentException e) {
            throw new ImportRefused(e.getMessage());
        }
        ImportReport report = new ImportReport(audit);
        SecretImport secrets = new SecretImport(db, routing, keys, report, progress, options.dryRun(), options.batch(),
                options.threads());
        EntityImport entities = new EntityImport(db, report, options.dryRun());
        secrets.check(snapshot.secrets());
        entities.check(snapshot);
        long checked = System.nanoTime();
        out.printf("checked keys and ids in %.1f s%n", (checked - start) / 1e9);
        secrets.run(snapshot.secrets(), snapshot.secretConsumers());
        long imported = System.nanoTime();
        entities.run(snapshot);
        preferredStores(snapshot, routing, report);
        out.printf("containers, ACLs, orders, quotas, stores, transport keys in %.1f s; whole import %.1f s%n",
                (System.nanoTime() - imported) / 1e9, (System.nanoTime() - start) / 1e9);
        return report;
    }

    private BarbicanRows.Snapshot readSource() {
        BarbicanDatabase.Target target = BarbicanDatabase.target(barbican.sqlConnection());
        try (Connection c = BarbicanDatabase.open(target)) {
            String revision = BarbicanDatabase.checkRevision(c);
            BarbicanRows.Snapshot s = new BarbicanReader(c, options.projects()).read(revision);
            c.rollback(); // a read-only transaction: nothing to commit
            return s;
        } catch (SQLException e) {
            throw new BarbicanDatabase.SourceException("reading Barbican's database (" + target + ") failed: "
                    + e.getMessage(), e);
        }
    }

    private void preferredStores(BarbicanRows.Snapshot s, StoreRouting routing, ImportReport report) {
        PreferredStores preferred = new PreferredStores(db, stores, clock);
        s.preferredStores().forEach((project, barbicanStore) -> {
            SecretStore target = routing.targetOfBarbicanStore(barbicanStore);
            if (target == null) {
                report.skip("preferred store", barbicanStore, project, "no Portcullis store for Barbican store "
                        + barbicanStore);
            } else if (!preferred.preferred(project).equals(java.util.Optional.of(target.info().id()))) {
                if (options.dryRun()) {
                    report.count("preferred store", project, "set");
                } else {
                    report.changed("preferred store", project, project, "set");
                    report.audit();
                    preferred.set(project, target.info().id());
                }
            }
        });
    }
}
