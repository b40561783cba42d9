package org.portcullis;

import java.time.Clock;
import org.portcullis.acl.AclEntities;
import org.portcullis.acl.AclEntity;
import org.portcullis.acl.AclRepository;
import org.portcullis.acl.AclResource;
import org.portcullis.acl.AclService;
import org.portcullis.auth.Authenticator;
import org.portcullis.auth.NoAuthAuthenticator;
import org.portcullis.auth.Policy;
import org.portcullis.auth.PolicyFiles;
import org.portcullis.config.PortcullisConfig;
import org.portcullis.containers.ContainerAcls;
import org.portcullis.containers.ContainerRepository;
import org.portcullis.containers.ContainerResource;
import org.portcullis.containers.ContainerService;
import org.portcullis.db.Database;
import org.portcullis.http.HttpServer;
import org.portcullis.http.Router;
import org.portcullis.http.VersionResource;
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
import org.portcullis.secrets.SecretConsumerService;
import org.portcullis.secrets.SecretRepository;
import org.portcullis.secrets.SecretResource;
import org.portcullis.secrets.SecretService;
import org.portcullis.stores.HealthResource;
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

    private final PortcullisConfig config;
    private final Database db;
    private final StoreRegistry stores;
    private final HttpServer http;

    private Application(PortcullisConfig config, Database db, StoreRegistry stores, HttpServer http) {
        this.config = config;
        this.db = db;
        this.stores = stores;
        this.http = http;
    }

    /** Opens the database, verifies every store's keys, and starts serving. */
    public static Application start(PortcullisConfig config) throws Exception {
        Clock clock = Clock.systemUTC();
        Database db = Database.open(config.database());
        try {
            StoreRegistry stores = StoreRegistry.start(config.stores(), db, clock);
            Policy policy = Policy.create(config.policy().enforceNewDefaults(),
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
            new HealthResource(stores).register(router);
            ServerTransportKeys transportKeys = new ServerTransportKeys(db, stores, clock);
            new SecretResource(secrets, transportKeys, config.limits().maxSecretBytes(), config.protectConsumedSecrets())
                    .register(router);
            new SecretConsumerResource(secretConsumers, secrets).register(router);
            GeneratedContainers generatedContainers = containers::insertGenerated;
            new OrderResource(new OrderService(db, new OrderRepository(), secrets, generatedContainers, policy, quotas, clock))
                    .register(router);
            AclResource aclResource = new AclResource(acls, aclEntities);
            aclResource.register(router, AclEntity.Kind.SECRET);
            aclResource.register(router, AclEntity.Kind.CONTAINER);
            new SecretStoreResource(stores, preferred, policy).register(router);
            new QuotaResource(new QuotaService(db, quotaRepository, config.quotas(), policy, clock)).register(router);
            new TransportKeyResource(new TransportKeyService(db, new TransportKeyRepository(), policy, clock))
                    .register(router);
            new ContainerResource(containers).register(router);

            Authenticator auth = new NoAuthAuthenticator();
            HttpServer http = new HttpServer(config.http().bindHost(), config.http().bindPort(), router, auth,
                    config.hostHref(), config.limits().maxRequestBytes());
            http.start();
            LOG.info("Portcullis listening on {}:{} (database {}, {} secret store(s))", config.http().bindHost(),
                    http.port(), config.database().redacted(), stores.all().size());
            return new Application(config, db, stores, http);
        } catch (Exception | Error e) {
            db.close();
            throw e;
        }
    }

    public int port() {
        return http.port();
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

    public void join() throws InterruptedException {
        http.join();
    }

    @Override
    public void close() throws Exception {
        try {
            http.close();
        } finally {
            try {
                stores.close();
            } finally {
                db.close();
            }
        }
    }
}
