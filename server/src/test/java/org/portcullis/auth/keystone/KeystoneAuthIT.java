package org.portcullis.auth.keystone;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.portcullis.testing.Api;
import org.portcullis.testing.Keystone;
import org.portcullis.testing.TcpProxy;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/**
 * Token authentication against the real Keystone of scripts/keystone.sh: every token here is
 * issued, validated and revoked by Keystone itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeystoneAuthIT {
    private static final String SECRET = "{\"payload\": \"hello keystone\", \"payload_content_type\": \"text/plain\"}";

    private Keystone keystone;
    private TestServer node; // token_cache_time = 2: revocation shows within seconds
    private Api api;

    @BeforeAll
    void start() throws Exception {
        keystone = Keystone.fromEnvironment();
        node = TestServer.start(TestDatabases.Kind.SQLITE, keystone.authtokenConfig(keystone.url, 2));
        api = new Api(node.url(), null);
    }

    @AfterAll
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    private String create(String token) {
        Api.Response r = api.postJson("/v1/secrets", SECRET, Keystone.tokenHeaders(token));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String ref = r.json().get("secret_ref").asText();
        return ref.substring(ref.lastIndexOf('/') + 1);
    }

    @Test
    void projectAdminsReadMetricsWithKeystoneValidationAndCacheMeters() {
        String member = keystone.projectToken("a-member", "portcullis-a");
        assertThat(api.get("/metrics", Keystone.tokenHeaders(member)).status()).isEqualTo(403);
        String admin = keystone.projectToken("a-admin", "portcullis-a");
        api.get("/v1/secrets", Keystone.tokenHeaders(admin));
        Api.Response r = api.get("/metrics", Keystone.tokenHeaders(admin));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("portcullis_keystone_validations_seconds_count{outcome=\"valid\"}",
                "portcullis_keystone_token_cache_total{result=\"hit\"}",
                "portcullis_keystone_token_cache_total{result=\"miss\"}")
                .doesNotContain(admin).doesNotContain(member);
        // the first lookup of each token is a miss (hits depend on the 2 s cache time, so they are not counted on)
        assertThat(r.body().lines().filter(l -> l.startsWith("portcullis_keystone_token_cache_total{result=\"miss\"}"))
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))).allMatch(v -> v >= 1);
    }

    @Test
    void noTokenIs401WithWhereToGetOne() {
        Api.Response r = api.get("/v1/secrets");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Keystone uri=\"" + keystone.url + "\"");
        assertThat(r.json().get("title").asText()).isEqualTo("Unauthorized");
        // the version document stays public, as in Barbican
        assertThat(api.get("/").status()).isIn(200, 300);
    }

    @Test
    void garbageAndForgedTokensAre401() {
        for (String bad : List.of("garbage", "gAAAAABnotarealfernettokenatallnotarealfernettoken")) {
            Api.Response r = api.get("/v1/secrets", Keystone.tokenHeaders(bad));
            assertThat(r.status()).as(bad).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).startsWith("Keystone uri=");
        }
    }

    @Test
    void memberStoresAndReadsItsPayload() {
        String member = keystone.projectToken("a-member", "portcullis-a");
        String id = create(member);
        Api.Response payload = api.get("/v1/secrets/" + id + "/payload", Keystone.tokenHeaders(member, "Accept", "text/plain"));
        assertThat(payload.status()).isEqualTo(200);
        assertThat(payload.body()).isEqualTo("hello keystone");
        Api.Response meta = api.get("/v1/secrets/" + id, Keystone.tokenHeaders(member));
        assertThat(meta.json().get("creator_id").asText()).isNotEmpty();

        // secure RBAC: a reader may list the stores but neither create nor read secrets (member rules);
        // another project's member sees nothing
        String reader = keystone.projectToken("a-reader", "portcullis-a");
        assertThat(api.get("/v1/secret-stores", Keystone.tokenHeaders(reader)).status()).isEqualTo(200);
        assertThat(api.postJson("/v1/secrets", SECRET, Keystone.tokenHeaders(reader)).status()).isEqualTo(403);
        assertThat(api.get("/v1/secrets/" + id, Keystone.tokenHeaders(reader)).status()).isEqualTo(403);
        String other = keystone.projectToken("b-member", "portcullis-b");
        assertThat(api.get("/v1/secrets/" + id + "/payload", Keystone.tokenHeaders(other, "Accept", "text/plain")).status())
                .isIn(403, 404);
        assertThat(api.delete("/v1/secrets/" + id, Keystone.tokenHeaders(member)).status()).isEqualTo(204);
    }

    @Test
    void spoofedIdentityHeadersAreIgnored() {
        String projectB = keystone.projectId("portcullis-b");
        String reader = keystone.projectToken("a-reader", "portcullis-a");
        // a reader claiming admin of another project is still a reader of its own
        Api.Response r = api.postJson("/v1/secrets", SECRET, Keystone.tokenHeaders(reader, "X-Roles", "admin,member",
                "X-Project-Id", projectB, "X-Identity-Status", "Confirmed", "OpenStack-System-Scope", "all"));
        assertThat(r.status()).as(r.body()).isEqualTo(403);

        String member = keystone.projectToken("a-member", "portcullis-a");
        String id = create(member);
        String memberOfB = keystone.projectToken("b-member", "portcullis-b");
        Api.Response spoofed = api.get("/v1/secrets/" + id, Keystone.tokenHeaders(memberOfB, "X-Project-Id",
                keystone.projectId("portcullis-a"), "X-Roles", "admin", "X-User-Id", "someone"));
        assertThat(spoofed.status()).isIn(403, 404);
        api.delete("/v1/secrets/" + id, Keystone.tokenHeaders(member));
    }

    @Test
    void secretStoresWorkWithAProjectTokenAndSystemScopeIsRefused() {
        String member = keystone.projectToken("a-member", "portcullis-a");
        Api.Response stores = api.get("/v1/secret-stores", Keystone.tokenHeaders(member));
        assertThat(stores.status()).as(stores.body()).isEqualTo(200);
        assertThat(stores.json().get("secret_stores").size()).isEqualTo(2);
        assertThat(api.get("/v1/secret-stores/global-default", Keystone.tokenHeaders(member)).status()).isEqualTo(200);

        String system = keystone.systemToken("admin", keystone.adminPassword);
        Api.Response r = api.get("/v1/secret-stores", Keystone.tokenHeaders(system));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("description").asText()).contains("system-scoped");
    }

    /**
     * A revoked token keeps working while it is cached (Barbican behind auth_token behaves the same
     * for token_cache_time) and stops at once without a cache. That a cached entry ends after the
     * cache time is {@code TokenCacheTest}'s, on a manual clock: waiting out a real TTL here would
     * make the test depend on how busy the machine is.
     */
    @Test
    void revokedTokenWorksWhileCachedAndNotWithoutACache() throws Exception {
        try (TestServer caching = TestServer.start(TestDatabases.Kind.SQLITE, keystone.authtokenConfig(keystone.url, 300));
                TestServer uncached = TestServer.start(TestDatabases.Kind.SQLITE, keystone.authtokenConfig(keystone.url, 0))) {
            Api cachingApi = new Api(caching.url(), null);
            Api uncachedApi = new Api(uncached.url(), null);
            String member = keystone.projectToken("a-member", "portcullis-a");
            assertThat(cachingApi.get("/v1/secrets", Keystone.tokenHeaders(member)).status()).isEqualTo(200);
            assertThat(uncachedApi.get("/v1/secrets", Keystone.tokenHeaders(member)).status()).isEqualTo(200);
            keystone.revoke(member);

            assertThat(cachingApi.get("/v1/secrets", Keystone.tokenHeaders(member)).status()).isEqualTo(200);
            Api.Response r = uncachedApi.get("/v1/secrets", Keystone.tokenHeaders(member));
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).isNotNull();
        }
    }

    @Test
    void keystoneDownIs503ButCachedTokensStillWork() throws Exception {
        URI ks = URI.create(keystone.url);
        String member = keystone.projectToken("a-member", "portcullis-a");
        String reader = keystone.projectToken("a-reader", "portcullis-a");
        try (TcpProxy proxy = new TcpProxy(ks.getHost(), ks.getPort())) {
            try (TestServer second = TestServer.start(TestDatabases.Kind.SQLITE,
                    keystone.authtokenConfig("http://127.0.0.1:" + proxy.port(), 300))) {
                Api other = new Api(second.url(), null);
                assertThat(other.get("/v1/secrets", Keystone.tokenHeaders(member)).status()).isEqualTo(200);
                proxy.close(); // Keystone is gone for this node

                assertThat(other.get("/v1/secrets", Keystone.tokenHeaders(member)).status()).isEqualTo(200);
                Api.Response r = other.get("/v1/secrets", Keystone.tokenHeaders(reader));
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.json().get("title").asText()).isEqualTo("Service Unavailable");
                assertThat(r.json().get("description").asText())
                        .contains("identity service (Keystone at http://127.0.0.1:" + proxy.port() + "/v3) is unreachable");
            }
        }
    }

    @Test
    void aNodeWithWrongServicePasswordAnswers503NotUnauthorized() throws Exception {
        List<String> config = new ArrayList<>(keystone.authtokenConfig(keystone.url, 300));
        config.replaceAll(l -> l.startsWith("password = ") ? "password = wrong-" + System.nanoTime() : l);
        try (TestServer misconfigured = TestServer.start(TestDatabases.Kind.SQLITE, config)) {
            String member = keystone.projectToken("a-member", "portcullis-a");
            Api.Response r = new Api(misconfigured.url(), null).get("/v1/secrets", Keystone.tokenHeaders(member));
            assertThat(r.status()).isEqualTo(503);
        }
    }

    @Test
    void legacyPolicyReadsTheLegacyRolesFromTokens() throws Exception {
        List<String> config = new ArrayList<>(keystone.authtokenConfig(keystone.url, 300));
        config.addAll(List.of("[oslo_policy]", "enforce_new_defaults = False"));
        try (TestServer legacy = TestServer.start(TestDatabases.Kind.SQLITE, config)) {
            Api l = new Api(legacy.url(), null);
            String creator = keystone.projectToken("a-creator", "portcullis-a");
            Api.Response created = l.postJson("/v1/secrets", SECRET, Keystone.tokenHeaders(creator));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String observer = keystone.projectToken("a-observer", "portcullis-a");
            assertThat(l.postJson("/v1/secrets", SECRET, Keystone.tokenHeaders(observer)).status()).isEqualTo(403);
            assertThat(l.get("/v1/secrets", Keystone.tokenHeaders(observer)).status()).isEqualTo(200);
            String audit = keystone.projectToken("a-audit", "portcullis-a");
            assertThat(l.get("/v1/secrets", Keystone.tokenHeaders(audit)).status()).isEqualTo(403);
        }
    }
}
