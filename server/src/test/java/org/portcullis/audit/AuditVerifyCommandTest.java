package org.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.Portcullis;
import picocli.CommandLine;

/** {@code portcullis manage audit verify} on files that are missing or empty: what a script sees. */
class AuditVerifyCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new Portcullis());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private Path keyFile() throws Exception {
        Path key = dir.resolve("audit-key");
        byte[] raw = new byte[32];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (i * 7 + 1);
        }
        Files.writeString(key, Base64.getEncoder().encodeToString(raw));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        return key;
    }

    @Test
    void aMissingFileIsOneLineAndExit2() throws Exception {
        Path missing = dir.resolve("no-such-audit.log");
        int code = run("manage", "audit", "verify", "--key-file", keyFile().toString(), missing.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("portcullis: " + missing + ": no such file");
        assertThat(err.toString()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aDirectoryIsRefusedTheSameWay() throws Exception {
        int code = run("manage", "audit", "verify", "--key-file", keyFile().toString(), dir.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("portcullis: " + dir + ": not a readable file");
    }

    @Test
    void anEmptyFileSaysZeroEventsAndWarnsThatItProvesNothing() throws Exception {
        Path empty = Files.createFile(dir.resolve("audit.log"));
        int code = run("manage", "audit", "verify", "--key-file", keyFile().toString(), empty.toString());

        assertThat(code).isZero();
        assertThat(out.toString()).startsWith("0 events");
        assertThat(err.toString()).contains("warning").contains("an empty trail proves nothing");
    }
}
