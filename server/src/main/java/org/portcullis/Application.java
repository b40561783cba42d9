package org.portcullis;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.crypto.Mac;
import com.fasterxml.jackson.core.base.ParserMinimalBase;
import org.eclipse.jetty.http.MimeTypes;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.portcullis.acl.AclEntities;
import org.portcullis.acl.AclEntity;
import org.portcullis.acl.AclRepository;
import org.portcullis.acl.AclResource;
import org.portcullis.acl.AclService;
import org.portcullis.audit.AuditTrail;
import org.portcullis.audit.AuditedTransactions;
import org.portcullis.auth.Authenticator;
import org.portcullis.auth.NoAuthAuthenticator;
import org.portcullis.auth.Policy;
import org.portcullis.auth.PolicyFiles;
import org.portcullis.auth.PolicyProfile;
import org.portcullis.auth.keystone.KeystoneAuthenticator;
import org.portcullis.config.DatabaseSettings;
import org.portcullis.config.PortcullisConfig;
import org.portcullis.containers.ContainerAcls;
import org.portcullis.containers.ContainerRepository;
import org.portcullis.containers.ContainerResource;
import org.portcullis.containers.ContainerService;
import org.portcullis.db.Database;
import org.portcullis.db.JobLease;
import org.portcullis.db.SqliteNativeLibrary;
import org.portcullis.http.HttpServer;
import org.portcullis.http.Json;
import org.portcullis.http.Router;
import org.portcullis.http.VersionResource;
import org.portcullis.logging.LogSetup;
import org.portcullis.metrics.Metrics;
import org.portcullis.metrics.MetricsResource;
import org.portcullis.metrics.MetricsServer;
import org.portcullis.idempotency.IdempotencyKeys;
import org.portcullis.orders.GeneratedContainers;
import org.portcullis.orders.OrderRepository;
import org.portcullis.orders.OrderResource;
import org.portcullis.orders.OrderService;
import org.portcullis.quotas.QuotaEnforcer;
import org.portcullis.quotas.QuotaRepository;
import org.portcullis.quotas.QuotaResource;
import org.portcullis.quotas.QuotaService;
import org.portcullis.secrets.SecretConsumerResource;
import org.portcullis.transport.ServerTransportKeys;
import org.portcullis.secrets.ExpiryWatch;
import org.portcullis.secrets.SecretConsumerService;
import org.portcullis.secrets.SecretRepository;
import org.portcullis.secrets.SecretResource;
import org.portcullis.secrets.SecretService;
import org.portcullis.health.HealthResource;
import org.portcullis.stores.StoreHealthCheck;
import org.portcullis.db.DatabaseHealthCheck;
import org.portcullis.audit.AuditHealthCheck;
import org.portcullis.stores.PreferredStores;
import org.portcullis.stores.SecretStoreResource;
import org.portcullis.stores.StoreRegistry;
import org.portcullis.transport.TransportKeyRepository;
import org.portcullis.transport.TransportKeyResource;
import org.portcullis.transport.TransportKeyService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Portcullis node: database, stores, services and the HTTP server, wired by hand so
 * the whole object graph can be read in one place.
 */
