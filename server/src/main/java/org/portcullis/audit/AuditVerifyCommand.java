package org.portcullis.audit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.portcullis.config.ConfigException;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.PortcullisConfig;
import org.portcullis.config.PortcullisConfig.KekSource;
import org.portcullis.stores.software.MasterKek;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code portcullis manage audit verify [--config FILE] [--key-file F] [--kek-file F] AUDIT_FILE...}:
 * exit 0 with "N events, chain intact", 1 with the first broken link, 2 when no usable key was
 * given. Keys: every software store's master KEK in the configuration (so events from before a
 * change of global default still verify) and its {@code [audit] hmac_key_file}, plus any given
 * directly. The database is not opened.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check audit files (oldest first) against their HMAC chain; report the first broken link.")
public final class AuditVerifyCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, description = "the server's configuration: keys from its master KEKs "
            + "and [audit] hmac_key_file")
    Path config;

    @Option(names = "--key-file", description = "an audit HMAC key file ([audit] hmac_key_file)")
    List<Path> keyFiles = new ArrayList<>();

    @Option(names = "--kek-file", description = "a master KEK file; the audit key is derived from it")
    List<Path> kekFiles = new ArrayList<>();

    @Parameters(arity = "1..*", paramLabel = "AUDIT_FILE", description = "audit files, oldest first")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        Map<String, AuditKey> keys = new LinkedHashMap<>();
        try {
            if (config != null) {
                keys.putAll(keysOf(ConfigLoader.load(config)));
            }
            for (Path f : keyFiles) {
                add(keys, AuditKey.fromFile(f));
            }
            for (Path f : kekFiles) {
                add(keys, AuditKey.fromMasterKek(MasterKek.load(new KekSource("--kek-file", f, null))));
            }
        } catch (ConfigException e) {
            System.err.println("portcullis: " + e.getMessage());
            return 2;
        }
        if (keys.isEmpty()) {
            System.err.println("portcullis: no key to verify with: give --config, --key-file or --kek-file");
            return 2;
        }
        AuditVerifier.Report report = AuditVerifier.verify(files, keys);
        (report.intact() ? System.out : System.err).println(report.message());
        return report.intact() ? 0 : 1;
    }

    /** Every audit key a configuration yields: from each software store's master KEK and {@code [audit] hmac_key_file}. */
    public static Map<String, AuditKey> keysOf(PortcullisConfig c) {
        Map<String, AuditKey> keys = new LinkedHashMap<>();
        for (PortcullisConfig.StoreSettings.Store s : c.stores().stores()) {
            if (s.kek() != null) {
                add(keys, AuditKey.fromMasterKek(MasterKek.load(s.kek())));
            }
        }
        if (c.audit().hmacKeyFile() != null) {
            add(keys, AuditKey.fromFile(c.audit().hmacKeyFile()));
        }
        return keys;
    }

    private static void add(Map<String, AuditKey> keys, AuditKey key) {
        keys.putIfAbsent(key.keyId(), key);
    }
}
