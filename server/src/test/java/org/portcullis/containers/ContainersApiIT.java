package org.portcullis.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.portcullis.auth.PolicyTarget;
import org.portcullis.auth.RequestContext;
import org.portcullis.testing.Api;
import org.portcullis.testing.Api.Response;
import org.portcullis.testing.TestDatabases;

abstract class ContainersApiIT extends ContainerApiFixture {
    // ---- create, get, delete ------------------------------------------------------------------

    @Test
    void genericContainerRoundTrip() {
        Api as = api.as("gen-" + UUID.randomUUID(), null, "alice");
        String a = as.createText("a");
        String b = as.createText("b");
        Response created = as.postJson("/v1/containers", containerBody("generic", "web", "one=" + a, "two=" + b));
        assertThat(created.status()).isEqualTo(201);
        String ref = created.json().get("container_ref").asText();
        assertThat(ref).matches(server.url() + "/v1/containers/[0-9a-f-]{36}");
        assertThat(created.header("Location")).isEqualTo(ref);

        Response got = as.get(ref);
        assertThat(got.status()).isEqualTo(200);
        JsonNode c = got.json();
        assertThat(c.get("container_ref").asText()).isEqualTo(ref);
        assertThat(c.get("name").asText()).isEqualTo("web");
        assertThat(c.get("type").asText()).isEqualTo("generic");
        assertThat(c.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(c.get("created").asText()).matches(TS);
        assertThat(c.get("updated").asText()).matches(TS);
        assertThat(c.get("creator_id").asText()).isEqualTo("alice");
        assertThat(c.get("consumers").isArray()).isTrue();
        assertThat(c.get("consumers")).isEmpty();
        assertThat(c.get("secret_refs")).hasSize(2);
        assertThat(c.get("secret_refs").get(0).get("name").asText()).isEqualTo("one");
        assertThat(c.get("secret_refs").get(0).get("secret_ref").asText()).isEqualTo(secretRef(a));
        assertThat(c.get("secret_refs").get(1).get("secret_ref").asText()).isEqualTo(secretRef(b));
        assertThat(c.get("secret_refs").get(0).size()).isEqualTo(2);

        assertThat(as.delete(ref).status()).isEqualTo(204);
        Response gone = as.get(ref);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().get("description").asText()).isEqualTo("Secrets container not found.");
        assertThat(as.delete(ref).status()).isEqualTo(404);
        // Deleting a container leaves its secrets alone.
        assertThat(as.get("/v1/secrets/" + a + "/payload", "Accept", "text/plain").body()).isEqualTo("a");
        assertThat(as.get("/v1/secrets/" + b).status()).isEqualTo(200);
    }

    @Test
    void rsaAndCertificateContainers() {
        Api as = project();
        String pub = as.createText("public");
        String priv = as.createText("private");
        String pass = as.createText("passphrase");
        String rsa = create(as, containerBody("rsa", "keys", "public_key=" + pub, "private_key=" + priv,
                "private_key_passphrase=" + pass));
        JsonNode c = as.get(rsa).json();
        assertThat(c.get("type").asText()).isEqualTo("rsa");
        assertThat(refsByName(c)).containsOnlyKeys("public_key", "private_key", "private_key_passphrase");
        assertThat(refsByName(c).get("private_key")).isEqualTo(secretRef(priv));

        String rsa2 = create(as, containerBody("rsa", null, "public_key=" + pub, "private_key=" + priv));
        assertThat(as.get(rsa2).json().get("name").isNull()).isTrue();

        String chain = as.createText("chain");
        String cert = create(as, containerBody("certificate", "tls", "certificate=" + pub, "private_key=" + priv,
                "private_key_passphrase=" + pass, "intermediates=" + chain));
        JsonNode cc = as.get(cert).json();
        assertThat(cc.get("type").asText()).isEqualTo("certificate");
        assertThat(refsByName(cc)).containsOnlyKeys("certificate", "private_key", "private_key_passphrase",
                "intermediates");
        String certOnly = create(as, containerBody("certificate", "bare", "certificate=" + pub));
        assertThat(as.get(certOnly).json().get("secret_refs")).hasSize(1);

        // One secret may be in several containers.
        assertThat(as.get("/v1/containers?type=rsa").json().get("total").asInt()).isEqualTo(2);
        assertThat(as.get("/v1/containers?type=certificate").json().get("total").asInt()).isEqualTo(2);
        assertThat(as.delete(rsa).status()).isEqualTo(204);
        assertThat(as.get(rsa2).json().get("secret_refs")).hasSize(2);
    }

    // ---- validation -----------------------------------------------------------------------------

