package org.portcullis.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The zero-configuration development setup: a data directory holding two master KEK files
 * (mode 0400) and a {@code portcullis.conf} that names them, SQLite, and two software stores so
 * multi-store works from the first request. The KEK files are created once and kept; the
 * configuration is rewritten at each start so the command line's address and port apply.
 */
public final class DevEnvironment {
    private DevEnvironment() {}

    /** Creates what is missing under {@code home} and returns the configuration file's path. */
    public static Path prepare(Path home, String bindHost, int port) throws IOException {
        Files.createDirectories(home);
        // The database holds wrapped keys and ciphertexts: nobody else needs to list or read it.
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Path kek = ensureKek(home.resolve("kek-software"));
        Path kek2 = ensureKek(home.resolve("kek-software-2"));
        Path conf = home.resolve("portcullis.conf");
        String text = """
                # Written by `portcullis dev` at every start: a development server, not for production.
                # To change it, copy it and run `portcullis serve --config <copy>`.
                [DEFAULT]
                sql_connection = sqlite:///%2$s

                [portcullis]
                bind_host = %3$s
                bind_port = %4$d
                data_dir = %5$s
                auth_strategy = noauth
                # dev serves plain HTTP; on a non-loopback --bind the server warns at start
                allow_insecure_http = true

                [audit]
                # CADF JSON lines, HMAC-chained; check with: portcullis manage audit verify --config %1$s FILE
                file = %5$s/audit.log

                [secretstore]
                enable_multiple_secret_stores = True
                stores_lookup_suffix = software, software-2

                [secretstore:software]
                secret_store_plugin = store_crypto
                crypto_plugin = simple_crypto
                global_default = True
                kek_file = %6$s

                [secretstore:software-2]
                secret_store_plugin = store_crypto
                crypto_plugin = simple_crypto
                kek_file = %7$s
                """.formatted(conf, home.resolve("portcullis.sqlite"), bindHost, port, home, kek, kek2);
        Files.writeString(conf, text);
        return conf;
    }

    private static Path ensureKek(Path file) throws IOException {
        if (Files.exists(file)) {
            return file;
        }
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        Path tmp = Files.createTempFile(file.getParent(), ".kek", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, Base64.getEncoder().encodeToString(raw) + "\n");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r--------"));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return file;
    }
}
