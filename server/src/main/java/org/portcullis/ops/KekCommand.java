package org.portcullis.ops;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.portcullis.config.ConfigException;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.PortcullisConfig;
import org.portcullis.db.Database;
import org.portcullis.stores.KeyRotation;
import org.portcullis.stores.SecretStore;
import org.portcullis.stores.StoreRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code portcullis manage kek status|rotate}: master-key rotation of the stores that wrap
 * project KEKs (software: {@code kek_file} + {@code previous_kek_files}; PKCS#11:
 * {@code mkek_label}/{@code hmac_label} + {@code previous_mkek_labels}/{@code previous_hmac_labels}).
 */
@Command(name = "kek", mixinStandardHelpOptions = true,
        description = "Master-key rotation: which master key protects what, and re-wrapping under the new one.",
        subcommands = {KekCommand.Status.class, KekRotateCommand.class})
public final class KekCommand extends CommandGroup {

    /** A database and the configured stores, opened as a node opens them (keys checked, rotation noticed). */
    record Opened(PortcullisConfig config, Database db, StoreRegistry stores) implements AutoCloseable {
        static Opened of(Path file) {
            PortcullisConfig config = ConfigLoader.load(file);
            Database db = Database.open(config.database());
            try {
                return new Opened(config, db, StoreRegistry.start(config.stores(), db, Clock.systemUTC()));
            } catch (RuntimeException e) {
                db.close();
                throw e;
            }
        }

        List<SecretStore> rotatable() {
            return stores.all().stream().filter(s -> s.keyRotation().isPresent()).toList();
        }

        @Override
        public void close() {
            stores.close();
            db.close();
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Per store, how many project KEKs and payloads each master key still protects.",
                    "A previous key showing 0 project KEKs can be removed from the configuration.",
                    "Exit status: 0 every project KEK is under its store's current key, 1 some are not "
                            + "(rotation pending), 2 configuration or database error."})
    static final class Status implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, required = true, description = "the node's configuration file")
        Path config;

        @Override
        public Integer call() {
            try (Opened o = Opened.of(config)) {
                int pending = 0;
                for (SecretStore s : o.rotatable()) {
                    KeyRotation r = s.keyRotation().orElseThrow();
                    System.out.println("store " + s.info().name() + " (current master key " + r.currentKeyId() + ")");
                    System.out.printf("  %-18s %-9s %12s %12s%n", "master key", "state", "project KEKs", "payloads");
                    for (KeyRotation.KeyUse u : r.usage()) {
                        System.out.printf("  %-18s %-9s %12d %12d%n", u.keyId(), u.state(), u.projectKeks(), u.payloads());
                        if (!u.keyId().equals(r.currentKeyId())) {
                            pending += u.projectKeks();
                        }
                    }
                }
                System.out.println(pending == 0 ? "every project KEK is wrapped by its store's current master key"
                        : pending + " project KEK(s) still wrapped by a previous master key: run `portcullis manage kek "
                                + "rotate --config " + config + " --store NAME`");
                return pending == 0 ? 0 : 1;
            } catch (ConfigException e) {
                System.err.println("portcullis: " + e.getMessage());
                return 2;
            }
        }
    }
}