    @Test
    void badBodiesAre400AndWriteNothing() {
        Api as = project();
        String a = as.createText("a");
        String b = as.createText("b");
        Map<String, Integer> before = allRows();
        String[] bodies = {
            "{bad json",
            "[1]",
            "{}",
            "{\"type\":\"dsa\"}",
            "{\"type\":\"vault\"}",
            "{\"type\":\"generic\",\"name\":5}",
            "{\"type\":\"generic\",\"secret_refs\":\"x\"}",
            "{\"type\":\"generic\",\"secret_refs\":[{\"name\":\"x\"}]}",
            containerBody("generic", "dup", "x=" + a, "y=" + a),
            containerBody("generic", "dupname", "x=" + a, "x=" + b),
            containerBody("rsa", "half", "public_key=" + a),
            containerBody("rsa", "extra", "public_key=" + a, "private_key=" + b, "certificate=" + a),
            containerBody("certificate", "nocert", "private_key=" + a),
            containerBody("certificate", "badname", "bogus=" + a),
            "{\"type\":\"generic\",\"secret_refs\":[{\"name\":\"x\",\"secret_ref\":\"http://elsewhere.example/v1/secrets/"
                    + a + "\"}]}",
        };
        for (String body : bodies) {
            Response r = as.postJson("/v1/containers", body);
            assertThat(r.status()).as(body).isEqualTo(400);
            JsonNode error = r.json();
            assertThat(error.get("code").asInt()).isEqualTo(400);
            assertThat(error.get("title").asText()).isEqualTo("Bad Request");
            assertThat(error.get("description").asText()).isNotBlank();
        }
        assertThat(as.send("POST", "/v1/containers", "text/plain", "{}".getBytes()).status()).isEqualTo(415);
        assertThat(allRows()).isEqualTo(before);
    }

