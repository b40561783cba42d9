package org.portcullis.acl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.portcullis.testing.Api;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.NodePerClass;
import org.portcullis.testing.TestServer;

/**
 * ACLs the way Octavia relies on them: a service user of another project reads a tenant's secret
 * only once the tenant grants it, and a private secret shuts out the rest of its own project.
 */
abstract class AclApiIT extends NodePerClass {
    private Api owner;
    private String project;

    abstract String memberRole();

    @BeforeAll
    void start() throws Exception {
        project = "tenant-" + UUID.randomUUID();
        owner = new Api(server.url(), project, null, "alice");
    }

    @Test
    void serviceUserReadsOnlyWhenGranted() {
        String id = owner.createText("tls-key");
        String acl = "/v1/secrets/" + id + "/acl";
        Api octavia = owner.as("service-project", memberRole(), "octavia");
        assertThat(octavia.get("/v1/secrets/" + id + "/payload", "Accept", "text/plain").status()).isEqualTo(403);

        JsonNode defaults = owner.get(acl).json();
        assertThat(defaults.get("read").get("project-access").asBoolean()).isTrue();
        assertThat(defaults.get("read").has("users")).isFalse();

        var put = owner.putJson(acl, "{\"read\":{\"users\":[\"octavia\"]}}");
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.json().get("acl_ref").asText()).isEqualTo(server.url() + acl);
        assertThat(octavia.get("/v1/secrets/" + id + "/payload", "Accept", "text/plain").body()).isEqualTo("tls-key");
        assertThat(octavia.get("/v1/secrets/" + id).status()).isEqualTo(200);
        // Being listed grants read, nothing else.
        assertThat(octavia.delete("/v1/secrets/" + id).status()).isEqualTo(403);
        assertThat(octavia.get("/v1/secrets?acl_only=true").json().get("total").asInt()).isEqualTo(1);

        Api.Response reset = owner.delete(acl);
        assertThat(reset.status()).isEqualTo(200);
        assertThat(reset.header("Content-Type")).isEqualTo("application/json");
        assertThat(reset.body()).isEqualTo("null");
        assertThat(octavia.get("/v1/secrets/" + id + "/payload", "Accept", "text/plain").status()).isEqualTo(403);
    }

    @Test
    void privateSecretShutsOutTheRestOfTheProject() {
        String id = owner.createText("private");
        String acl = "/v1/secrets/" + id + "/acl";
        assertThat(owner.putJson(acl, "{\"read\":{\"project-access\":false,\"users\":[\"bob\"]}}").status()).isEqualTo(200);
        JsonNode read = owner.get(acl).json().get("read");
        assertThat(read.get("project-access").asBoolean()).isFalse();
        assertThat(read.get("users").get(0).asText()).isEqualTo("bob");
        assertThat(read.get("created").asText()).isNotBlank();

        Api colleague = owner.as(project, memberRole(), "carol");
        Api bob = owner.as("elsewhere", memberRole(), "bob");
        assertThat(colleague.get("/v1/secrets/" + id + "/payload", "Accept", "text/plain").status()).isEqualTo(403);
        assertThat(bob.get("/v1/secrets/" + id + "/payload", "Accept", "text/plain").body()).isEqualTo("private");

        // PATCH changes only what it names.
        assertThat(owner.send("PATCH", acl, "application/json", "{\"read\":{\"project-access\":true}}".getBytes()).status())
                .isEqualTo(200);
        JsonNode patched = owner.get(acl).json().get("read");
        assertThat(patched.get("project-access").asBoolean()).isTrue();
        assertThat(patched.get("users").get(0).asText()).isEqualTo("bob");
        assertThat(colleague.get("/v1/secrets/" + id + "/payload", "Accept", "text/plain").body()).isEqualTo("private");
    }

    /** Barbican (and upstream's tempest rbac tests) answer 200 to an ACL reset, for containers too. */
    @Test
    void resettingAContainersAclIs200() {
        String ref = owner.postJson("/v1/containers", "{\"type\":\"generic\",\"name\":\"c\"}").json()
                .get("container_ref").asText();
        String acl = ref + "/acl";
        assertThat(owner.putJson(acl, "{\"read\":{\"users\":[\"bob\"],\"project-access\":false}}").status())
                .isEqualTo(200);
        Api.Response reset = owner.delete(acl);
        assertThat(reset.status()).isEqualTo(200);
        assertThat(reset.body()).isEqualTo("null");
        assertThat(owner.get(acl).json().get("read").get("project-access").asBoolean()).isTrue();
        assertThat(owner.delete(acl).status()).as("again, with no ACL left").isEqualTo(200);
    }

    @Test
    void malformedAclsAre400AndUnknownSecrets404() {
        String id = owner.createText("x");
        String acl = "/v1/secrets/" + id + "/acl";
        for (String body : new String[] {"{\"write\":{}}", "{\"read\":{\"users\":\"bob\"}}",
                "{\"read\":{\"project-access\":\"yes\"}}", "{\"read\":{\"other\":1}}", "[]"}) {
            assertThat(owner.putJson(acl, body).status()).as(body).isEqualTo(400);
        }
        assertThat(owner.get("/v1/secrets/" + UUID.randomUUID() + "/acl").status()).isEqualTo(404);
        assertThat(owner.as("intruder", null, "mallory").putJson(acl, "{\"read\":{\"users\":[\"mallory\"]}}").status())
                .isEqualTo(403);
    }
}

class AclApiSqliteIT extends AclApiIT {
    protected TestDatabases.Kind database() {
        return TestDatabases.Kind.SQLITE;
    }

    @Override
    protected List<String> config() {
        return List.of();
    }

    String memberRole() {
        return "member";
    }
}

class AclApiPostgresIT extends AclApiIT {
    protected TestDatabases.Kind database() {
        return TestDatabases.Kind.POSTGRESQL;
    }

    @Override
    protected List<String> config() {
        return List.of();
    }

    String memberRole() {
        return "member";
    }
}

/** The same behaviour under Barbican 15's legacy rules, where a project member has role creator. */
class AclApiLegacyPolicyIT extends AclApiIT {
    protected TestDatabases.Kind database() {
        return TestDatabases.Kind.SQLITE;
    }

    @Override
    protected List<String> config() {
        return List.of("[oslo_policy]", "enforce_new_defaults = False");
    }

    String memberRole() {
        return "creator";
    }
}
