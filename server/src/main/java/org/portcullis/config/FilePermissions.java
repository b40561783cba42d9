package org.portcullis.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Refuses key material that other local users can read. A KEK file with mode 0644 is one
 * {@code cat} away from every secret in the database, so the server does not start with one.
 */
public final class FilePermissions {
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private FilePermissions() {}

    /** Throws unless only the owner may access {@code file}; {@code what} says what it holds. */
    public static void requireOwnerOnly(Path file, String what) {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return; // not a POSIX file system: nothing to check against
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read " + what + ": " + e.getMessage(), e);
        }
        if (perms.stream().anyMatch(GROUP_OR_OTHER::contains)) {
            throw new ConfigException(file + " holds " + what + " but is accessible to group or others (mode "
                    + mode(perms) + "); fix it with: chmod 400 " + file);
        }
    }

    /** Keys whose value is a credential: a file that holds one inline is key material itself. */
    private static final java.util.Map<String, String> INLINE_SECRETS = java.util.Map.of(
            "kek", "a master KEK",
            "root_token_id", "a Vault token",
            "approle_secret_id", "a Vault AppRole secret id");

    /** A configuration file that carries a KEK or a backend credential inline is key material itself. */
    static void requireNotWorldReadableIfSecret(Path file, IniFile ini) {
        for (var section : ini.sections().entrySet()) {
            for (var secret : INLINE_SECRETS.entrySet()) {
                var entry = section.getValue().get(secret.getKey());
                if (entry != null && !entry.value().isEmpty()) {
                    requireOwnerOnly(file, secret.getValue() + " ([" + section.getKey() + "] " + secret.getKey() + ")");
                    return;
                }
            }
        }
    }

    static String mode(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", mode);
    }
}
