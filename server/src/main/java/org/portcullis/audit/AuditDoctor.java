package org.portcullis.audit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.portcullis.config.PortcullisConfig;
import org.portcullis.config.PortcullisConfig.AuditSettings;
import org.portcullis.health.Finding;

/**
 * {@code manage doctor}'s look at the audit trail: the sink can be written, and the tail of the
 * file's chain (its last {@value #TAIL_BYTES} bytes, whole lines) verifies under the configured
 * keys — enough to catch a wrong key or a recent edit without reading a year of events. Writes nothing.
 */
public final class AuditDoctor {
    static final int TAIL_BYTES = 256 * 1024;

    private AuditDoctor() {}

    public static List<Finding> check(PortcullisConfig config) {
        AuditSettings a = config.audit();
        if (!a.enabled()) {
            return List.of(Finding.warn("audit trail", "disabled: nothing records who read or changed which secret",
                    "set [audit] enabled = True (the default)"));
        }
        if (a.sink() == AuditSettings.Sink.SYSLOG) {
            return List.of(Finding.pass("audit trail", "events go to syslog " + a.syslogAddress()
                    + "; verify the collected copy with: portcullis manage audit verify"));
        }
        Path file = a.file().toAbsolutePath();
        Path dir = file.getParent();
        if (!Files.exists(file)) {
            return List.of(dir != null && Files.isDirectory(dir) && Files.isWritable(dir)
                    ? Finding.pass("audit trail", file + " does not exist yet; its directory is writable")
                    : Finding.fail("audit trail", "cannot create " + file + ": its directory is missing or not writable; "
                            + "every API request would be refused", "mkdir -p " + dir + " (owned by the service user)"));
        }
        if (!Files.isWritable(file)) {
            return List.of(Finding.fail("audit trail", file + " is not writable: every API request would be refused",
                    "give the service user write access to " + file));
        }
        return List.of(Finding.pass("audit trail", file + " is writable"), tail(config, file));
    }

    private static Finding tail(PortcullisConfig config, Path file) {
        String check = "audit chain";
        Path copy = null;
        Map<String, AuditKey> keys;
        try {
            keys = AuditVerifyCommand.keysOf(config);
        } catch (RuntimeException e) {
            return Finding.warn(check, "not verified: no audit key could be read (" + e.getMessage() + ")",
                    "fix the key file named above, then run doctor again");
        }
        try {
            if (keys.isEmpty()) {
                return Finding.warn(check, "no key to verify with", "set [audit] hmac_key_file");
            }
            copy = Files.createTempFile("portcullis-audit-tail", ".log");
            Files.write(copy, lastLines(file));
            AuditVerifier.Report r = AuditVerifier.verify(List.of(copy), keys);
            return r.intact() ? Finding.pass(check, "the last " + r.events() + " events verify: " + r.message())
                    : Finding.fail(check, "the tail of " + file + " does not verify: " + r.message(),
                            "run: portcullis manage audit verify --config FILE " + file + " and investigate");
        } catch (IOException | RuntimeException e) {
            return Finding.fail(check, "cannot read " + file + ": " + e.getMessage(), "check the file's permissions");
        } finally {
            if (copy != null) {
                try {
                    Files.deleteIfExists(copy);
                } catch (IOException ignored) {
                    // a temporary copy of public event lines
                }
            }
        }
    }

    /** The file's last whole lines within {@link #TAIL_BYTES}. */
    private static byte[] lastLines(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long len = f.length();
            int n = (int) Math.min(len, TAIL_BYTES);
            byte[] buf = new byte[n];
            f.seek(len - n);
            f.readFully(buf);
            int start = 0;
            if (n < len) { // drop the first, partial line
                while (start < n && buf[start] != '\n') {
                    start++;
                }
                start++;
            }
            return java.util.Arrays.copyOfRange(buf, Math.min(start, n), n);
        }
    }
}
