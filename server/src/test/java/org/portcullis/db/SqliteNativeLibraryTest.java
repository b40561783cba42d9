package org.portcullis.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.util.LibraryLoaderUtil;
import org.sqlite.util.OSInfo;

/**
 * The driver's native library is extracted once into the node's directory, checked at every
 * start, extracted again when the copy is damaged, and not used from a directory others can write.
 */
class SqliteNativeLibraryTest {
    private static final List<String> PROPS =
            List.of(SqliteNativeLibrary.LIB_PATH, SqliteNativeLibrary.LIB_NAME, SqliteNativeLibrary.TMPDIR);
    private final Map<String, String> saved = new HashMap<>();

    @TempDir
    Path tmp;

    @BeforeEach
    void clearProperties() {
        PROPS.forEach(p -> saved.put(p, System.clearProperty(p)));
    }

    @AfterEach
    void restoreProperties() {
        saved.forEach((p, v) -> {
            if (v == null) {
                System.clearProperty(p);
            } else {
                System.setProperty(p, v);
            }
        });
    }

    private static long crc(byte[] bytes) {
        CRC32 c = new CRC32();
        c.update(bytes);
        return c.getValue();
    }

    private static byte[] jarCopy() throws Exception {
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
        try (var in = LibraryLoaderUtil.class.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }

    /** Found without the driver's process-spawning OS detection, the library's folder is the driver's own. */
    @Test
    void findsTheDriversFolderForThisPlatform() {
        assertThat(SqliteNativeLibrary.resourceFolder()).isEqualTo(LibraryLoaderUtil.getNativeLibResourcePath());
    }

    @Test
    void readsMuslFromTheMapsAsTheDriverDoesFromMapFiles() {
        assertThat(SqliteNativeLibrary.musl()).isEqualTo(OSInfo.isMusl());
    }

    @Test
    void extractsOnceAndPointsTheDriverAtTheCopy() throws Exception {
        Path dir = tmp.resolve("native");
        Path lib = SqliteNativeLibrary.use(dir);
        assertThat(lib).isNotNull().hasParent(dir);
        byte[] expected = jarCopy();
        assertThat(Files.readAllBytes(lib)).isEqualTo(expected);
        assertThat(lib.getFileName().toString()).contains(String.format("%08x", crc(expected)));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lib))).isEqualTo("r-x------");
        assertThat(System.getProperty(SqliteNativeLibrary.LIB_PATH)).isEqualTo(dir.toString());
        assertThat(System.getProperty(SqliteNativeLibrary.LIB_NAME)).isEqualTo(lib.getFileName().toString());

        Object inode = Files.getAttribute(lib, "unix:ino");
        System.clearProperty(SqliteNativeLibrary.LIB_PATH);
        assertThat(SqliteNativeLibrary.use(dir)).isEqualTo(lib);
        assertThat(Files.getAttribute(lib, "unix:ino")).as("the intact copy is kept").isEqualTo(inode);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(lib);
        }
    }

    @Test
    void aDamagedOrStaleCopyIsExtractedAgain() throws Exception {
        Path dir = tmp.resolve("native");
        Path lib = SqliteNativeLibrary.use(dir);
        byte[] damaged = Files.readAllBytes(lib);
        damaged[damaged.length / 2] ^= 1;
        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rw-------"));
        Files.write(lib, damaged);
        Path stale = dir.resolve("sqlitejdbc-00000000-" + LibraryLoaderUtil.getNativeLibName());
        Files.writeString(stale, "old");
        System.clearProperty(SqliteNativeLibrary.LIB_PATH);

        assertThat(SqliteNativeLibrary.use(dir)).isEqualTo(lib);
        assertThat(Files.readAllBytes(lib)).isEqualTo(jarCopy());
        assertThat(stale).doesNotExist();
    }

    @Test
    void aDirectoryOthersCanWriteIsNotUsed() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("native"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertThat(SqliteNativeLibrary.use(dir)).isNull();
        assertThat(System.getProperty(SqliteNativeLibrary.LIB_PATH)).isNull();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }

        Path parent = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(SqliteNativeLibrary.use(parent.resolve("native"))).isNull();
        assertThat(System.getProperty(SqliteNativeLibrary.LIB_PATH)).isNull();
    }

    @Test
    void aCopyOthersCanWriteIsReplaced() throws Exception {
        Path dir = tmp.resolve("native");
        Path lib = SqliteNativeLibrary.use(dir);
        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("r-xrw-r--"));
        System.clearProperty(SqliteNativeLibrary.LIB_PATH);
        assertThat(SqliteNativeLibrary.use(dir)).isEqualTo(lib);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lib))).isEqualTo("r-x------");
    }

    @Test
    void theDriversTemporaryDirectoryIsPointedHereOnlyForItsLoad() throws Exception {
        Path dir = tmp.resolve("native");
        Path lib = SqliteNativeLibrary.use(dir);
        assertThat(lib).isNotNull();
        assertThat(System.getProperty(SqliteNativeLibrary.TMPDIR)).as("restored after the load").isNull();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("t.db"));
                var rs = c.createStatement().executeQuery("SELECT sqlite_version()")) {
            assertThat(rs.next()).isTrue();
        }
        try (var files = Files.list(dir)) {
            assertThat(files).as("the sweep deleted nothing of ours").containsExactly(lib);
        }

        System.clearProperty(SqliteNativeLibrary.LIB_PATH);
        System.setProperty(SqliteNativeLibrary.TMPDIR, "/var/tmp/operator");
        assertThat(SqliteNativeLibrary.use(dir)).isEqualTo(lib);
        assertThat(System.getProperty(SqliteNativeLibrary.TMPDIR)).isEqualTo("/var/tmp/operator");
    }

    @Test
    void anOperatorsLibraryPathWins() {
        System.setProperty(SqliteNativeLibrary.LIB_PATH, "/opt/sqlite");
        assertThat(SqliteNativeLibrary.use(tmp.resolve("native"))).isNull();
        assertThat(tmp.resolve("native")).doesNotExist();
        assertThat(System.getProperty(SqliteNativeLibrary.LIB_PATH)).isEqualTo("/opt/sqlite");
    }
}
