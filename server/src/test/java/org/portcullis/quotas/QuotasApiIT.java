package org.portcullis.quotas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.portcullis.testing.Api;
import org.portcullis.testing.Api.Response;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.NodePerClass;
import org.portcullis.testing.TestServer;

/**
 * Quotas over HTTP against a real node with Barbican's legacy rules (as the CLIs expect) and
 * some [quotas] defaults; subclasses pick the database.
 */
abstract class QuotasApiIT extends NodePerClass {
    private static final String SERVICE_ADMIN = "key-manager:service-admin";
    private static final String REACHED = "Secret creation issue seen - Creation not allowed because a quota has been reached.";

    private Api serviceAdmin;

    @Override
    protected List<String> config() {
        return List.of("[oslo_policy]", "enforce_new_defaults = False",
                "[quotas]", "quota_orders = 7", "quota_cas = 0");
    }

    @BeforeAll
    void start() throws Exception {
        serviceAdmin = new Api(server.url(), "ops-" + UUID.randomUUID(), SERVICE_ADMIN, null);
    }

    /** A caller in a fresh project, with the default role (admin). */
    private Caller project() {
        String id = "p-" + UUID.randomUUID();
        return new Caller(new Api(server.url(), id), id);
    }

    private record Caller(Api api, String project) {
        Api as(String roles) {
            return api.as(project, roles, null);
        }
    }

    private int rows(String sql, String project) {
        return server.app().database().read(h -> h.createQuery(sql).bind("p", project).mapTo(Long.class).one()).intValue();
    }

    private int secrets(String project) {
        return rows("SELECT count(*) FROM secrets WHERE project_id = :p AND NOT deleted", project);
    }

    private static Response createSecret(Caller c) {
        return c.api().postJson("/v1/secrets", "{\"payload\":\"q\",\"payload_content_type\":\"text/plain\"}");
    }

    @Test
    void effectiveQuotasAreTheConfiguredDefaultsUntilAProjectHasItsOwn() {
        Caller p = project();
        Response r = p.api().get("/v1/quotas");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().toString()).isEqualTo(
                "{\"quotas\":{\"secrets\":-1,\"orders\":7,\"containers\":-1,\"consumers\":-1,\"cas\":0}}");

