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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis manage audit verify [--config FILE] [--key-file F] [--kek-file F] AUDIT_FILE...}:
 * exit 0 with "N events, chain intact", 1 with the first broken link, 2 when no usable key was
 * given. Keys: every software store's master KEK (current and previous_kek_files) in the
 * configuration (so events from before a
 * change of global default still verify) and its {@code [audit] hmac_key_file}, plus any given
 * directly. The database is not opened. A file that cannot be read is one line and exit 2 (a
 * script must not mistake a typo in a path for a broken chain); an empty trail verifies, with a
 * warning, since it proves nothing.
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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        java.io.PrintWriter out = spec.commandLine().getOut();
        java.io.PrintWriter err = spec.commandLine().getErr();
        for (Path f : files) {
            if (!java.nio.file.Files.isRegularFile(f) || !java.nio.file.Files.isReadable(f)) {
                err.println("portcullis: " + f + ": " + (java.nio.file.Files.exists(f)
                        ? "not a readable file" : "no such file"));
                return 2;
            }
        }
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
            err.println("portcullis: " + e.getMessage());
            return 2;
        }
        if (keys.isEmpty()) {
            err.println("portcullis: no key to verify with: give --config, --key-file or --kek-file");
            return 2;
        }
        AuditVerifier.Report report;
        try {
            report = AuditVerifier.verify(files, keys);
        } catch (java.io.IOException e) {
            err.println("portcullis: cannot read the audit files: " + e.getMessage());
            return 2;
        }
        (report.intact() ? out : err).println(report.message());
        if (report.intact() && report.events() == 0) {
            err.println("portcullis: warning: the trail is empty; an empty trail proves nothing (was the file "
                    + "truncated or replaced? compare with another copy, e.g. syslog)");
        }
        return report.intact() ? 0 : 1;
    }

    /** Every audit key a configuration yields: from each software store's master KEK and {@code [audit] hmac_key_file}. */
    public static Map<String, AuditKey> keysOf(PortcullisConfig c) {
        Map<String, AuditKey> keys = new LinkedHashMap<>();
        for (PortcullisConfig.StoreSettings.Store s : c.stores().stores()) {
            if (s.kek() != null) {
                add(keys, AuditKey.fromMasterKek(MasterKek.load(s.kek())));
                // Events sealed before a master-key rotation were keyed from the previous key.
                for (Path previous : s.options().paths("previous_kek_files")) {
                    add(keys, AuditKey.fromMasterKek(MasterKek.load(
                            new KekSource(s.options().origin("previous_kek_files"), previous, null))));
                }
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
