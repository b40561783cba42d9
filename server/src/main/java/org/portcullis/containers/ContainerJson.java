package org.portcullis.containers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.portcullis.http.Timestamps;

/** Containers and consumers as Barbican clients read them. */
final class ContainerJson {
    private ContainerJson() {}

    static String ref(String baseUrl, String id) {
        return baseUrl + "/v1/containers/" + id;
    }

    static Map<String, Object> of(Container c, String baseUrl) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("container_ref", ref(baseUrl, c.id()));
        m.put("name", c.name());
        m.put("type", c.type().apiName());
        m.put("status", c.status());
        m.put("created", Timestamps.format(c.createdAt()));
        m.put("updated", Timestamps.format(c.updatedAt()));
        m.put("creator_id", c.creatorId());
        List<Map<String, Object>> refs = new ArrayList<>(c.secrets().size());
        for (ContainerSecret s : c.secrets()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", s.name());
            r.put("secret_ref", baseUrl + "/v1/secrets/" + s.secretId());
            refs.add(r);
        }
        m.put("secret_refs", refs);
        List<Map<String, Object>> consumers = new ArrayList<>(c.consumers().size());
        for (ContainerConsumer consumer : c.consumers()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", consumer.name());
            r.put("URL", consumer.url());
            consumers.add(r);
        }
        m.put("consumers", consumers);
        return m;
    }

    /** A consumer on its own (consumer list, consumer by id): with its times and status. */
    static Map<String, Object> consumer(ContainerConsumer c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("URL", c.url());
        m.put("status", "ACTIVE");
        m.put("created", Timestamps.format(c.createdAt()));
        m.put("updated", Timestamps.format(c.updatedAt()));
        return m;
    }
}
