package org.portcullis.auth.keystone;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.portcullis.testing.Api;
import org.portcullis.testing.Keystone;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/**
 * {@code [portcullis] policy_defaults = 2023.1} with real Keystone tokens: the system-scoped admin
 * (Keystone's bootstrap admin holds admin on the system) and system reader of scripts/keystone.sh
 * do what Barbican 15/16 let them, project admins stay in their project; a node on the current
 * defaults beside it shows the difference.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeystonePolicyProfilesIT {
    private static final String SECRET = "{\"payload\": \"profiles\", \"payload_content_type\": \"text/plain\"}";
    private static final String CONSUMER = "{\"service\":\"cinder\",\"resource_type\":\"volume\",\"resource_id\":\"v-1\"}";
    private static final String V11 = "key-manager 1.1";
    private static final String PEM = "-----BEGIN CERTIFICATE-----\\nMIIB...\\n-----END CERTIFICATE-----";

    private Keystone keystone;
    private TestServer release2023;
    private TestServer current;

    @BeforeAll
    void start() throws Exception {
        keystone = Keystone.fromEnvironment();
        List<String> old = new ArrayList<>(keystone.authtokenConfig(keystone.url, 60));
        old.addAll(List.of("[portcullis]", "policy_defaults = 2023.1"));
        release2023 = TestServer.start(TestDatabases.Kind.SQLITE, old);
        current = TestServer.start(TestDatabases.Kind.SQLITE, keystone.authtokenConfig(keystone.url, 60));
    }

    @AfterAll
    void stop() throws Exception {
        for (TestServer node : new TestServer[] {release2023, current}) {
            if (node != null) {
                node.close();
            }
        }
    }

    private String systemAdmin() {
        return keystone.systemToken("admin", keystone.adminPassword);
    }

    private static String create(Api api, String token) {
        Api.Response r = api.postJson("/v1/secrets", SECRET, Keystone.tokenHeaders(token));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String ref = r.json().get("secret_ref").asText();
        return ref.substring(ref.lastIndexOf('/') + 1);
    }

    @Test
    void theSystemAdminManagesProjectQuotasAndTransportKeysProjectAdminsDoNot() {
        Api api = new Api(release2023.url(), null);
        String path = "/v1/project-quotas/" + keystone.projectId("portcullis-b");
        String quota = "{\"project_quotas\":{\"secrets\":50}}";

        Api.Response put = api.putJson(path, quota, Keystone.tokenHeaders(systemAdmin()));
        assertThat(put.status()).as(put.body()).isEqualTo(204);
        Api.Response read = api.get(path, Keystone.tokenHeaders(keystone.systemToken("system-reader", keystone.userPassword)));
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.json().path("project_quotas").path("secrets").asInt()).isEqualTo(50);
        assertThat(api.putJson(path, quota, Keystone.tokenHeaders(keystone.systemToken("system-reader", keystone.userPassword)))
                .status()).isEqualTo(403);
        String projectAdmin = keystone.projectToken("a-admin", "portcullis-a");
        assertThat(api.putJson(path, quota, Keystone.tokenHeaders(projectAdmin)).status()).isEqualTo(403);
        assertThat(api.get(path, Keystone.tokenHeaders(projectAdmin)).status()).isEqualTo(403);

        String key = "{\"plugin_name\":\"kra\",\"transport_key\":\"" + PEM + "\"}";
        assertThat(api.postJson("/v1/transport_keys", key, Keystone.tokenHeaders(projectAdmin)).status()).isEqualTo(403);
        Api.Response created = api.postJson("/v1/transport_keys", key, Keystone.tokenHeaders(systemAdmin()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        // the same project admin on the current defaults: quotas are a project admin's
        Api now = new Api(current.url(), null);
        assertThat(now.putJson(path, quota, Keystone.tokenHeaders(projectAdmin)).status()).isEqualTo(204);
        assertThat(now.putJson(path, quota, Keystone.tokenHeaders(systemAdmin())).status()).isEqualTo(403);
    }

    @Test
    void theSystemAdminReadsStoresAndManagesConsumersButNeverSecrets() {
        Api api = new Api(release2023.url(), null);
        String system = systemAdmin();
        assertThat(api.get("/v1/secret-stores", Keystone.tokenHeaders(system)).status()).isEqualTo(200);
        assertThat(api.postJson("/v1/secrets", SECRET, Keystone.tokenHeaders(system)).status()).isEqualTo(403);
        assertThat(api.get("/v1/secrets", Keystone.tokenHeaders(system)).status()).isEqualTo(403);

        String member = keystone.projectToken("a-member", "portcullis-a");
        String id = create(api, member);
        assertThat(api.get("/v1/secrets/" + id, Keystone.tokenHeaders(system)).status()).isEqualTo(403);
        assertThat(api.delete("/v1/secrets/" + id, Keystone.tokenHeaders(system)).status()).isEqualTo(403);

        String consumers = "/v1/secrets/" + id + "/consumers";
        Api.Response added = api.postJson(consumers, CONSUMER, Keystone.tokenHeaders(system, "OpenStack-API-Version", V11));
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        Api.Response listed = api.get(consumers, Keystone.tokenHeaders(member, "OpenStack-API-Version", V11));
        assertThat(listed.json().path("total").asInt()).as(listed.body()).isEqualTo(1);
        Api.Response removed = api.send("DELETE", consumers, "application/json", CONSUMER.getBytes(),
                Keystone.tokenHeaders(system, "OpenStack-API-Version", V11));
        assertThat(removed.status()).as(removed.body()).isEqualTo(200);
        assertThat(api.delete("/v1/secrets/" + id, Keystone.tokenHeaders(member)).status()).isEqualTo(204);
    }

    @Test
    void aProjectAdminCannotTouchAnotherProjectsSecretUnder2023ButCanUnderTheCurrentDefaults() {
        String adminOfA = keystone.projectToken("a-admin", "portcullis-a");
        String memberOfB = keystone.projectToken("b-member", "portcullis-b");

        Api old = new Api(release2023.url(), null);
        String inOld = create(old, memberOfB);
        assertThat(old.get("/v1/secrets/" + inOld, Keystone.tokenHeaders(adminOfA)).status()).isEqualTo(403);
        assertThat(old.delete("/v1/secrets/" + inOld, Keystone.tokenHeaders(adminOfA)).status()).isEqualTo(403);

        Api now = new Api(current.url(), null);
        String inNow = create(now, memberOfB);
        assertThat(now.get("/v1/secrets/" + inNow, Keystone.tokenHeaders(adminOfA)).status()).isEqualTo(200);
        assertThat(now.get("/v1/secrets/" + inNow + "/payload", Keystone.tokenHeaders(adminOfA, "Accept", "text/plain")).status())
                .isEqualTo(403);
        assertThat(now.delete("/v1/secrets/" + inNow, Keystone.tokenHeaders(adminOfA)).status()).isEqualTo(204);
    }
}
