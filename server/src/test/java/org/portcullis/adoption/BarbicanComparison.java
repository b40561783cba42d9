package org.portcullis.adoption;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.portcullis.testing.Api;

/** Compares a real Barbican's API answers with Portcullis' after an import: identical apart from the host in hrefs. */
final class BarbicanComparison {
    private BarbicanComparison() {}

    /** Every answer for {@code project}: lists, secrets (metadata, payload in every content type, user metadata, ACL, consumers), containers, orders, quotas, preferred store. */
    static void compareProject(String barbicanUrl, String project, String portcullisUrl) {
        Api b = BarbicanFixture.api(barbicanUrl, project);
        Api p = BarbicanFixture.api(portcullisUrl, project);
        List<String> ids = ids(b.get("/v1/secrets?limit=100").json().get("secrets"), "secret_ref");
        assertThat(ids(p.get("/v1/secrets?limit=100").json().get("secrets"), "secret_ref"))
                .as("secrets of " + project).containsExactlyInAnyOrderElementsOf(ids);
        for (String id : ids) {
            JsonNode bs = b.get("/v1/secrets/" + id).json();
            JsonNode ps = p.get("/v1/secrets/" + id).json();
            for (String f : List.of("name", "secret_type", "algorithm", "bit_length", "mode", "expiration", "status",
                    "content_types", "creator_id")) {
                assertThat(String.valueOf(ps.get(f))).as(project + " secret " + id + " " + f)
                        .isEqualTo(String.valueOf(bs.get(f)));
            }
            if (bs.has("content_types") && bs.get("content_types").has("default")) {
                String ct = bs.get("content_types").get("default").asText();
                for (String accept : ct.startsWith("text/plain") ? List.of("text/plain") : List.of(ct,
                        "application/octet-stream")) {
                    Api.Response bp = b.get("/v1/secrets/" + id + "/payload", "Accept", accept);
                    Api.Response pp = p.get("/v1/secrets/" + id + "/payload", "Accept", accept);
                    assertThat(pp.status()).as(project + " payload " + id + " " + accept).isEqualTo(bp.status());
                    assertThat(pp.bytes()).as(project + " payload " + id + " " + accept).isEqualTo(bp.bytes());
                }
            }
            assertThat(new TreeMap<>(toMap(p.get("/v1/secrets/" + id + "/metadata").json().get("metadata"))))
                    .isEqualTo(new TreeMap<>(toMap(b.get("/v1/secrets/" + id + "/metadata").json().get("metadata"))));
            assertThat(acl(p.get("/v1/secrets/" + id + "/acl").json())).as("acl of " + id)
                    .isEqualTo(acl(b.get("/v1/secrets/" + id + "/acl").json()));
            assertThat(consumers(p, id)).as("consumers of " + id).isEqualTo(consumers(b, id));
        }
        List<String> containers = ids(b.get("/v1/containers?limit=100").json().get("containers"), "container_ref");
        assertThat(ids(p.get("/v1/containers?limit=100").json().get("containers"), "container_ref"))
                .containsExactlyInAnyOrderElementsOf(containers);
        for (String id : containers) {
            JsonNode bc = b.get("/v1/containers/" + id).json();
            JsonNode pc = p.get("/v1/containers/" + id).json();
            assertThat(pc.get("name")).isEqualTo(bc.get("name"));
            assertThat(pc.get("type")).isEqualTo(bc.get("type"));
            assertThat(refs(pc)).as("refs of container " + id).isEqualTo(refs(bc));
            assertThat(String.valueOf(pc.get("consumers")).replace(portcullisUrl, barbicanUrl))
                    .isEqualTo(String.valueOf(bc.get("consumers")));
        }
        List<String> orders = ids(b.get("/v1/orders?limit=100").json().get("orders"), "order_ref");
        assertThat(ids(p.get("/v1/orders?limit=100").json().get("orders"), "order_ref"))
                .containsExactlyInAnyOrderElementsOf(orders);
        for (String id : orders) {
            JsonNode bo = b.get("/v1/orders/" + id).json();
            JsonNode po = p.get("/v1/orders/" + id).json();
            for (String f : List.of("type", "status", "secret_ref", "container_ref")) {
                assertThat(String.valueOf(po.get(f)).replace(portcullisUrl, barbicanUrl)).as("order " + id + " " + f)
                        .isEqualTo(String.valueOf(bo.get(f)));
            }
        }
        assertThat(p.get("/v1/project-quotas/" + project).json()).isEqualTo(b.get("/v1/project-quotas/" + project).json());
        // Stores have each server's own ids and names; the preferred store's plugins must match.
        Api.Response bp = b.get("/v1/secret-stores/preferred");
        Api.Response pp = p.get("/v1/secret-stores/preferred");
        assertThat(pp.status()).as("preferred store of " + project).isEqualTo(bp.status());
        if (bp.status() == 200) {
            assertThat(pp.json().get("secret_store_plugin")).isEqualTo(bp.json().get("secret_store_plugin"));
            assertThat(pp.json().get("crypto_plugin")).isEqualTo(bp.json().get("crypto_plugin"));
        }
    }

    private static String consumers(Api api, String id) {
        JsonNode c = api.get("/v1/secrets/" + id + "/consumers", BarbicanFixture.MICROVERSION, "key-manager 1.1").json();
        List<String> out = new ArrayList<>();
        c.get("consumers").forEach(x -> out.add(x.get("service") + "/" + x.get("resource_type") + "/" + x.get("resource_id")));
        return out.toString();
    }

    private static String acl(JsonNode acl) {
        JsonNode read = acl.get("read");
        if (read == null) {
            return "none";
        }
        List<String> users = new ArrayList<>();
        if (read.has("users")) {
            read.get("users").forEach(u -> users.add(u.asText()));
        }
        java.util.Collections.sort(users);
        return read.get("project-access") + " " + users;
    }

    private static String refs(JsonNode container) {
        List<String> out = new ArrayList<>();
        container.get("secret_refs").forEach(r -> out.add(r.get("name").asText() + "="
                + r.get("secret_ref").asText().substring(r.get("secret_ref").asText().lastIndexOf('/') + 1)));
        java.util.Collections.sort(out);
        return out.toString();
    }

    private static java.util.Map<String, String> toMap(JsonNode node) {
        java.util.Map<String, String> m = new java.util.HashMap<>();
        node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    private static List<String> ids(JsonNode list, String field) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.get(field).asText().substring(n.get(field).asText().lastIndexOf('/') + 1)));
        return out;
    }
}
