package org.portcullis.db;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;
import org.sqlite.util.OSInfo;

/**
 * sqlite-jdbc's native library, kept extracted in a directory of the node's own. Left to itself
 * the driver inflates the 1 MB library from the jar into java.io.tmpdir at every start and reads
 * it back to compare: tens of milliseconds of a node's start (bench/scale.sh), in a directory
 * every local user can write to. Here it is
 * extracted once per library (its name carries the jar entry's CRC-32), and every start checks
 * the copy before the driver loads it: a regular file and a directory owned by this process's
 * user and writable by nobody else, with the jar entry's size and CRC-32. A copy that fails is
 * extracted again; a directory that fails is not used, and the driver extracts as it always did.
 * Its temporary directory stays its fallback: a copy here that cannot be loaded (a directory
 * mounted noexec) makes it extract to java.io.tmpdir as before rather than fail.
 */
public final class SqliteNativeLibrary {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteNativeLibrary.class);
    static final String LIB_PATH = "org.sqlite.lib.path";
    static final String LIB_NAME = "org.sqlite.lib.name";
    static final String TMPDIR = "org.sqlite.tmpdir";
    private static final Set<PosixFilePermission> OTHERS_WRITE =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private SqliteNativeLibrary() {}

    /**
     * Points the driver at the checked copy in {@code dir} (created with mode 0700 if missing).
     * Returns the library's file, or null when the driver is left to its own extraction: a
     * library path set by the operator, the driver not in a jar (tests run from classes), a
     * non-POSIX file system, or a directory that failed the check (logged).
     */
    public static Path use(Path dir) {
        if (System.getProperty(LIB_PATH) != null) {
            return null; // the operator's own choice
        }
        try {
            String resource = resourceFolder() + "/" + LibraryLoaderUtil.getNativeLibName();
            URL url = LibraryLoaderUtil.class.getResource(resource);
            if (url == null || !(url.openConnection() instanceof JarURLConnection jar)
                    || !"file".equals(jar.getJarFileURL().getProtocol())) {
                return null;
            }
            Path lib;
            // The class loader has this jar open already: ZipFile shares its central directory.
            try (ZipFile zip = new ZipFile(Path.of(jar.getJarFileURL().toURI()).toFile())) {
                ZipEntry entry = zip.getEntry(jar.getEntryName());
                if (entry == null || entry.getCrc() < 0 || entry.getSize() < 0) {
                    return null;
                }
                Files.createDirectories(dir,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                String why = unsafe(dir);
                if (why != null) {
                    LOG.warn("SQLite native library not cached in {}: {}; the driver extracts it to its "
                            + "temporary directory", dir, why);
                    return null;
                }
                lib = dir.resolve(
                        String.format("sqlitejdbc-%08x-%s", entry.getCrc(), LibraryLoaderUtil.getNativeLibName()));
                if (!intact(lib, entry)) {
                    extract(zip, entry, dir, lib);
                    if (!intact(lib, entry)) {
                        LOG.warn("SQLite native library {} does not match the jar after extraction; not used", lib);
                        return null;
                    }
                }
            }
            System.setProperty(LIB_PATH, dir.toString());
            System.setProperty(LIB_NAME, lib.getFileName().toString());
            loadNow(dir, lib);
            return lib;
        } catch (UnsupportedOperationException e) {
            return null; // not a POSIX file system: nothing to check the copy against
        } catch (Exception e) {
            LOG.warn("SQLite native library not cached in {}: {}; the driver extracts it to its temporary directory",
                    dir, e.toString());
            return null;
        }
    }

    /**
     * The jar folder of this platform's library, as the driver names it ({@code
     * LibraryLoaderUtil.getNativeLibResourcePath}). On Linux the driver asks whether it runs in
     * Android's Termux by running {@code uname -o} as a process, ~28 ms of a node's start on its
     * main thread (bench/start.sh). A Linux without Android's {@code /system} directory (every
     * server) is not Android, so here it is Linux or, by the driver's own check, Linux-Musl. A
     * wrong answer only costs the saving: a copy that does not load leaves the library to the
     * driver's first connection, whose own detection picks and extracts the right one (loadNow).
     */
    static String resourceFolder() {
        if (!System.getProperty("os.name", "").contains("Linux") || OSInfo.isAndroidRuntime()
                || Files.exists(Path.of("/system"))) {
            return LibraryLoaderUtil.getNativeLibResourcePath();
        }
        return "/" + SQLiteJDBCLoader.class.getPackageName().replace('.', '/') + "/native/"
                + (musl() ? "Linux-Musl" : "Linux") + "/" + OSInfo.getArchName();
    }

    /**
     * The driver's own test ({@code OSInfo.isMusl}: a mapped file whose path names musl), read from
     * /proc/self/maps, which lists the same paths in one read: the driver resolves every entry of
     * /proc/self/map_files (hundreds in a JVM, a system call each), ~5 ms of the main thread's
     * start. Where maps cannot be read, the driver's test.
     */
    static boolean musl() {
        try {
            byte[] maps = Files.readAllBytes(Path.of("/proc/self/maps"));
            return new String(maps, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT).contains("musl");
        } catch (IOException | RuntimeException e) {
            return OSInfo.isMusl();
        }
    }

    /**
     * Has the driver load the copy now, its temporary directory pointed at {@code dir} for that one
     * call. Before its first load the driver sweeps its temporary directory for stale extractions of
     * its own, listing every entry of java.io.tmpdir: with 5,300 entries in /tmp (this host) a sixth
     * of a node's main-thread CPU before serving (JFR, bench/scale.sh). A library loaded from here
     * was never extracted there, so this directory is the one with nothing to sweep. It is the
     * driver's own load (its initialize, which does nothing once a library is loaded): one process,
     * one library. An operator's org.sqlite.tmpdir is left alone, and a copy the OS will not
     * execute (a noexec mount: access(2) says so) is left to the driver's first connection as
     * before, so its fallback extraction still goes to its temporary directory.
     */
    private static void loadNow(Path dir, Path lib) {
        if (System.getProperty(TMPDIR) != null || !Files.isExecutable(lib)) {
            return;
        }
        System.setProperty(TMPDIR, dir.toString());
        try {
            SQLiteJDBCLoader.initialize();
        } catch (Exception e) {
            // the first connection tries again with the driver's own temporary directory
            LOG.warn("SQLite native library {} not loaded yet: {}", lib, e.toString());
        } finally {
            System.clearProperty(TMPDIR);
        }
    }

    /** Why {@code dir} may not hold a library this process loads, or null when it may. */
    static String unsafe(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return "not a directory";
        }
        String who = othersMayWrite(dir);
        return who != null ? who : othersMayWrite(dir.toAbsolutePath().getParent());
    }

    private static String othersMayWrite(Path p) throws IOException {
        if (p == null) {
            return null;
        }
        Object owner = Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        Object self = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (!owner.equals(self) && !owner.equals(0)) {
            return p + " belongs to another user (uid " + owner + ")";
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        if (perms.stream().anyMatch(OTHERS_WRITE::contains)) {
            return p + " is writable by group or others (" + PosixFilePermissions.toString(perms) + ")";
        }
        return null;
    }

    /** A regular file of this user, writable by nobody else, with the entry's size and CRC-32. */
    static boolean intact(Path lib, ZipEntry entry) throws IOException {
        if (!Files.isRegularFile(lib, LinkOption.NOFOLLOW_LINKS) || Files.size(lib) != entry.getSize()
                || othersMayWrite(lib) != null) {
            return false;
        }
        // In chunks: a 1 MB array (readAllBytes) was zeroed, faulted in and dropped by the main thread.
        CRC32 crc = new CRC32();
        try (InputStream in = Files.newInputStream(lib)) {
            byte[] chunk = new byte[64 * 1024];
            for (int n; (n = in.read(chunk)) > 0;) {
                crc.update(chunk, 0, n);
            }
        }
        return crc.getValue() == entry.getCrc();
    }

    /** Writes the entry beside {@code lib}, durable, then renames it into place; older copies go. */
    private static void extract(ZipFile zip, ZipEntry entry, Path dir, Path lib) throws IOException {
        Path tmp = Files.createTempFile(dir, ".sqlitejdbc-", ".tmp"); // mode 0600
        try {
            try (InputStream in = zip.getInputStream(entry); var out = Files.newOutputStream(tmp)) {
                in.transferTo(out);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r-x------"));
            Files.move(tmp, lib, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "sqlitejdbc-*")) {
            for (Path p : old) {
                if (!p.equals(lib)) {
                    Files.deleteIfExists(p);
                }
            }
        }
        LOG.info("SQLite native library extracted to {}", lib);
    }
}