        assertThat(serviceAdmin.putJson("/v1/project-quotas/" + p.project(),
                "{\"project_quotas\":{\"secrets\":3,\"orders\":-1}}").status()).isEqualTo(204);
        assertThat(p.api().get("/v1/quotas").json().get("quotas").toString())
                .isEqualTo("{\"secrets\":3,\"orders\":-1,\"containers\":-1,\"consumers\":-1,\"cas\":0}");
    }

    @Test
    void projectQuotasLifecycle() {
        String path = "/v1/project-quotas/" + project().project();
        assertThat(serviceAdmin.get(path).status()).isEqualTo(404);
        assertThat(serviceAdmin.get(path).json().get("description").asText()).isEqualTo("Project quotas not found.");

        Response put = serviceAdmin.putJson(path, "{\"project_quotas\":{\"secrets\":1,\"consumers\":7}}");
        assertThat(put.status()).isEqualTo(204);
        assertThat(put.body()).isEmpty();
        assertThat(serviceAdmin.get(path).json().toString()).isEqualTo(
                "{\"project_quotas\":{\"secrets\":1,\"orders\":null,\"containers\":null,\"consumers\":7,\"cas\":null}}");

        // A second PUT changes only what it names, as Barbican's update does.
        assertThat(serviceAdmin.putJson(path, "{\"project_quotas\":{\"orders\":0,\"consumers\":-1}}").status())
                .isEqualTo(204);
        assertThat(serviceAdmin.get(path).json().get("project_quotas").toString())
                .isEqualTo("{\"secrets\":1,\"orders\":0,\"containers\":null,\"consumers\":-1,\"cas\":null}");
        assertThat(serviceAdmin.putJson(path, "{\"project_quotas\":{}}").status()).isEqualTo(204);
        assertThat(serviceAdmin.get(path).json().get("project_quotas").get("secrets").asInt()).isEqualTo(1);

        Response deleted = serviceAdmin.delete(path);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(serviceAdmin.get(path).status()).isEqualTo(404);
        Response again = serviceAdmin.delete(path);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().get("description").asText()).isEqualTo("Project quotas not found.");
    }

    @Test
    void listPagesInCreationOrder() {
        int before = serviceAdmin.get("/v1/project-quotas").json().get("total").asInt();
        List<String> projects = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String p = "list-" + i + "-" + UUID.randomUUID();
            projects.add(p);
            serviceAdmin.putJson("/v1/project-quotas/" + p, "{\"project_quotas\":{\"secrets\":" + i + "}}");
        }
        int total = before + 3;
        JsonNode last = serviceAdmin.get("/v1/project-quotas?limit=2&offset=" + (total - 2)).json();
        assertThat(last.get("total").asInt()).isEqualTo(total);
        assertThat(last.get("project_quotas")).hasSize(2);
        assertThat(last.get("project_quotas").get(1).get("project_id").asText()).isEqualTo(projects.get(2));
        assertThat(last.get("project_quotas").get(1).get("project_quotas").get("secrets").asInt()).isEqualTo(2);
        assertThat(last.get("project_quotas").get(0).get("project_id").asText()).isEqualTo(projects.get(1));
        assertThat(last.has("next")).isFalse();
        assertThat(last.get("previous").asText())
                .isEqualTo(server.url() + "/v1/project-quotas?limit=2&offset=" + Math.max(0, total - 4));

        JsonNode first = serviceAdmin.get("/v1/project-quotas?limit=1").json();
        assertThat(first.get("project_quotas")).hasSize(1);
        assertThat(first.get("next").asText()).isEqualTo(server.url() + "/v1/project-quotas?limit=1&offset=1");
        assertThat(serviceAdmin.get("/v1/project-quotas?offset=" + total).json().get("project_quotas")).isEmpty();
    }

    @Test
    void legacyRulesNeedTheServiceAdminRole() {
        Caller caller = project();
        Api admin = caller.api();
        String path = "/v1/project-quotas/" + caller.project();
        String denied = "Project Quotas attempt not allowed - please review your user/project privileges";
        for (Response r : List.of(admin.get("/v1/project-quotas"), admin.get(path),
                admin.putJson(path, "{\"project_quotas\":{\"secrets\":1}}"), admin.delete(path),
                admin.putJson(path, "not even json"))) {
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.json().get("description").asText()).isEqualTo(denied);
        }
        assertThat(rows("SELECT count(*) FROM project_quotas WHERE project_id = :p", caller.project())).isZero();

        assertThat(caller.as("observer").get("/v1/quotas").status()).isEqualTo(200);
        Response member = caller.as("member").get("/v1/quotas");
        assertThat(member.status()).isEqualTo(403);
        assertThat(member.json().get("description").asText())
                .isEqualTo("Quotas attempt not allowed - please review your user/project privileges");
    }

    @Test
    void secureRbacDefaultsLetTheProjectAdminManageQuotas() throws Exception {
        try (TestServer secure = TestServer.start(database())) {
            String target = "/v1/project-quotas/other-" + UUID.randomUUID();
            String project = "p-" + UUID.randomUUID();
            Api admin = new Api(secure.url(), project, "admin", null);
            assertThat(admin.putJson(target, "{\"project_quotas\":{\"secrets\":5}}").status()).isEqualTo(204);
            assertThat(admin.get(target).status()).isEqualTo(200);
            assertThat(admin.get("/v1/project-quotas").status()).isEqualTo(200);
            assertThat(admin.get("/v1/quotas").status()).isEqualTo(200);
            Api member = admin.as(project, "member", null);
            assertThat(member.get(target).status()).isEqualTo(403);
            assertThat(member.putJson(target, "{\"project_quotas\":{\"secrets\":9}}").status()).isEqualTo(403);
            assertThat(member.delete(target).status()).isEqualTo(403);
            assertThat(admin.as(project, "reader", null).get("/v1/quotas").status()).isEqualTo(200);
            assertThat(admin.as(project, SERVICE_ADMIN, null).get(target).status()).isEqualTo(403);
            assertThat(admin.delete(target).status()).isEqualTo(204);
        }
    }

    @Test
    void badBodiesAre400Or415AndWriteNothing() {
        String project = "bad-" + UUID.randomUUID();
        String path = "/v1/project-quotas/" + project;
        String prefix = "Provided object does not match schema 'Project Quota': ";
        Map<String, String> bodies = Map.of(
                "{\"project_quotas\":{\"secrets\":\"5\"}}",
                prefix + "'5' is not of type 'integer'. Invalid property: 'project_quotas'",
                "{\"quotas\":{\"secrets\":5}}",
                prefix + "'project_quotas' is a required property. Invalid property: 'None'",
                "{\"project_quotas\":{\"secrets\":5,\"keys\":1}}",
                prefix + "Additional properties are not allowed ('keys' was unexpected). Invalid property: 'project_quotas'",
                "{\"project_quotas\":{\"secrets\":1e10}}",
                prefix + "10000000000.0 is greater than the maximum of 2147483647. Invalid property: 'project_quotas'");
        bodies.forEach((body, description) -> {
            Response r = serviceAdmin.putJson(path, body);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.json().get("title").asText()).isEqualTo("Bad Request");
            assertThat(r.json().get("description").asText()).as(body).isEqualTo(description);
        });
        assertThat(serviceAdmin.putJson(path, "{\"project_quotas\":").status()).isEqualTo(400);
        Response empty = serviceAdmin.putJson(path, "");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().get("description").asText())
                .isEqualTo("Project Quotas issue seen - No data supplied to process..");
        Response text = serviceAdmin.put(path, "text/plain", "{\"project_quotas\":{}}".getBytes());
        assertThat(text.status()).isEqualTo(415);
        assertThat(text.json().get("description").asText())
                .isEqualTo("Unexpected content type. Expected content types are: ['application/json']");
        assertThat(serviceAdmin.send("PUT", path, null, "{\"project_quotas\":{}}".getBytes()).status()).isEqualTo(415);
        assertThat(serviceAdmin.send("POST", "/v1/quotas", "application/json", "{}".getBytes()).status()).isEqualTo(405);
        assertThat(rows("SELECT count(*) FROM project_quotas WHERE project_id = :p", project)).isZero();
    }

    @Test
    void secretQuotaIsEnforcedAndFreedByDeletes() {
        Caller p = project();
        serviceAdmin.putJson("/v1/project-quotas/" + p.project(), "{\"project_quotas\":{\"secrets\":2}}");
        String first = createSecret(p).json().get("secret_ref").asText();
        assertThat(createSecret(p).status()).isEqualTo(201);
        Response refused = createSecret(p);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("title").asText()).isEqualTo("Forbidden");
        assertThat(refused.json().get("description").asText()).isEqualTo(REACHED);
        // Two-step secrets count as well: the row exists from the first step.
        assertThat(p.api().postJson("/v1/secrets", "{\"name\":\"later\"}").status()).isEqualTo(403);
        assertThat(secrets(p.project())).isEqualTo(2);

        assertThat(p.api().delete(first).status()).isEqualTo(204);
        assertThat(createSecret(p).status()).isEqualTo(201);
        assertThat(createSecret(p).status()).isEqualTo(403);

        // Other projects are not affected.
        assertThat(createSecret(project()).status()).isEqualTo(201);
    }

    @Test
    void zeroDisablesAndMinusOneIsUnlimited() {
        Caller disabled = project();
        serviceAdmin.putJson("/v1/project-quotas/" + disabled.project(), "{\"project_quotas\":{\"secrets\":0}}");
        assertThat(createSecret(disabled).status()).isEqualTo(403);
        assertThat(secrets(disabled.project())).isZero();
        // Refused before anything was sealed: not even a project KEK was made for it.
        assertThat(rows("SELECT count(*) FROM project_keks WHERE project_id = :p", disabled.project())).isZero();

        Caller unlimited = project();
        // Barbican stores -5 as unlimited too; here it is a 400, so a typo cannot lift a quota unseen.
        assertThat(serviceAdmin.putJson("/v1/project-quotas/" + unlimited.project(),
                "{\"project_quotas\":{\"secrets\":-5}}").status()).isEqualTo(400);
        serviceAdmin.putJson("/v1/project-quotas/" + unlimited.project(), "{\"project_quotas\":{\"secrets\":-1}}");
        for (int i = 0; i < 3; i++) {
            assertThat(createSecret(unlimited).status()).isEqualTo(201);
        }
        assertThat(unlimited.api().get("/v1/quotas").json().get("quotas").get("secrets").asInt()).isEqualTo(-1);
    }

    @Test
    void expiredSecretsDoNotCount() throws Exception {
        Caller p = project();
        serviceAdmin.putJson("/v1/project-quotas/" + p.project(), "{\"project_quotas\":{\"secrets\":1}}");
        String soon = Instant.now().plusSeconds(2).toString();
        assertThat(p.api().postJson("/v1/secrets", "{\"payload\":\"brief\",\"payload_content_type\":\"text/plain\","
                + "\"expiration\":\"" + soon + "\"}").status()).isEqualTo(201);
        assertThat(createSecret(p).status()).isEqualTo(403);
        Thread.sleep(2_500);
        assertThat(createSecret(p).status()).isEqualTo(201);
    }

    @Test
    void concurrentCreatesNeverExceedTheQuota() throws Exception {
        assertRace(40, 39);
        assertRace(40, 8);
    }

    /** {@code clients} creations at once against a quota of {@code quota}: exactly quota succeed. */
    private void assertRace(int clients, int quota) throws Exception {
        Caller p = project();
        assertThat(serviceAdmin.putJson("/v1/project-quotas/" + p.project(),
                "{\"project_quotas\":{\"secrets\":" + quota + "}}").status()).isEqualTo(204);
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                done.add(pool.submit(() -> {
                    go.await();
                    int status = createSecret(p).status();
                    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(statuses.keySet()).containsExactlyInAnyOrder(201, 403);
        assertThat(statuses.get(201).get()).isEqualTo(quota);
        assertThat(statuses.get(403).get()).isEqualTo(clients - quota);
        assertThat(secrets(p.project())).isEqualTo(quota);
    }
}

class QuotasApiSqliteIT extends QuotasApiIT {
    @Override
    protected TestDatabases.Kind database() {
        return TestDatabases.Kind.SQLITE;
    }
}

class QuotasApiPostgresIT extends QuotasApiIT {
    @Override
    protected TestDatabases.Kind database() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
