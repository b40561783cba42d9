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
        requireOwnerOnly(file, what, "400");
    }

    /**
     * As {@link #requireOwnerOnly(Path, String)}; the refusal suggests {@code chmod fixMode}
     * (600 for files an operator edits or a tool rewrites, 400 for keys written once).
     */
    public static void requireOwnerOnly(Path file, String what, String fixMode) {
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
                    + mode(perms) + "); fix it with: chmod " + fixMode + " " + file);
        }
    }

    /**
     * A configuration file that carries a KEK, a password or a token inline (see
     * {@link SecretKeys}) is key material itself and must be owner-only.
     */
    static void requireNotWorldReadableIfSecret(Path file, IniFile ini) {
        SecretKeys.Found found = SecretKeys.first(ini);
        if (found != null) {
            requireOwnerOnly(file, found.what() + " ([" + found.section() + "] " + found.key() + ")", "600");
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
