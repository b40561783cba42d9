package org.portcullis.bench;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code rawinsert JDBC_URL SECONDS [THREADS ...]}: the raw insert rate of a database with one
 * row per committed transaction (auto-commit, one INSERT each), in a scratch table shaped like
 * a Barbican secrets row plus its encrypted datum: uuid text primary key, project, a few text
 * columns, a timestamp, a 60-byte blob, and an index on (project_id, created_at) like the one a
 * list query needs. Each (mode, threads) run starts from an empty table; the table is dropped
 * at the end.
 *
 * <p>Modes: SQLite in WAL mode with {@code synchronous=FULL} (durable: each commit is fsynced)
 * and {@code synchronous=NORMAL} (WAL fsynced only at checkpoints: survives a process crash, not
 * a power loss). PostgreSQL with {@code synchronous_commit=on} (durable) and {@code off}.
 * With several threads each thread has its own connection; on SQLite the writers then contend
 * for the single write lock (busy_timeout 10 s).
 */
final class RawInsert {

    static final String TABLE = "portcullis_bench_rawinsert";

    private RawInsert() {
    }

    record Target(String kind, String jdbcUrl, Properties props) {
        boolean sqlite() {
            return kind.equals("sqlite");
        }
    }

    record Mode(String label, boolean durable, List<String> sessionSql) {
    }

