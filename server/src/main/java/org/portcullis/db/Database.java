package org.portcullis.db;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.portcullis.config.DatabaseSettings;
import org.portcullis.config.DatabaseSettings.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared SQL database. Every write goes through {@link #write}, every read through {@link
 * #read} (the read side is {@link DatabaseReads}).
 *
 * <p>On SQLite, writes are funnelled through one connection: SQLite allows one writer at a time,
 * and letting several connections race for its lock is what makes Barbican answer "database is
 * locked". A single writer queued in the pool never sees that error; readers run in parallel on
 * their own connections thanks to WAL. Commits are durable ({@code synchronous=FULL}): a key
 * manager that acknowledged a key must not lose it on power failure. Concurrent writes on SQLite
 * share one transaction and one fsync ({@link GroupCommit}). On PostgreSQL both go to one pool and
 * the server locks; a request's lone INSERT is committed with others' ({@link StatementCommitter}).
 */
public final class Database extends DatabaseReads implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final long RETRY_PAUSE_MAX_SECONDS = 5;

    private final Kind kind;
    private final HikariDataSource writePool;
    private final HikariDataSource readPool;
    private final Jdbi writer;
    private final GroupCommit group; // SQLite only
    private final StatementCommitter committer; // PostgreSQL only

    private Database(Kind kind, HikariDataSource writePool, HikariDataSource readPool, ReadLimit limit) {
        this(kind, writePool, readPool, jdbi(kind, writePool), limit);
    }

    private Database(Kind kind, HikariDataSource writePool, HikariDataSource readPool, Jdbi writer, ReadLimit limit) {
        super(readPool == writePool ? writer : jdbi(kind, readPool), readPool, limit, kind == Kind.POSTGRESQL);
        this.kind = kind;
        this.writePool = writePool;
        this.readPool = readPool;
        this.writer = writer;
        this.group = kind == Kind.SQLITE ? new GroupCommit(writer) : null;
        this.committer = kind == Kind.POSTGRESQL ? new StatementCommitter(writePool) : null;
    }

    private static Jdbi jdbi(Kind kind, HikariDataSource pool) {
        Jdbi jdbi = Jdbi.create(pool);
        if (kind == Kind.SQLITE) {
            // PostgreSQL's driver keeps server-side prepared statements itself (prepareThreshold).
            CachingStatementBuilder statements = new CachingStatementBuilder();
            jdbi.setStatementBuilderFactory(connection -> statements);
        }
        return jdbi;
    }

    /**
     * Brings the schema up to date (Flyway; safe when several nodes start at once) and opens the
     * pools. A PostgreSQL that cannot be reached is waited for, with one log line per attempt: a
     * node started before its database (or during a failover) starts serving when it appears.
     */
    public static Database open(DatabaseSettings settings) {
        if (settings.kind() == Kind.SQLITE) {
            createParentDirectory(settings.jdbcUrl().substring("jdbc:sqlite:".length()));
        }
        for (int attempt = 1; ; attempt++) {
            try {
                if (!SchemaVersion.upToDate(settings)) {
                    migrate(settings);
                }
                break;
            } catch (RuntimeException e) {
                if (settings.kind() == Kind.SQLITE || !DatabaseUnavailable.causedBy(e)) {
                    throw e;
                }
                long pause = Math.min(attempt, RETRY_PAUSE_MAX_SECONDS);
                LOG.warn("database {} is unreachable (attempt {}: {}); retrying in {} s", settings.redacted(), attempt,
                        rootMessage(e), pause);
                pause(pause);
            }
        }
        return connect(settings);
    }

    /**
     * Opens the pools without touching the schema: for tools that must not change a database they
     * only inspect ({@code manage doctor}).
     */
    public static Database connect(DatabaseSettings settings) {
        if (settings.kind() == Kind.SQLITE) {
            HikariDataSource write = pool(settings, "sqlite-writer", 1, false);
            HikariDataSource read = pool(settings, "sqlite-reader", Math.max(2, Math.min(settings.poolSize(), 8)), true);
            return new Database(Kind.SQLITE, write, read, ReadLimit.none());
        }
        HikariDataSource pool = pool(settings, "postgresql", settings.poolSize(), false);
        int readLimit = settings.readLimit(Runtime.getRuntime().availableProcessors());
        return new Database(Kind.POSTGRESQL, pool, pool, ReadLimit.of(readLimit, settings.waitSeconds()));
    }

    private static void migrate(DatabaseSettings settings) {
        // Flyway needs two connections of its own (lock and work), so it does not share the
        // single-connection SQLite writer pool.
        Flyway.configure()
                .dataSource(settings.jdbcUrl(), settings.user(), settings.password())
                .locations(migrationLocations(settings.kind()))
                .load()
                .migrate();
    }

    /**
     * Where the schema's migrations are: the portable ones, then those that only one kind of
     * database can run (triggers, whose syntax SQLite and PostgreSQL do not share).
     */
    public static String[] migrationLocations(Kind kind) {
        return new String[] {"classpath:" + SchemaVersion.SHARED, "classpath:" + SchemaVersion.ownDirectory(kind)};
    }

    private static void pause(long seconds) {
        try {
            Thread.sleep(seconds * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the database", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /**
     * A pool that starts at its first connection. Built as a data source rather than from a {@code
     * HikariConfig}: that constructor copies every setting by reflection ({@code copyStateTo}), 6%
     * of the main thread's CPU before serving (bench/start.sh, profiled). Each pool's first
     * connection comes at start too (the store's registration writes, the stranded-store check
     * reads), so both still start before the node serves; settings are still validated here.
     */
    private static HikariDataSource pool(DatabaseSettings settings, String name, int size, boolean readOnly) {
        HikariDataSource hc = new HikariDataSource();
        hc.setPoolName(name);
        if (settings.user() != null) {
            hc.setUsername(settings.user());
        }
        if (settings.password() != null) {
            hc.setPassword(settings.password());
        }
        hc.setMaximumPoolSize(size);
        hc.setMinimumIdle(settings.minIdle(size));
        // A request waits this long for a connection, then fails with a 503 instead of piling up
        // behind a database that is gone; the pool replaces broken connections by itself.
        hc.setConnectionTimeout(settings.waitSeconds() * 1000L);
        hc.setInitializationFailTimeout(-1);
        if (settings.kind() == Kind.SQLITE) {
            Properties p = new Properties();
            p.setProperty("journal_mode", "WAL");
            p.setProperty("synchronous", "FULL");
            p.setProperty("busy_timeout", "30000");
            p.setProperty("foreign_keys", "true");
            // A writer's transaction takes the lock at BEGIN, so it never has to upgrade a read
            // lock mid-transaction (the other source of SQLITE_BUSY).
            p.setProperty("transaction_mode", readOnly ? "DEFERRED" : "IMMEDIATE");
            // Connections that keep their prepared statements (CachingStatementBuilder).
            hc.setDataSource(SqliteConnection.dataSource(settings.jdbcUrl(), p));
        } else {
            hc.setJdbcUrl(settings.jdbcUrl());
            hc.addDataSourceProperty("reWriteBatchedInserts", "true");
            hc.addDataSourceProperty("connectTimeout", String.valueOf(settings.waitSeconds()));
            hc.addDataSourceProperty("loginTimeout", String.valueOf(settings.waitSeconds()));
        }
        hc.validate();
        return hc;
    }

    private static void createParentDirectory(String file) {
        try {
            Path parent = Path.of(file).toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the directory of SQLite database " + file, e);
        }
    }

    /** Measures the pools (Hikari's meters) and every transaction's latency, by kind and outcome. */
    public void instrument(MeterRegistry registry) {
        writePool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        if (readPool != writePool) {
            readPool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        }
        measureTransactions(registry);
    }

    public Kind kind() {
        return kind;
    }

    /**
     * Runs {@code work} in one transaction on the writer, committed before this returns; all or
     * nothing. For the node's own bookkeeping (project KEKs, key checks) and operator commands:
     * what a request changes on a client's behalf goes through {@link #change}.
     *
     * @throws IllegalStateException inside a request that has changed something already: on SQLite
     *     the request holds the only writer connection, so this would wait for itself
     */
    public <T, X extends Exception> T write(HandleCallback<T, X> work) throws X {
        RequestTransaction tx = request.get();
        if (tx != null && tx.open()) {
            throw new IllegalStateException("a separate write inside a request's open transaction; "
                    + "do the node's own writes before the request's changes");
        }
        return group == null ? timed("write", () -> limit.holding(() -> writer.inTransaction(work::withHandle)))
                : writeInBatch(work);
    }

    /** On SQLite a write is a member of the next batch, with no event to wait for: the writer is the batches'. */
    private <T, X extends Exception> T writeInBatch(HandleCallback<T, X> work) throws X {
        RequestTransaction tx = new RequestTransaction(writer, group, committer);
        long start = System.nanoTime();
        boolean committed = false;
        try {
            T result;
            try {
                result = work.withHandle(tx.handle());
            } catch (Exception | Error e) {
                tx.rollback();
                throw e;
            }
            tx.commit();
            committed = true;
            return result;
        } finally {
            record("write", committed, start);
        }
    }

    /**
     * A change made on a client's behalf. Inside {@link #inRequest} it joins the request's one
     * transaction, which commits only after the handler returned (and so after its audit event
     * was written); elsewhere it is {@link #write}.
     */
    public <T, X extends Exception> T change(HandleCallback<T, X> work) throws X {
        RequestTransaction tx = request.get();
        return tx == null ? write(work) : tx.change(work);
    }

    /**
     * A {@link #change} of one statement sent with the request's COMMIT ({@link CommitStatement});
     * false: run it. It must be the request's last change: nothing the request reads or changes
     * after it sees its row, which exists only once the request has committed.
     */
    public boolean changeAtCommit(CommitStatement statement) {
        RequestTransaction tx = request.get();
        return tx != null && tx.atCommit(statement);
    }

    /** Work that reads and locks but writes nothing (a quota check): {@link RequestTransaction#check}. */
    public <T, X extends Exception> T check(HandleCallback<T, X> work) throws X {
        RequestTransaction tx = request.get();
        return tx == null ? write(work) : tx.check(work);
    }

    /** Runs {@code action} after the request's commit, at once outside one (e.g. destroying a deleted payload). */
    public void afterCommit(Runnable action) {
        RequestTransaction tx = request.get();
        if (tx != null && tx.open()) {
            tx.afterCommit(action);
        } else {
            action.run();
        }
    }

    /** Runs {@code action} if the request's changes are rolled back (e.g. destroying a payload sealed for them). */
    public void afterRollback(Runnable action) {
        RequestTransaction tx = request.get();
        if (tx != null && tx.open()) {
            tx.afterRollback(action);
        }
    }

    /**
     * Runs a request's handler with its changes in one transaction: committed when {@code body}
     * returns, rolled back when it throws. Why not commit first and audit after: a change whose
     * event cannot be written would stay, and the client, answered 503 without a ref, could
     * neither find nor delete it. Why not write the event after the commit and undo on failure:
     * the undo can fail too, and a destroyed payload cannot be undone. So the event is written
     * while the transaction is open and the commit follows; if the commit then fails, {@link
     * CommitFailedException} tells the caller to retract the event.
     */
    public <T> T inRequest(Callable<T> body) throws Exception {
        if (request.get() != null) {
            throw new IllegalStateException("a request inside a request");
        }
        RequestTransaction tx = new RequestTransaction(writer, group, committer);
        request.set(tx);
        boolean committed = false;
        try {
            T result;
            try {
                result = body.call();
            } catch (Exception | Error e) {
                tx.rollback();
                throw e;
            }
            tx.commit();
            committed = true;
            return result;
        } finally {
            request.remove();
            // A request's transaction is a write transaction: measured from its first change.
            if (tx.openedAtNanos() != 0) {
                record("write", committed, tx.openedAtNanos());
            }
        }
    }

    /**
     * Inside a request that changed something, makes its commit wait for {@code durable} (its audit
     * event) and returns true: the request goes on meanwhile, and fails at its commit if {@code
     * durable} fails. Elsewhere false: the caller waits itself.
     */
    public boolean commitAfter(Durable durable) {
        RequestTransaction tx = request.get();
        return tx != null && tx.commitAfter(durable);
    }

    @Override
    public void close() {
        if (group != null) {
            group.close();
        }
        if (committer != null) {
            committer.close();
        }
        if (readPool != writePool) {
            readPool.close();
        }
        writePool.close();
        LOG.debug("database pools closed");
    }
}
