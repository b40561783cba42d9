package org.portcullis.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.portcullis.testing.Api;
import org.portcullis.testing.Api.Response;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.NodePerClass;
import org.portcullis.testing.TestServer;

/** Transport keys over HTTP against a real node with Barbican's legacy rules; subclasses pick the database. */
abstract class TransportKeysApiIT extends NodePerClass {
    private static final String SERVICE_ADMIN = "key-manager:service-admin";
    private static final String PEM = "-----BEGIN CERTIFICATE-----\\nMIIB...\\n-----END CERTIFICATE-----";

    private Api serviceAdmin;
    private Api user;

    @Override
    protected List<String> config() {
        return List.of("[oslo_policy]", "enforce_new_defaults = False");
    }

    @BeforeAll
    void start() throws Exception {
        String project = "p-" + UUID.randomUUID();
        serviceAdmin = new Api(server.url(), project, SERVICE_ADMIN, null);
        user = new Api(server.url(), project);
    }

    private int liveRows() {
        return server.app().database().read(h -> h.createQuery("SELECT count(*) FROM transport_keys WHERE NOT deleted")
                .mapTo(Long.class).one()).intValue();
    }

    private String create(String plugin) {
        Response r = serviceAdmin.postJson("/v1/transport_keys",
                "{\"plugin_name\":\"" + plugin + "\",\"transport_key\":\"" + PEM + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("transport_key_ref").asText();
    }

    @Test
    void createGetDelete() {
        Response created = serviceAdmin.postJson("/v1/transport_keys",
                "{\"plugin_name\":\" kra \",\"transport_key\":\"" + PEM + "\"}");
        assertThat(created.status()).isEqualTo(201);
        String ref = created.json().get("transport_key_ref").asText();
        assertThat(created.json().size()).isEqualTo(1);
        assertThat(created.header("Location")).isEqualTo(ref);
        assertThat(ref).matches(server.url().replace(".", "\\.") + "/v1/transport_keys/[0-9a-f-]{36}");
        String id = ref.substring(ref.lastIndexOf('/') + 1);

        // Any user may read it, Barbican's way: the row's columns, Python datetimes, no href.
        Response got = user.get(ref);
        assertThat(got.status()).isEqualTo(200);
        JsonNode key = got.json();
        assertThat(key.get("id").asText()).isEqualTo(id);
        assertThat(key.get("plugin_name").asText()).isEqualTo("kra");
        assertThat(key.get("transport_key").asText()).isEqualTo(PEM.replace("\\n", "\n"));
        assertThat(key.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(key.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?");
        assertThat(key.get("updated_at").asText()).isEqualTo(key.get("created_at").asText());
        assertThat(key.get("deleted").asBoolean()).isFalse();
        assertThat(key.get("deleted_at").isNull()).isTrue();

        assertThat(serviceAdmin.delete(ref).status()).isEqualTo(204);
        Response gone = user.get(ref);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().get("description").asText()).isEqualTo("Not Found. Transport Key not found.");
        assertThat(serviceAdmin.delete(ref).status()).isEqualTo(404);
        // Soft-deleted, as in Barbican.
        boolean deleted = server.app().database().read(h -> h.createQuery("SELECT deleted FROM transport_keys WHERE id = :id")
                .bind("id", id).mapTo(Boolean.class).one());
        assertThat(deleted).isTrue();
    }

    @Test
    void listFiltersByPluginAndPages() {
        String plugin = "plugin-" + UUID.randomUUID();
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            refs.add(create(plugin));
        }
        create("other-" + UUID.randomUUID());

        JsonNode all = user.get("/v1/transport_keys?plugin_name=" + plugin).json();
        assertThat(all.get("total").asInt()).isEqualTo(3);
        List<String> listed = new ArrayList<>();
        all.get("transport_keys").forEach(n -> listed.add(n.asText()));
        assertThat(listed).containsExactlyElementsOf(refs);
        assertThat(all.has("next")).isFalse();
        assertThat(all.has("previous")).isFalse();

        JsonNode page = user.get("/v1/transport_keys?plugin_name=" + plugin + "&limit=1&offset=1").json();
        assertThat(page.get("transport_keys")).hasSize(1);
        assertThat(page.get("transport_keys").get(0).asText()).isEqualTo(refs.get(1));
        assertThat(page.get("next").asText()).isEqualTo(server.url()
                + "/v1/transport_keys?limit=1&offset=2&plugin_name=" + plugin);
        assertThat(page.get("previous").asText()).isEqualTo(server.url()
                + "/v1/transport_keys?limit=1&offset=0&plugin_name=" + plugin);

        JsonNode none = user.get("/v1/transport_keys?plugin_name=nothing-" + UUID.randomUUID()).json();
        assertThat(none.toString()).isEqualTo("{\"transport_keys\":[],\"total\":0}");
        assertThat(user.get("/v1/transport_keys").json().get("total").asInt()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void legacyRulesLetOnlyTheServiceAdminWrite() {
        int before = liveRows();
        Response post = user.postJson("/v1/transport_keys", "{\"plugin_name\":\"p\",\"transport_key\":\"k\"}");
        assertThat(post.status()).isEqualTo(403);
        assertThat(post.json().get("description").asText())
                .isEqualTo("Transport Key Creation attempt not allowed - please review your user/project privileges");
        // 403 before the body is even looked at.
        assertThat(user.postJson("/v1/transport_keys", "garbage").status()).isEqualTo(403);
        String ref = create("p");
        Response delete = user.delete(ref);
        assertThat(delete.status()).isEqualTo(403);
        assertThat(delete.json().get("description").asText())
                .isEqualTo("Transport Key deletion attempt not allowed - please review your user/project privileges");
        Api observer = user.as("elsewhere-" + UUID.randomUUID(), "observer", null);
        assertThat(observer.get(ref).status()).isEqualTo(200);
        assertThat(observer.get("/v1/transport_keys").status()).isEqualTo(200);
        Api member = user.as("elsewhere", "member", null);
        assertThat(member.get(ref).status()).isEqualTo(403);
        assertThat(member.get("/v1/transport_keys").json().get("description").asText())
                .isEqualTo("Transport Key(s) retrieval attempt not allowed - please review your user/project privileges");
        assertThat(liveRows()).isEqualTo(before + 1);
    }

    @Test
    void secureRbacDefaultsLetTheAdminWriteAndReadersRead() throws Exception {
        try (TestServer secure = TestServer.start(database())) {
            Api admin = new Api(secure.url(), "p-" + UUID.randomUUID(), "admin", null);
            Response created = admin.postJson("/v1/transport_keys", "{\"plugin_name\":\"p\",\"transport_key\":\"k\"}");
            assertThat(created.status()).isEqualTo(201);
            String ref = created.json().get("transport_key_ref").asText();
            Api reader = admin.as("other", "reader", null);
            assertThat(reader.get(ref).status()).isEqualTo(200);
            assertThat(reader.get("/v1/transport_keys").json().get("total").asInt()).isEqualTo(1);
            Api member = admin.as("other", "member", null);
            assertThat(member.postJson("/v1/transport_keys", "{\"plugin_name\":\"p\",\"transport_key\":\"k\"}").status())
                    .isEqualTo(403);
            assertThat(member.delete(ref).status()).isEqualTo(403);
            assertThat(admin.as("other", SERVICE_ADMIN, null).delete(ref).status()).isEqualTo(403);
            assertThat(admin.delete(ref).status()).isEqualTo(204);
        }
    }

    @Test
    void badRequestsAreBarbicanShapedAndWriteNothing() {
        int before = liveRows();
        String prefix = "Provided object does not match schema 'Transport Key': ";
        Map<String, String> bodies = Map.of(
                "{\"transport_key\":\"k\"}", prefix + "plugin_name must be provided. Invalid property: 'plugin_name'",
                "{\"plugin_name\":\"p\",\"transport_key\":\"  \"}",
                prefix + "transport_key must be provided. Invalid property: 'transport_key'",
                "{\"plugin_name\":[\"p\"],\"transport_key\":\"k\"}",
                prefix + "['p'] is not of type 'string'. Invalid property: 'plugin_name'",
                "[]", prefix + "[] is not of type 'object'. Invalid property: 'None'");
        bodies.forEach((body, description) -> {
            Response r = serviceAdmin.postJson("/v1/transport_keys", body);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.json().get("description").asText()).as(body).isEqualTo(description);
        });
        assertThat(serviceAdmin.postJson("/v1/transport_keys", "{").status()).isEqualTo(400);
        assertThat(serviceAdmin.postJson("/v1/transport_keys", "").status()).isEqualTo(400);
        Response text = serviceAdmin.send("POST", "/v1/transport_keys", "text/plain", "{}".getBytes());
        assertThat(text.status()).isEqualTo(415);
        assertThat(text.json().get("description").asText())
                .isEqualTo("Unexpected content type. Expected content types are: ['application/json']");
        assertThat(liveRows()).isEqualTo(before);

        Response invalid = user.get("/v1/transport_keys/not-a-uuid");
        assertThat(invalid.status()).isEqualTo(404);
        assertThat(invalid.json().get("description").asText()).isEqualTo("Not Found. Provided transport key id is invalid.");
        assertThat(serviceAdmin.delete("/v1/transport_keys/not-a-uuid").status()).isEqualTo(404);
        assertThat(user.get("/v1/transport_keys/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(serviceAdmin.delete("/v1/transport_keys/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(serviceAdmin.send("PUT", "/v1/transport_keys", "application/json", "{}".getBytes()).status())
                .isEqualTo(405);
    }
}

class TransportKeysApiSqliteIT extends TransportKeysApiIT {
    @Override
    protected TestDatabases.Kind database() {
        return TestDatabases.Kind.SQLITE;
    }
}

class TransportKeysApiPostgresIT extends TransportKeysApiIT {
    @Override
    protected TestDatabases.Kind database() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