    @Test
    void refsToSecretsOutsideTheProjectAre404AndWriteNothing() {
        Api as = project();
        String mine = as.createText("mine");
        String theirs = project().createText("theirs");
        String deleted = as.createText("deleted");
        assertThat(as.delete("/v1/secrets/" + deleted).status()).isEqualTo(204);
        Map<String, Integer> before = allRows();

        Response r = as.postJson("/v1/containers", containerBody("generic", "x", "ok=" + mine, "foreign=" + theirs));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("description").asText()).isEqualTo("Secret provided for 'foreign' doesn't exist.");
        r = as.postJson("/v1/containers", containerBody("rsa", "x", "public_key=" + mine, "private_key=" + deleted));
        assertThat(r.json().get("description").asText()).isEqualTo("Secret provided for 'private_key' doesn't exist.");
        r = as.postJson("/v1/containers", containerBody("generic", "x", "u=" + UUID.randomUUID()));
        assertThat(r.status()).isEqualTo(404);
        r = as.postJson("/v1/containers", "{\"type\":\"generic\",\"secret_refs\":[{\"name\":\"n\",\"secret_ref\":\""
                + server.url() + "/v1/secrets/not-a-uuid\"}]}");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("description").asText()).isEqualTo("Secret provided for 'n' doesn't exist.");
        assertThat(allRows()).isEqualTo(before);
    }

    @Test
    void idsAndProjects() {
        Response malformed = api.get("/v1/containers/not-a-uuid");
        assertThat(malformed.status()).isEqualTo(404);
        assertThat(malformed.json().get("description").asText()).isEqualTo("Not Found. Provided container id is invalid.");
        assertThat(api.get("/v1/containers/" + UUID.randomUUID()).json().get("description").asText())
                .isEqualTo("Secrets container not found.");
        assertThat(api.delete("/v1/containers/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(api.get("/v1/containers/" + UUID.randomUUID() + "/consumers").status()).isEqualTo(404);

        Api owner = project();
        String ref = create(owner, containerBody("generic", "private", "s=" + owner.createText("s")));
        Api other = api.as("other-" + UUID.randomUUID(), "admin", null);
        assertThat(other.get(ref).status()).isEqualTo(403);
        assertThat(other.get(ref).json().get("description").asText())
                .isEqualTo("Container retrieval attempt not allowed - please review your user/project privileges");
        assertThat(other.delete(ref).status()).isEqualTo(403);
        assertThat(other.get(ref + "/consumers").status()).isEqualTo(403);
        assertThat(other.postJson(ref + "/consumers", "{\"name\":\"n\",\"URL\":\"u\"}").status()).isEqualTo(403);
        assertThat(other.get("/v1/containers").json().get("total").asInt()).isZero();
        assertThat(owner.get(ref).status()).isEqualTo(200);
        assertThat(owner.send("PUT", ref, "application/json", "{}".getBytes()).status()).isEqualTo(405);
    }

    @Test
    void policyComesBeforeTheBody() {
        Api reader = api.as("reader-" + UUID.randomUUID(), "reader", "r1");
        Response r = reader.postJson("/v1/containers", "{bad json");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("description").asText()).startsWith("Container creation attempt not allowed");
        assertThat(reader.get("/v1/containers").status()).isEqualTo(403);
    }

    @Test
    void theContainersQuotaIsEnforced() {
        String projectId = "quota-" + UUID.randomUUID();
        Api as = api.as(projectId, null, null);
        String s = as.createText("s");
        assertThat(api.putJson("/v1/project-quotas/" + projectId, "{\"project_quotas\":{\"containers\":1}}").status())
                .isEqualTo(204);
        String first = create(as, containerBody("generic", "one", "k=" + s));
        Map<String, Integer> before = allRows();
        Response refused = as.postJson("/v1/containers", containerBody("generic", "two", "k=" + s));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("description").asText())
                .isEqualTo("Container creation issue seen - Creation not allowed because a quota has been reached.");
        assertThat(allRows()).isEqualTo(before);
        assertThat(as.delete(first).status()).isEqualTo(204);
        create(as, containerBody("generic", "two", "k=" + s));
    }

    // ---- list -----------------------------------------------------------------------------------

    @Test
    void listPagesAndFilters() {
        Api as = project();
        String s = as.createText("shared");
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            refs.add(create(as, containerBody("generic", "c" + i, "k=" + s)));
        }
        create(as, containerBody("certificate", "c1", "certificate=" + s));

        JsonNode all = as.get("/v1/containers").json();
        assertThat(all.get("total").asInt()).isEqualTo(6);
        assertThat(all.has("next")).isFalse();
        assertThat(all.has("previous")).isFalse();
        assertThat(all.get("containers").get(0).get("container_ref").asText()).isEqualTo(refs.get(0));
        assertThat(all.get("containers").get(0).get("secret_refs").get(0).get("secret_ref").asText())
                .isEqualTo(secretRef(s));
        assertThat(all.get("containers").get(0).get("consumers")).isEmpty();

        JsonNode page = as.get("/v1/containers?limit=2&offset=2").json();
        assertThat(page.get("total").asInt()).isEqualTo(6);
        assertThat(page.get("containers")).hasSize(2);
        assertThat(page.get("containers").get(0).get("container_ref").asText()).isEqualTo(refs.get(2));
        assertThat(page.get("next").asText()).isEqualTo(server.url() + "/v1/containers?limit=2&offset=4");
        assertThat(page.get("previous").asText()).isEqualTo(server.url() + "/v1/containers?limit=2&offset=0");

        assertThat(as.get("/v1/containers?name=c1").json().get("total").asInt()).isEqualTo(2);
        assertThat(as.get("/v1/containers?name=c1&type=generic").json().get("total").asInt()).isEqualTo(1);
        assertThat(as.get("/v1/containers?type=nonsense").json().get("total").asInt()).isZero();
        JsonNode beyond = as.get("/v1/containers?offset=50").json();
        assertThat(beyond.get("containers")).isEmpty();
        assertThat(beyond.get("total").asInt()).isEqualTo(6);
        assertThat(beyond.has("previous")).isFalse();
        assertThat(as.get("/v1/containers?limit=bogus&offset=-4").json().get("containers")).hasSize(6);

        as.delete(refs.get(0));
        assertThat(as.get("/v1/containers").json().get("total").asInt()).isEqualTo(5);
    }

    // ---- secrets and containers -------------------------------------------------------------------

    @Test
    void deletingASecretTakesItOutOfItsContainers() {
        Api as = project();
        String keep = as.createText("keep");
        String drop = as.createText("drop");
        String ref = create(as, containerBody("generic", "two", "keep=" + keep, "drop=" + drop));
        String rsa = create(as, containerBody("rsa", "pair", "public_key=" + keep, "private_key=" + drop));
        assertThat(as.delete("/v1/secrets/" + drop).status()).isEqualTo(204);
        assertThat(refsByName(as.get(ref).json())).containsOnlyKeys("keep");
        assertThat(refsByName(as.get(rsa).json())).containsOnlyKeys("public_key");
        int left = server.app().database().read(h -> h.createQuery(
                "SELECT count(*) FROM container_secrets WHERE secret_id = :s").bind("s", drop).mapTo(Integer.class).one());
        assertThat(left).isZero();
    }

    @Test
    void secretsOfAGenericContainerCanBeAddedAndRemoved() {
        Api as = project();
        String a = as.createText("a");
        String b = as.createText("b");
        String ref = create(as, containerBody("generic", "g", "a=" + a));
        String body = "{\"name\":\"b\",\"secret_ref\":\"" + secretRef(b) + "\"}";

        Response added = as.postJson(ref + "/secrets", body);
        assertThat(added.status()).isEqualTo(201);
        assertThat(added.json().get("container_ref").asText()).isEqualTo(ref);
        assertThat(added.header("Location")).isEqualTo(ref);
        assertThat(refsByName(as.get(ref).json())).containsExactly(Map.entry("a", secretRef(a)),
                Map.entry("b", secretRef(b)));
        assertThat(as.postJson(ref + "/secrets", body).status()).isEqualTo(409);
        assertThat(as.postJson(ref + "/secrets", "{\"name\":\"other\",\"secret_ref\":\"" + secretRef(b) + "\"}")
                .status()).isEqualTo(409);
        Response missing = as.postJson(ref + "/secrets", "{\"name\":\"c\",\"secret_ref\":\"" + secretRef(
                UUID.randomUUID().toString()) + "\"}");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("description").asText()).isEqualTo("Secret provided doesn't exist.");
        assertThat(as.postJson(ref + "/secrets", "{\"name\":\"c\"}").status()).isEqualTo(400);

        assertThat(deleteJson(as, ref + "/secrets", body).status()).isEqualTo(204);
        assertThat(refsByName(as.get(ref).json())).containsOnlyKeys("a");
        Response notIn = deleteJson(as, ref + "/secrets", body);
        assertThat(notIn.status()).isEqualTo(404);
        assertThat(notIn.json().get("description").asText()).isEqualTo("Secret provided is not in the container");
        // The name must match too.
        assertThat(deleteJson(as, ref + "/secrets", "{\"name\":\"wrong\",\"secret_ref\":\"" + secretRef(a) + "\"}")
                .status()).isEqualTo(404);

        String rsa = create(as, containerBody("rsa", "pair", "public_key=" + a, "private_key=" + b));
        Response typed = as.postJson(rsa + "/secrets", "{\"name\":\"x\",\"secret_ref\":\"" + secretRef(b) + "\"}");
        assertThat(typed.status()).isEqualTo(400);
        assertThat(typed.json().get("description").asText()).isEqualTo("Only 'generic' containers can be modified.");
        // Removal is not limited to generic containers (as in Barbican).
        assertThat(deleteJson(as, rsa + "/secrets", "{\"name\":\"private_key\",\"secret_ref\":\"" + secretRef(b) + "\"}")
                .status()).isEqualTo(204);
        assertThat(as.get(rsa + "/secrets").status()).isEqualTo(405);
    }

    /** What asymmetric orders use: a container made inside the caller's transaction. */
    @Test
    void generatedContainersAreMadeInTheCallersTransaction() {
        String projectId = "gen-" + UUID.randomUUID();
        Api owner = api.as(projectId, null, null);
        String ownPub = owner.createText("pub");
        String ownPriv = owner.createText("priv");
        ContainerService service = service((ctx, cid) -> PolicyTarget.AclView.DEFAULT);
        RequestContext ctx = RequestContext.project(projectId, "orderer", Set.of("member"), "r");
        Map<String, String> refs = new LinkedHashMap<>();
        refs.put("public_key", ownPub);
        refs.put("private_key", ownPriv);
        String id = server.app().database().write(h -> service.insertGenerated(h, ctx, "rsa", "order", refs));
        JsonNode c = owner.get("/v1/containers/" + id).json();
        assertThat(c.get("type").asText()).isEqualTo("rsa");
        assertThat(c.get("creator_id").asText()).isEqualTo("orderer");
        assertThat(refsByName(c)).containsExactly(Map.entry("public_key", secretRef(ownPub)),
                Map.entry("private_key", secretRef(ownPriv)));

        // A failure later in the caller's transaction takes the container with it.
        Map<String, Integer> before = allRows();
        assertThatThrownBy(() -> server.app().database().write(h -> {
            service.insertGenerated(h, ctx, "rsa", "doomed", refs);
            throw new IllegalStateException("order failed");
        })).hasMessage("order failed");
        assertThat(allRows()).isEqualTo(before);
        assertThatThrownBy(() -> server.app().database().write(h -> service.insertGenerated(h, ctx, "rsa", "x",
                Map.of("public_key", ownPub)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.app().database().write(h -> service.insertGenerated(h, ctx, "weird", "x",
                Map.of()))).isInstanceOf(IllegalArgumentException.class);
    }
}

class ContainersApiSqliteIT extends ContainersApiIT {
    @Override
    protected TestDatabases.Kind database() {
        return TestDatabases.Kind.SQLITE;
    }
}

class ContainersApiPostgresIT extends ContainersApiIT {
    @Override
    protected TestDatabases.Kind database() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
