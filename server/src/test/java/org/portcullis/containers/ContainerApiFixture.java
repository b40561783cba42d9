package org.portcullis.containers;


import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.portcullis.auth.Policy;
import org.portcullis.quotas.QuotaEnforcer;
import org.portcullis.quotas.QuotaRepository;
import org.portcullis.testing.Api;
import org.portcullis.testing.Api.Response;
import org.portcullis.testing.NodePerClass;

abstract class ContainerApiFixture extends NodePerClass {
    static final String TS = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?";

    Api api;

    @BeforeAll
    void start() throws Exception {
        api = new Api(server.url(), "proj-" + UUID.randomUUID());
    }

    Api project() {
        return api.as("p-" + UUID.randomUUID(), null, null);
    }

    String secretRef(String id) {
        return server.url() + "/v1/secrets/" + id;
    }

    /** {@code {"type": type, "name": name, "secret_refs": [...]}} from name=secretId pairs. */
    String containerBody(String type, String name, String... refs) {
        StringBuilder sb = new StringBuilder("{\"type\":\"" + type + "\"");
        if (name != null) {
            sb.append(",\"name\":").append(Api.quote(name));
        }
        sb.append(",\"secret_refs\":[");
        for (int i = 0; i < refs.length; i++) {
            String[] kv = refs[i].split("=", 2);
            sb.append(i == 0 ? "" : ",").append("{\"name\":\"").append(kv[0]).append("\",\"secret_ref\":\"")
                    .append(secretRef(kv[1])).append("\"}");
        }
        return sb.append("]}").toString();
    }

    static String create(Api as, String body) {
        Response r = as.postJson("/v1/containers", body);
        if (r.status() != 201) {
            throw new AssertionError("container create failed: " + r.status() + " " + r.body());
        }
        return r.json().get("container_ref").asText();
    }

    static String idOf(String ref) {
        return ref.substring(ref.lastIndexOf('/') + 1);
    }

    int rows(String table) {
        return server.app().database().read(h -> h.createQuery("SELECT count(*) FROM " + table)
                .mapTo(Integer.class).one());
    }

    Map<String, Integer> allRows() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String t : List.of("containers", "container_secrets", "container_consumers")) {
            m.put(t, rows(t));
        }
        return m;
    }

    /** The service on the test node's database, with an ACL view of the test's choosing. */
    ContainerService service(ContainerAcls acls) {
        Clock clock = Clock.systemUTC();
        return new ContainerService(server.app().database(), new ContainerRepository(server.app().database().kind()),
                acls, Policy.create(true, Map.of()),
                new QuotaEnforcer(server.app().database(), new QuotaRepository(), server.app().config().quotas(), clock),
                clock);
    }

    static Response deleteJson(Api as, String path, String json) {
        return as.send("DELETE", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, String> refsByName(JsonNode container) {
        Map<String, String> m = new LinkedHashMap<>();
        for (JsonNode r : container.get("secret_refs")) {
            m.put(r.get("name").asText(), r.get("secret_ref").asText());
        }
        return m;
    }
}
