package org.portcullis.adoption;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.portcullis.audit.OperatorAudit;
import org.portcullis.config.ConfigException;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.PortcullisConfig;
import org.portcullis.db.Database;
import org.portcullis.stores.StoreRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code portcullis manage import barbican}: exit 0 when everything was imported (or is already),
 * 1 when something was skipped (0 with {@code --allow-partial}), 2 when the import refused to
 * start (nothing written).
 */
@Command(name = "barbican", mixinStandardHelpOptions = true,
        description = {"Import a Barbican 15 deployment: its database (read-only) and keys, every id kept.",
                "Run it again for what changed in Barbican since (the final pass of a cutover); an interrupted "
                        + "run continues where it stopped. Refuses before writing when Barbican's KEK is wrong, its "
                        + "database is unreachable or of an unknown schema, or an id exists here with other content.",
                "Exit status: 0 all imported, 1 something skipped (see the report), 2 refused (nothing written)."})
public final class ImportBarbicanCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, description = "this node's configuration (portcullis.conf)")
    Path config;

    @Option(names = "--barbican-config", required = true,
            description = "Barbican's configuration (barbican.conf): database, KEK, secret stores")
    Path barbicanConfig;

    @Option(names = "--project", paramLabel = "ID", description = "import only this Keystone project (repeatable)")
    List<String> projects = new ArrayList<>();

    @Option(names = "--dry-run", description = "read and check everything, write nothing, report what would change")
    boolean dryRun;

    @Option(names = "--store-map", paramLabel = "BARBICAN_STORE=PORTCULLIS_STORE",
            description = "where a Barbican store's secrets go (its name, id or [secretstore:SUFFIX]); default: "
                    + "simple_crypto to the global default store, KMIP to this node's KMIP store")
    List<String> storeMap = new ArrayList<>();

    @Option(names = "--batch", defaultValue = "500", paramLabel = "N",
            description = "secrets per transaction (default ${DEFAULT-VALUE}); an interrupted run keeps every committed batch")
    int batch;

    @Option(names = "--threads", paramLabel = "N", description = "threads that decrypt, seal and read back payloads "
            + "(default: the number of CPUs)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--allow-partial", description = "exit 0 even when some items were skipped")
    boolean allowPartial;

    @Override
    public Integer call() {
        Map<String, String> map = new LinkedHashMap<>();
        for (String m : storeMap) {
            int eq = m.indexOf('=');
            if (eq <= 0 || eq == m.length() - 1) {
                System.err.println("portcullis: --store-map takes BARBICAN_STORE=PORTCULLIS_STORE, got '" + m + "'");
                return 2;
            }
            map.put(m.substring(0, eq).strip(), m.substring(eq + 1).strip());
        }
        if (batch < 1 || threads < 1) {
            System.err.println("portcullis: --batch and --threads take a number of at least 1");
            return 2;
        }
        try {
            BarbicanConfig barbican = BarbicanConfig.read(barbicanConfig);
            PortcullisConfig c = ConfigLoader.load(config);
            try (Database db = Database.open(c.database());
                    StoreRegistry stores = StoreRegistry.start(c.stores(), db, Clock.systemUTC());
                    OperatorAudit audit = dryRun ? null
                            : OperatorAudit.open(c.audit(), stores, Clock.systemUTC(), "portcullis manage import barbican")) {
                BarbicanImport run = new BarbicanImport(barbican, db, stores,
                        new BarbicanImport.Options(new LinkedHashSet<>(projects), dryRun, map, batch, threads), System.out,
                        System.console() != null, Clock.systemUTC(), dryRun ? changes -> {} : new ImportAudit(audit));
                ImportReport report = run.run();
                report.print(System.out, dryRun);
                if (audit != null) {
                    System.out.println("audit: " + audit.describe());
                }
                return report.skipped().isEmpty() || allowPartial ? 0 : 1;
            }
        } catch (ImportRefused | BarbicanDatabase.SourceException | ConfigException e) {
            System.err.println("portcullis: import refused: " + e.getMessage());
            return 2;
        } catch (IOException | UncheckedIOException e) {
            System.err.println("portcullis: the audit trail cannot be written (" + e.getMessage() + "); what was "
                    + "imported before is committed with its events; the batch whose events failed was rolled back, nothing more "
                    + "was changed");
            return 1;
        }
    }
}
