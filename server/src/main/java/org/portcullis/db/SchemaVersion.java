package org.portcullis.db;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.portcullis.config.DatabaseSettings;

/**
 * The schema's version in a database (the last successful migration in Flyway's history table),
 * the newest this build carries ({@code db/migration/V<version>__*.sql}) and how many of this
 * build's migrations the database has yet to apply. Read directly rather than through Flyway's
 * {@code info()}, which costs a second of class loading and scanning in a tool that must be quick.
 */
public record SchemaVersion(String current, String latest, int pending) {
    static final String SHARED = "db/migration";
    /** Every migration script's path in this build, one a line (written by the build: server/pom.xml). */
    static final String INDEX = "db/migrations.index";
    private static final Pattern MIGRATION = Pattern.compile("V(\\d+(?:[._]\\d+)*)__.*\\.sql");
    private static final Comparator<String> BY_VERSION = (a, b) -> {
        String[] x = a.split("[._]");
        String[] y = b.split("[._]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length ? Long.parseLong(x[i]) : 0;
            long q = i < y.length ? Long.parseLong(y[i]) : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return 0;
    };

    /** Reads the history table; changes nothing. A database without one has version null. */
    public static SchemaVersion of(Database db) {
        List<String> applied = db.read(h -> {
            boolean exists = h.createQuery(db.kind() == DatabaseSettings.Kind.SQLITE
                            ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'flyway_schema_history'"
                            : "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() "
                                    + "AND table_name = 'flyway_schema_history'")
                    .mapTo(Integer.class).one() > 0;
            return exists ? h.createQuery("SELECT version FROM flyway_schema_history WHERE success AND version IS NOT "
                    + "NULL").mapTo(String.class).list() : List.<String>of();
        });
        List<String> known = known(db.kind());
        String current = applied.stream().max(BY_VERSION).orElse(null);
        String latest = known.stream().max(BY_VERSION).orElse(null);
        int pending = (int) known.stream().filter(v -> current == null || BY_VERSION.compare(v, current) > 0).count();
        return new SchemaVersion(current, latest, pending);
    }

    /**
     * True when the database has applied every migration this build carries and none failed, read
     * straight from the history table; false when it cannot tell (no table, no connection). A
     * node then skips Flyway, whose start (class loading, scanning and checksumming every script)
     * is a fifth of a node's start-up even when there is nothing to do.
     */
    static boolean upToDate(DatabaseSettings settings) {
        String latest = known(settings.kind()).stream().max(BY_VERSION).orElse(null);
        if (latest == null) {
            return false;
        }
        try (Connection c = connection(settings);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version, success FROM flyway_schema_history")) {
            String current = null;
            while (rs.next()) {
                String v = rs.getString(1);
                if (!rs.getBoolean(2)) {
                    return false; // Flyway reports the failed migration
                }
                if (v != null && (current == null || BY_VERSION.compare(v, current) > 0)) {
                    current = v;
                }
            }
            return current != null && BY_VERSION.compare(current, latest) >= 0;
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * One connection of its own for {@link #upToDate}. SQLite's from its driver directly:
     * DriverManager first loads every JDBC driver the class path declares (a service lookup over
     * the jar, PostgreSQL's driver initialised with it), which a SQLite node otherwise never does.
     */
    private static Connection connection(DatabaseSettings settings) throws SQLException {
        if (settings.kind() == DatabaseSettings.Kind.SQLITE) {
            return SqliteConnection.dataSource(settings.jdbcUrl(), new Properties()).getConnection();
        }
        return DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
    }

    /** The directory of the migrations only {@code kind} runs (beside the shared ones). */
    static String ownDirectory(DatabaseSettings.Kind kind) {
        return SHARED + "-" + kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The versions of this build's migrations for {@code kind}: the shared ones and its own. Read
     * from the migration index the build writes (server/pom.xml) when there is one: listing the
     * jar's 12,000 entries to find them was a tenth of a node's main-thread CPU before serving
     * (bench/start.sh, profiled). Only from a jar, which the build wrote with its index in one go:
     * in a classes directory an IDE may have copied a new migration beside an older index, and a
     * migration the index missed would make a node skip Flyway. There, from the directories.
     */
    static List<String> known(DatabaseSettings.Kind kind) {
        List<String> dirs = List.of(SHARED + "/", ownDirectory(kind) + "/");
        URL index = SchemaVersion.class.getClassLoader().getResource(INDEX);
        List<String> indexed = index != null && "jar".equals(index.getProtocol()) ? indexed(dirs) : null;
        return indexed != null ? indexed : scanned(kind, dirs);
    }

    /** The versions the build's migration index lists in {@code dirs}, or null without an index. */
    static List<String> indexed(List<String> dirs) {
        try (InputStream in = SchemaVersion.class.getClassLoader().getResourceAsStream(INDEX)) {
            if (in == null) {
                return null;
            }
            List<String> out = new ArrayList<>();
            for (String path : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                inDirectory(path, dirs, out);
            }
            return out.stream().distinct().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read this build's migration index: " + e.getMessage(), e);
        }
    }

    /**
     * The versions of the migrations in {@code dirs}, found from the shared directory (always
     * present), so a missing directory entry in a jar cannot hide a migration and make a node skip
     * Flyway.
     */
    static List<String> scanned(DatabaseSettings.Kind kind, List<String> dirs) {
        URL url = SchemaVersion.class.getClassLoader().getResource(SHARED);
        if (url == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try {
            if (url.openConnection() instanceof JarURLConnection jar) {
                // The jar's central directory, read once more as a plain JarFile (a zip file system
                // would index the whole jar: a tenth of a node's start-up CPU). Not the cached one:
                // closing that would close the class loader's own.
                jar.setUseCaches(false);
                // Every entry of the jar (12,000) is visited, so a plain loop: a stream and a lambda
                // per entry, run by the interpreter this early, cost twice the loop's CPU.
                try (JarFile file = jar.getJarFile()) {
                    for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements();) {
                        inDirectory(e.nextElement().getName(), dirs, out);
                    }
                }
            } else {
                Path shared = Path.of(url.toURI());
                out.addAll(versions(shared));
                Path own = shared.resolveSibling(Path.of(ownDirectory(kind)).getFileName().toString());
                if (Files.isDirectory(own)) {
                    out.addAll(versions(own));
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list this build's migrations: " + e.getMessage(), e);
        }
        return out.stream().distinct().toList();
    }

    /** Adds the version of {@code path} when it is a migration directly in one of {@code dirs}. */
    private static void inDirectory(String path, List<String> dirs, List<String> out) {
        for (String d : dirs) {
            if (path.startsWith(d)) {
                version(path.substring(d.length()), out);
                return;
            }
        }
    }

    private static void version(String fileName, List<String> out) {
        Matcher m = MIGRATION.matcher(fileName);
        if (m.matches()) {
            out.add(m.group(1));
        }
    }

    private static List<String> versions(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> version(f.getFileName().toString(), out));
        }
        return out;
    }
}