public final class Application implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Application.class);
    /** Jdbi's JFR support, which the first statement Jdbi executes initialises (named: an internal class). */
    private static final String JDBI_JFR_SUPPORT = "org.jdbi.v3.core.statement.internal.JfrSupport";
    /** What HikariCP puts in place of a connection given back: its init builds a proxy class (named: package-private). */
    private static final String HIKARI_CLOSED_CONNECTION = "com.zaxxer.hikari.pool.ProxyConnection$ClosedConnection";

    private final PortcullisConfig config;
    private final Database db;
    private final StoreRegistry stores;
    private final HttpServer http;
    private final AuditTrail audit;
    private final Metrics metrics;
    private final MetricsServer metricsServer;
    private final JobLease jobs;
    private ExpiryWatch expiry;

    private Application(PortcullisConfig config, Database db, StoreRegistry stores, HttpServer http, AuditTrail audit,
            Metrics metrics, MetricsServer metricsServer, JobLease jobs) {
        this.jobs = jobs;
        this.config = config;
        this.db = db;
        this.stores = stores;
        this.http = http;
        this.audit = audit;
        this.metrics = metrics;
        this.metricsServer = metricsServer;
    }

    /** Opens the database, verifies every store's keys, and starts serving. */
    public static Application start(PortcullisConfig config) throws Exception {
        // What the main thread needs on its way to serving and that needs nothing from the database
        // is built meanwhile on two other threads, each in the order the main thread needs it
        // (bench/start.sh --profile, wall clock: the main thread had waited ~0.1 s for one thread
        // doing all of it). A class still being initialised there when the main thread needs it
        // makes it wait on the class's init lock; a failure there is met again, and reported,
        // where the main thread needs the class.
        // start-db: Jdbi's configuration classes (Database.open's Jdbi.create: its mappers,
        // argument factories and their method handles); HikariCP's closed-connection proxy (the
        // first pooled connection given back, the stranded-store check); the JSON mapper and the
        // first JSON parse's classes (the audit trail reads its last line): Jackson's parser base
        // initialises BigDecimal, whose JDK 25 class init squares its way to 5^65536 in the
        // interpreter.
        Thread.ofPlatform().name("start-db").daemon().start(() -> {
            try {
                new ConfigRegistry();
                Class.forName(HIKARI_CLOSED_CONNECTION, true, Database.class.getClassLoader());
                initialize(Json.class);
                initialize(ParserMinimalBase.class);
            } catch (Throwable t) {
                LOG.debug("start-up class initialisation left to the main thread", t);
            }
        });
        LogSetup.apply(config.monitoring());
        Clock clock = Clock.systemUTC();
        // start-metrics: the meter registry, which the main thread joins once the database is
        // open; then the JCE's provider list (the software store's KEK fingerprint is its first
        // HMAC) and Jetty's MIME table (it lists every locale), needed by the HTTP server's
        // constructor only: built before the answer, the main thread waited for it at joined.
        CompletableFuture<Metrics> early = new CompletableFuture<>();
        Thread.ofPlatform().name("start-metrics").daemon().start(() -> {
            try {
                early.complete(Metrics.create(version()));
            } catch (Throwable t) {
                early.completeExceptionally(t);
                return;
            }
            try {
                Mac.getInstance("HmacSHA256");
                initialize(MimeTypes.class);
            } catch (Throwable t) {
                LOG.debug("start-up class initialisation left to the main thread", t);
            }
        });
        if (config.database().kind() == DatabaseSettings.Kind.SQLITE) {
            SqliteNativeLibrary.use(config.dataDir().resolve("native"));
        }
        Database db;
        try {
            db = Database.open(config.database());
        } catch (RuntimeException | Error e) {
            early.thenAccept(Metrics::close);
            throw e;
        }
        Metrics metrics = joined(early, db);
        AuditTrail audit = null;
        MetricsServer metricsServer = null;
        JobLease jobs = null;
        try {
            db.instrument(metrics.registry());
            StoreRegistry stores = StoreRegistry.start(config.stores(), db, clock, metrics.registry());
            audit = AuditTrail.start(config.audit(), stores, clock, metrics.registry());
            ExpiryWatch expiry = config.monitoring().expiryWarningDays() <= 0 ? null
                    : new ExpiryWatch(db, audit, clock, config.monitoring().expiryWarningDays()).meter(metrics.registry());
            Policy policy = Policy.create(PolicyProfile.named(config.policy().defaults()),
                    config.policy().enforceNewDefaults(), config.policy().enforceScope(),
                    PolicyFiles.read(config.policy().policyFile()));
            PreferredStores preferred = new PreferredStores(db, stores, clock);
            AclService acls = new AclService(db, new AclRepository(), policy, clock);
            SecretRepository secretRepository = new SecretRepository();
            QuotaRepository quotaRepository = new QuotaRepository();
            QuotaEnforcer quotas = new QuotaEnforcer(db, quotaRepository, config.quotas(), clock);
            SecretService secrets = new SecretService(db, secretRepository, stores, preferred, policy, acls, quotas, clock);
            SecretConsumerService secretConsumers = new SecretConsumerService(db, secretRepository, secrets, quotas, clock);
            ContainerAcls containerAcls = (ctx, id) -> acls.viewFor(ctx, AclEntity.Kind.CONTAINER, id);
            ContainerService containers = new ContainerService(db, new ContainerRepository(db.kind()), containerAcls,
                    policy, quotas, clock);
            AclEntities aclEntities = (kind, id) -> switch (kind) {
                case SECRET -> secrets.aclEntity(id);
                case CONTAINER -> containers.aclEntity(id);
            };

            Router router = new Router();
            new VersionResource().register(router);
            HealthResource health = new HealthResource(StoreHealthCheck.all(stores))
                    .add(new DatabaseHealthCheck(db, Duration.ofSeconds(2))).add(new AuditHealthCheck(audit));
            health.register(router);
            ServerTransportKeys transportKeys = new ServerTransportKeys(db, stores, clock);
            new SecretResource(secrets, transportKeys, config.limits().maxSecretBytes(), config.protectConsumedSecrets(),
                    audit).register(router);
            new SecretConsumerResource(secretConsumers, secrets, audit).register(router);
            GeneratedContainers generatedContainers = containers::insertGenerated;
            new OrderResource(new OrderService(db, new OrderRepository(), secrets, generatedContainers, policy, quotas, clock),
                    audit).register(router);
            AclResource aclResource = new AclResource(acls, aclEntities, audit);
            aclResource.register(router, AclEntity.Kind.SECRET);
            aclResource.register(router, AclEntity.Kind.CONTAINER);
            new SecretStoreResource(stores, preferred, policy, audit).register(router);
            new QuotaResource(new QuotaService(db, quotaRepository, config.quotas(), policy, clock), audit).register(router);
            new TransportKeyResource(new TransportKeyService(db, new TransportKeyRepository(), policy, clock), audit)
                    .register(router);
            new ContainerResource(containers, audit).register(router);
            new MetricsResource(metrics, policy).register(router);

            Authenticator auth = authenticator(config.auth(), clock,
                    PolicyProfile.named(config.policy().defaults()).acceptsSystemScope(), metrics);
            HttpServer http = new HttpServer(config.http(), router, auth, config.hostHref(), config.limits().maxRequestBytes());
            http.audit(audit);
            http.metrics(metrics.registry());
            IdempotencyKeys idempotencyKeys = new IdempotencyKeys(db,
                    Duration.ofHours(config.cluster().idempotencyKeyHours()), clock);
            http.idempotency(idempotencyKeys);
            jobs = new JobLease(db, JobLease.processHolder(), Duration.ofMinutes(2), clock);
            jobs.every("idempotency-key-purge", Duration.ofHours(1), lease -> idempotencyKeys.purgeExpired());
            if (config.monitoring().metricsBind() != null) {
                metricsServer = MetricsServer.start(config.monitoring().metricsBind(), metrics);
                LOG.info("metrics without authentication on http://{}:{}/metrics",
                        config.monitoring().metricsBind().getHostString(), metricsServer.port());
            }
            http.scope(new AuditedTransactions(db, audit));
            http.start();
            initializeJdbiAfterStart();
            LOG.info("Portcullis listening on {}://{}:{} (database {}, {} secret store(s))", http.scheme(),
                    config.http().bindHost(), http.port(), config.database().redacted(), stores.all().size());
            Application app = new Application(config, db, stores, http, audit, metrics, metricsServer, jobs);
            if (expiry != null) {
                app.expiry = expiry.start(jobs, Duration.ofMinutes(1));
            }
            return app;
        } catch (Exception | Error e) {
            if (jobs != null) {
                jobs.close();
            }
            if (metricsServer != null) {
                metricsServer.close();
            }
            if (audit != null) {
                audit.close();
            }
            db.close();
            metrics.close();
            throw e;
        }
    }

    /**
     * Jdbi's JFR support, which the first statement Jdbi runs initialises whatever Jdbi's settings
     * (it registers Jdbi's event whenever the JVM has a flight recorder): that sets up JFR's
     * metadata, about 0.1 s of CPU. Start-up's own statements and the health check are plain JDBC so
     * that none of it comes before the node listens; it is done here, on a thread of its own, so
     * that no request waits for it either (a request that gets there first waits on the class's
     * initialisation, as it would have without this thread).
     */
    private static void initializeJdbiAfterStart() {
        Thread.ofPlatform().name("start-jdbi").daemon().start(() -> {
            try {
                Class.forName(JDBI_JFR_SUPPORT, true, Database.class.getClassLoader());
            } catch (Throwable t) {
                LOG.debug("Jdbi's JFR support left to the first statement", t);
            }
        });
    }

    private static Metrics joined(CompletableFuture<Metrics> early, Database db) {
        try {
            return early.join();
        } catch (CompletionException e) {
            db.close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static void initialize(Class<?> c) {
        try {
            Class.forName(c.getName(), true, c.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e); // the class was loaded to name it
        }
    }

    /** The jar's version (its manifest), or "development" when run from classes. */
    private static String version() {
        String v = Application.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    /** Barbican's paste pipeline choice: {@code authtoken context} or {@code unauthenticated-context}. */
    private static Authenticator authenticator(PortcullisConfig.AuthSettings auth, Clock clock, boolean systemScope,
            Metrics metrics) {
        if (auth.strategy() == PortcullisConfig.AuthStrategy.KEYSTONE) {
            PortcullisConfig.KeystoneSettings k = auth.keystone();
            LOG.info("Keystone authentication: tokens validated at {} by service user {} (project {}); "
                    + "token cache {} s, at most {} tokens", k.identityUri(), k.username(), k.projectName(),
                    k.cacheTime().toSeconds(), k.cacheSize());
            return new KeystoneAuthenticator(k, clock, systemScope, metrics.registry());
        }
        if (auth.explicit()) {
            LOG.warn("Authentication is OFF ([portcullis] auth_strategy = noauth): every caller chooses its own "
                    + "project and roles with X-Project-Id and X-Roles. Only for development or behind a trusted "
                    + "proxy that sets those headers.");
        } else {
            LOG.warn("""
                    
                    ***************************************************************************************
                    * NO AUTHENTICATION: the configuration has no [keystone_authtoken] section, so every  *
                    * caller chooses its own project and roles (X-Project-Id, X-Roles) and can read every *
                    * project's secrets. Configure [keystone_authtoken] for production, or set            *
                    * [portcullis] auth_strategy = noauth to say this is intended.                        *
                    ***************************************************************************************""");
        }
        return new NoAuthAuthenticator();
    }

    public int port() {
        return http.port();
    }

    /** The port of {@code [portcullis] metrics_bind}, or -1 when it is not configured. */
    public int metricsPort() {
        return metricsServer == null ? -1 : metricsServer.port();
    }

    public PortcullisConfig config() {
        return config;
    }

    public StoreRegistry stores() {
        return stores;
    }

    public Database database() {
        return db;
    }

    public AuditTrail audit() {
        return audit;
    }

    /**
     * SIGTERM: report unhealthy, stop accepting, let in-flight requests finish within the drain
     * timeout, then close as {@link #close} does (the audit trail's stop event last).
     */
    public void stopGracefully() throws Exception {
        int drain = config.cluster().drainTimeoutSeconds();
        try {
            http.drain(Duration.ofSeconds(Math.min(10, drain)), Duration.ofSeconds(drain));
            audit.stopped();
        } finally {
            close();
        }
        LOG.info("Portcullis stopped");
    }

    public void join() throws InterruptedException {
        http.join();
    }

    /** The expiry warning scan, or null when {@code expiry_warning_days} is not set. */
    public ExpiryWatch expiry() {
        return expiry;
    }

    @Override
    public void close() throws Exception {
        try {
            jobs.close();
            if (metricsServer != null) {
                metricsServer.close();
            }
            http.close();
        } finally {
            try {
                audit.close();
            } finally {
                try {
                    stores.close();
                } finally {
                    db.close();
                    metrics.close();
                }
            }
        }
    }
}
