package org.portcullis.stores.vault;

import static org.portcullis.stores.vault.FakeVaultServer.JSON;
import static org.portcullis.stores.vault.FakeVaultServer.envelope;
import static org.portcullis.stores.vault.FakeVaultServer.error;
import static org.portcullis.stores.vault.FakeVaultServer.parseLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.portcullis.stores.vault.FakeVaultServer.Answer;

/**
 * The KV secrets engines of {@link FakeVaultServer}, versions 1 and 2, behind the server's token
 * and namespace checks; what they answer is documented there.
 */
final class FakeVaultKv {
    /** One stored version of a KV v2 key. */
    private record Version(ObjectNode data, Instant created) {}

    /** Keys are namespace + "|" + mount + "|" + path. KV v1 keeps a single version. */
    private final Map<String, List<Version>> kv = new ConcurrentHashMap<>();
    private final Supplier<Instant> clock;
    private final Runnable afterV2Write;

    /** {@code afterV2Write} runs after each KV v2 write is stored, before its reply (a test may hold it there). */
    FakeVaultKv(Supplier<Instant> clock, Runnable afterV2Write) {
        this.clock = clock;
        this.afterV2Write = afterV2Write;
    }

    /** How many keys a mount holds (in the root namespace). */
    int entries(String mount) {
        String prefix = "|" + mount + "|";
        return (int) kv.entrySet().stream().filter(e -> e.getKey().startsWith(prefix) && !e.getValue().isEmpty()).count();
    }

    /** Whether any version of {@code mount/path} exists in {@code namespace}, for tests. */
    boolean exists(String namespace, String mount, String path) {
        List<Version> versions = kv.get(namespace + "|" + mount + "|" + path);
        return versions != null && !versions.isEmpty();
    }

    /** Replaces the data of the latest version behind Vault's back, as someone with Vault access could. */
    void tamper(String namespace, String mount, String path, String field, String value) {
        List<Version> versions = kv.get(namespace + "|" + mount + "|" + path);
        versions.get(versions.size() - 1).data().put(field, value);
    }

    Answer kv2(String method, String ns, String mount, String rest, Map<String, String> query, JsonNode body) {
        if (rest.startsWith("data/") && rest.length() > 5) {
            String key = ns + "|" + mount + "|" + rest.substring(5);
            switch (method) {
                case "POST", "PUT" -> {
                    if (!body.path("data").isObject()) {
                        return error(400, "no data provided");
                    }
                    Answer answer;
                    synchronized (kv) {
                        List<Version> versions = kv.computeIfAbsent(key, k -> new ArrayList<>());
                        JsonNode cas = body.path("options").path("cas");
                        if (!cas.isMissingNode() && cas.asLong(-1) != versions.size()) {
                            return error(400, "check-and-set parameter did not match the current version");
                        }
                        Instant created = clock.get();
                        versions.add(new Version(((ObjectNode) body.get("data")).deepCopy(), created));
                        ObjectNode reply = envelope();
                        reply.set("data", metadata(versions.size(), created));
                        answer = new Answer(200, reply);
                    }
                    afterV2Write.run();
                    return answer;
                }
                case "GET" -> {
                    List<Version> versions = kv.get(key);
                    long wanted = query.containsKey("version") ? parseLong(query.get("version")) : 0;
                    if (versions == null || versions.isEmpty() || wanted < 0 || wanted > versions.size()) {
                        return error(404, null);
                    }
                    int v = wanted == 0 ? versions.size() : (int) wanted;
                    Version version = versions.get(v - 1);
                    ObjectNode inner = JSON.createObjectNode();
                    inner.set("data", version.data().deepCopy());
                    inner.set("metadata", metadata(v, version.created()));
                    ObjectNode reply = envelope();
                    reply.set("data", inner);
                    return new Answer(200, reply);
                }
                default -> {
                    return error(405, "unsupported operation");
                }
            }
        }
        if (rest.startsWith("metadata/") && method.equals("GET") && "true".equals(query.get("list"))) {
            // LIST (here as GET ?list=true): the keys directly under a folder, sub-folders ending in "/"
            String prefix = ns + "|" + mount + "|" + rest.substring(9);
            java.util.TreeSet<String> keys = new java.util.TreeSet<>();
            kv.forEach((k, versions) -> {
                if (k.startsWith(prefix) && !versions.isEmpty() && k.length() > prefix.length()) {
                    String tail = k.substring(prefix.length());
                    int slash = tail.indexOf('/');
                    keys.add(slash < 0 ? tail : tail.substring(0, slash + 1));
                }
            });
            if (keys.isEmpty()) {
                return error(404, null);
            }
            ObjectNode reply = envelope();
            ArrayNode list = reply.putObject("data").putArray("keys");
            keys.forEach(list::add);
            return new Answer(200, reply);
        }
        if (rest.startsWith("metadata/") && rest.length() > 9 && method.equals("DELETE")) {
            kv.remove(ns + "|" + mount + "|" + rest.substring(9));
            return new Answer(204, null);
        }
        return error(404, "no handler for route \"" + mount + "/" + rest + "\". route entry not found.");
    }

    Answer kv1(String method, String ns, String mount, String rest, JsonNode body) {
        if (rest.isEmpty()) {
            return error(405, "unsupported operation");
        }
        String key = ns + "|" + mount + "|" + rest;
        switch (method) {
            case "POST", "PUT" -> {
                if (!body.isObject() || body.isEmpty()) {
                    return error(400, "missing data fields");
                }
                kv.put(key, new ArrayList<>(List.of(new Version(((ObjectNode) body).deepCopy(), clock.get()))));
                return new Answer(204, null);
            }
            case "GET" -> {
                List<Version> versions = kv.get(key);
                if (versions == null || versions.isEmpty()) {
                    return error(404, null);
                }
                ObjectNode reply = envelope();
                reply.put("lease_duration", 2764800);
                reply.set("data", versions.get(0).data().deepCopy());
                return new Answer(200, reply);
            }
            case "DELETE" -> {
                kv.remove(key);
                return new Answer(204, null);
            }
            default -> {
                return error(405, "unsupported operation");
            }
        }
    }

    private static ObjectNode metadata(int version, Instant created) {
        ObjectNode m = JSON.createObjectNode();
        m.put("created_time", created.toString());
        m.putNull("custom_metadata");
        m.put("deletion_time", "");
        m.put("destroyed", false);
        m.put("version", version);
        return m;
    }
}