    static int run(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: rawinsert JDBC_URL SECONDS [THREADS ...]");
            return 2;
        }
        Target t = parse(args[0]);
        if (!t.sqlite() && !pgLoopback(t.jdbcUrl())) {
            System.err.println("rawinsert: refusing non-loopback database " + redact(t.jdbcUrl()));
            return 2;
        }
        double seconds = Double.parseDouble(args[1].replaceAll("s$", ""));
        List<Integer> threads = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            threads.add(Integer.parseInt(args[i]));
        }
        if (threads.isEmpty()) {
            threads = List.of(1, 16);
        }
        List<Mode> modes = t.sqlite()
                ? List.of(new Mode("wal+synchronous=FULL", true, List.of("PRAGMA synchronous=FULL")),
                          new Mode("wal+synchronous=NORMAL", false, List.of("PRAGMA synchronous=NORMAL")))
                : List.of(new Mode("synchronous_commit=on", true, List.of("SET synchronous_commit = on")),
                          new Mode("synchronous_commit=off", false, List.of("SET synchronous_commit = off")));

        System.err.println("rawinsert: " + t.kind() + " " + redact(t.jdbcUrl()) + ", " + seconds + " s per run");
        String fsync = "n/a";
        try (Connection c = open(t)) {
            if (t.sqlite()) {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA journal_mode=WAL");
                }
            } else {
                try (Statement s = c.createStatement(); var rs = s.executeQuery(
                        "select current_setting('fsync'), current_setting('wal_sync_method'), current_setting('server_version')")) {
                    rs.next();
                    fsync = rs.getString(1);
                    System.err.printf("rawinsert: postgresql %s fsync=%s wal_sync_method=%s%n",
                            rs.getString(3), rs.getString(1), rs.getString(2));
                }
            }
        }
        try {
            for (Mode m : modes) {
                for (int n : threads) {
                    recreate(t);
                    runOne(t, m, n, seconds, fsync);
                }
            }
        } finally {
            try (Connection c = open(t); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + TABLE);
            }
        }
        return 0;
    }

    static void runOne(Target t, Mode m, int nThreads, double seconds, String fsync) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder errors = new LongAdder();
        List<Bench.LongBuf> lat = new ArrayList<>();
        List<Thread> ts = new ArrayList<>();
        List<Connection> conns = new ArrayList<>();
        for (int i = 0; i < nThreads; i++) {
            Connection c = open(t);
            try (Statement s = c.createStatement()) {
                for (String sql : m.sessionSql()) {
                    s.execute(sql);
                }
            }
            conns.add(c);
        }
        String project = "rawinsert-" + UUID.randomUUID();
        long[] deadline = new long[1];
        for (int i = 0; i < nThreads; i++) {
            Connection c = conns.get(i);
            Bench.LongBuf buf = new Bench.LongBuf();
            lat.add(buf);
            Thread th = new Thread(() -> {
                byte[] blob = new byte[60];
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE
                        + " (id, project_id, name, secret_type, algorithm, mode, bit_length, status,"
                        + " content_type, created_at, cypher_text) VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
                    while (!stop.get()) {
                        ThreadLocalRandom.current().nextBytes(blob);
                        long s = System.nanoTime();
                        try {
                            ps.setString(1, UUID.randomUUID().toString());
                            ps.setString(2, project);
                            ps.setString(3, "wrk-bench");
                            ps.setString(4, "symmetric");
                            ps.setString(5, "aes");
                            ps.setString(6, "cbc");
                            ps.setInt(7, 256);
                            ps.setString(8, "ACTIVE");
                            ps.setString(9, "application/octet-stream");
                            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                            if (t.sqlite()) {
                                ps.setString(10, now.toString());
                            } else {
                                ps.setObject(10, now);
                            }
                            ps.setBytes(11, blob);
                            ps.executeUpdate(); // auto-commit: one row per committed transaction
                            long e = System.nanoTime();
                            if (e <= deadline[0]) {
                                buf.add(e - s);
                            }
                        } catch (SQLException ex) {
                            errors.increment();
                            if (errors.sum() <= 3) {
                                System.err.println("rawinsert: " + ex);
                            }
                        }
                    }
                } catch (SQLException ex) {
                    System.err.println("rawinsert: " + ex);
                    errors.increment();
                }
            }, "rawinsert-" + i);
            ts.add(th);
        }
        long t0 = System.nanoTime();
        deadline[0] = t0 + (long) (seconds * 1e9);
        for (Thread th : ts) {
            th.start();
        }
        Thread.sleep((long) (seconds * 1000));
        stop.set(true);
        for (Thread th : ts) {
            th.join();
        }
        for (Connection c : conns) {
            c.close();
        }
        long[] sorted = Bench.LongBuf.merge(lat);
        double rate = sorted.length / seconds;
        // a PostgreSQL server running with fsync=off is never durable, whatever synchronous_commit says
        boolean durable = m.durable() && !"off".equals(fsync);
        System.out.printf("RAWINSERT db=%s mode=%s durable=%s server_fsync=%s threads=%d inserts=%d secs=%.1f rate=%.1f"
                        + " p50_ms=%.3f p99_ms=%.3f max_ms=%.3f errors=%d%n",
                t.kind(), m.label(), durable ? "yes" : "no", fsync, nThreads, sorted.length, seconds, rate,
                Bench.pctMs(sorted, 50), Bench.pctMs(sorted, 99), Bench.pctMs(sorted, 100), errors.sum());
        System.out.flush();
    }

    static void recreate(Target t) throws SQLException {
        try (Connection c = open(t); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
            String blob = t.sqlite() ? "BLOB" : "BYTEA";
            String ts = t.sqlite() ? "TEXT" : "TIMESTAMPTZ";
            s.execute("CREATE TABLE " + TABLE + " ("
                    + " id VARCHAR(36) PRIMARY KEY,"
                    + " project_id VARCHAR(255) NOT NULL,"
                    + " name VARCHAR(255),"
                    + " secret_type VARCHAR(255),"
                    + " algorithm VARCHAR(255),"
                    + " mode VARCHAR(255),"
                    + " bit_length INTEGER,"
                    + " status VARCHAR(20) NOT NULL,"
                    + " content_type VARCHAR(255),"
                    + " created_at " + ts + " NOT NULL,"
                    + " cypher_text " + blob + " NOT NULL)");
            s.execute("CREATE INDEX " + TABLE + "_project ON " + TABLE + " (project_id, created_at)");
            if (t.sqlite()) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        }
    }

    static Connection open(Target t) throws SQLException {
        Connection c = DriverManager.getConnection(t.jdbcUrl(), t.props());
        c.setAutoCommit(true);
        if (t.sqlite()) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout=10000");
                s.execute("PRAGMA journal_mode=WAL");
            }
        }
        return c;
    }

    /** Accepts JDBC URLs and the barbican.conf style sqlite:////abs and postgresql://u:p@h:port/db. */
    static Target parse(String url) {
        Properties p = new Properties();
        if (url.startsWith("jdbc:sqlite:")) {
            return new Target("sqlite", url, p);
        }
        if (url.startsWith("sqlite:///")) {
            return new Target("sqlite", "jdbc:sqlite:" + url.substring("sqlite:///".length()), p);
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return new Target("postgresql", url, p);
        }
        if (url.startsWith("postgresql://") || url.startsWith("postgres://")
                || url.startsWith("postgresql+psycopg2://")) {
            URI u = URI.create(url.replaceFirst("^[a-z0-9+]+://", "postgresql://"));
            if (u.getRawUserInfo() != null) {
                String[] ui = u.getRawUserInfo().split(":", 2);
                p.setProperty("user", URLDecoder.decode(ui[0], StandardCharsets.UTF_8));
                if (ui.length > 1) {
                    p.setProperty("password", URLDecoder.decode(ui[1], StandardCharsets.UTF_8));
                }
            }
            String jdbc = "jdbc:postgresql://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "")
                    + u.getRawPath() + (u.getRawQuery() != null ? "?" + u.getRawQuery() : "");
            return new Target("postgresql", jdbc, p);
        }
        throw new IllegalArgumentException("unsupported database URL: " + redact(url));
    }

    static boolean pgLoopback(String jdbcUrl) {
        String rest = jdbcUrl.substring("jdbc:postgresql:".length());
        if (!rest.startsWith("//")) {
            return true; // jdbc:postgresql:db means localhost
        }
        return Load.isLoopback(URI.create("http:" + rest.replaceFirst("^(//[^/?]*).*$", "$1") + "/"));
    }

    static String redact(String url) {
        return url.replaceAll("(password=)[^&]*", "$1***").replaceAll("(://[^:/@]+:)[^@]*@", "$1***@");
    }
}
