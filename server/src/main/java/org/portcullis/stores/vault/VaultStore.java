package org.portcullis.stores.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.ExternalObjects;
import org.portcullis.stores.SecretStore;
import org.portcullis.stores.StoreException;
import org.portcullis.stores.StoreHealth;
import org.portcullis.stores.StoreInfo;
import org.portcullis.stores.StoredRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Barbican's {@code vault_plugin}: each payload is one entry of a Vault KV secrets engine
 * (version 2 by default, or 1), and the secret's row keeps a {@link VaultRef} to it.
 *
 * <p>Entry path: {@code {kv_path}/{project}/{secret id}} under the mount, where the project
 * segment is the project id when it is a plain token ({@code [A-Za-z0-9_-]}, at most 64
 * characters: Keystone ids are) and otherwise {@code x-} and 32 hex digits of its SHA-256, so no
 * caller-chosen text ever reaches a Vault path. Secret ids are ours (UUIDs) and are checked too.
 *
 * <p>Entry data (all strings): {@code portcullis_format = "1"}, {@code secret_id},
 * {@code project_id}, {@code store_id} and {@code payload} (base64). The binding is compared on
 * every read, so a ref presented for another secret, project or store does not yield the payload
 * even if it names a real entry.
 *
 * <p>KV v2: created with check-and-set {@code cas = 0}, so an existing entry is never
 * overwritten; the ref keeps the version Vault assigned and reads ask for exactly it; delete
 * removes the metadata, which destroys every version. KV v1 has no check-and-set and no
 * versions: the path's fresh random UUID is what keeps writes apart, and delete removes the key.
 */
public final class VaultStore implements SecretStore, ExternalObjects, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VaultStore.class);
    private static final String FORMAT = "1";
    private static final String ADOPTED_PREFIX = "vault-adopted1:";
    private static final String SEGMENT = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
    private static final String PLAIN_PROJECT = "[A-Za-z0-9_-]{1,64}";

    private final StoreInfo info;
    private final VaultSettings settings;
    private final VaultClient client;

    public VaultStore(StoreInfo info, VaultSettings settings, Clock clock) {
        this.info = info;
        this.settings = settings;
        this.client = new VaultClient(settings, clock);
        LOG.info("secret store '{}': {}", info.name(), settings);
    }

    @Override
    public StoreInfo info() {
        return info;
    }

    @Override
    public StoredRef store(SecretBinding binding, byte[] payload) {
        requireOwnStore(binding);
        String path = pathFor(binding);
        return write(path, entry(binding, payload)).encode();
    }

    /**
     * The reference an import writes for an entry Barbican's vault_plugin (castellan) wrote:
     * {@code "vault-adopted1:" + secret id + ":" + mount + ":" + key id}, UTF-8. Castellan keeps a
     * KV v2 entry at {@code {mount}/data/{key id}} whose {@code value} is the payload in hex, and
     * nothing in it names the secret: the reference must name the secret it is read for, so one
     * copied into another secret's row yields nothing. The entry stays where Barbican put it.
     */
    public static StoredRef adoptedRef(String secretId, String mount, String keyId) {
        new VaultRef(2, 1, mount, keyId); // refuses what is not a plain Vault path
        return new StoredRef((ADOPTED_PREFIX + secretId + ":" + mount + ":" + keyId).getBytes(StandardCharsets.UTF_8));
    }

    /** The castellan entry an adopted reference names (KV v2, latest version, as castellan reads it); null for other references. */
    private static VaultRef adopted(SecretBinding binding, StoredRef stored) {
        String text = new String(stored.bytes(), StandardCharsets.UTF_8);
        if (!text.startsWith(ADOPTED_PREFIX)) {
            return null;
        }
        String rest = text.substring(ADOPTED_PREFIX.length());
        String owner = binding.secretId() + ":";
        int colon = rest.lastIndexOf(':');
        if (!rest.startsWith(owner) || colon <= owner.length()) {
            throw new StoreException("the secret's adopted Vault reference belongs to another secret; the row was "
                    + "altered or copied", null, true);
        }
        return new VaultRef(2, 1, rest.substring(owner.length(), colon), rest.substring(colon + 1));
    }

    private byte[] castellanPayload(SecretBinding binding, VaultRef ref) {
        VaultClient.Reply reply = client.send("GET", ref.mount() + "/data/" + ref.path(), null);
        if (reply.status() == 404) {
            throw new StoreException("secret " + binding.secretId() + ": Vault at " + client.url() + " has no entry "
                    + ref.mount() + "/" + ref.path() + " (written by Barbican); it was deleted outside Portcullis", null);
        }
        if (reply.status() != 200) {
            throw refused("read", ref.path(), reply);
        }
        try {
            return HexFormat.of().parseHex(reply.body().path("data").path("data").path("value").asText(""));
        } catch (IllegalArgumentException e) {
            throw new StoreException("secret " + binding.secretId() + ": the Vault entry Barbican wrote at " + ref.mount()
                    + "/" + ref.path() + " has no hex value; it was altered outside Portcullis", null, true);
        }
    }

    @Override
    public byte[] retrieve(SecretBinding binding, StoredRef stored) {
        requireOwnStore(binding);
        VaultRef castellan = adopted(binding, stored);
        if (castellan != null) {
            return castellanPayload(binding, castellan);
        }
        VaultRef ref = parse(binding, stored);
        JsonNode data = read(ref, binding.secretId());
        boolean bound = FORMAT.equals(data.path("portcullis_format").asText(null))
                && binding.secretId().equals(data.path("secret_id").asText(null))
                && binding.projectId().equals(data.path("project_id").asText(null))
                && binding.storeId().equals(data.path("store_id").asText(null));
        if (!bound) {
            throw new StoreException("secret " + binding.secretId() + ": the Vault entry its row points at ("
                    + ref.mount() + "/" + ref.path() + ") was written for another secret, project or store; the row "
                    + "was altered or moved", null, true);
        }
        try {
            return Base64.getDecoder().decode(data.path("payload").asText(""));
        } catch (IllegalArgumentException e) {
            throw new StoreException("secret " + binding.secretId() + ": the Vault entry's payload is not base64; it "
                    + "was altered outside Portcullis", null, true);
        }
    }

    @Override
    public void delete(SecretBinding binding, StoredRef stored) {
        requireOwnStore(binding);
        VaultRef castellan = adopted(binding, stored);
        // Deleted through Portcullis after the move: destroyed, every version, as its own entries are.
        VaultRef ref = castellan != null ? castellan : parse(binding, stored);
        String api = ref.kvVersion() == 2 ? ref.mount() + "/metadata/" + ref.path() : ref.mount() + "/" + ref.path();
        VaultClient.Reply reply = client.send("DELETE", api, null);
        if (reply.status() != 204 && reply.status() != 200 && reply.status() != 404) {
            throw new StoreException("Vault at " + client.url() + " did not delete " + ref.mount() + "/" + ref.path()
                    + " (" + reply.status() + " " + reply.errors() + "); the payload is still there", null);
        }
    }

    @Override
    public List<StoredRef> find(SecretBinding binding) {
        requireOwnStore(binding);
        String path = pathFor(binding);
        boolean v2 = settings.kvVersion() == 2;
        VaultClient.Reply reply = client.send("GET", settings.mount() + (v2 ? "/data/" : "/") + path, null);
        if (reply.status() == 404) {
            return List.of();
        }
        if (reply.status() != 200) {
            throw refused("read", path, reply);
        }
        long version = v2 ? reply.body().path("data").path("metadata").path("version").asLong(0) : 0;
        return List.of(new VaultRef(v2 ? 2 : 1, version, settings.mount(), path).encode());
    }

    @Override
    public List<Named> named(int max) {
        String base = settings.kvPath().isEmpty() ? "" : settings.kvPath() + "/";
        List<Named> out = new java.util.ArrayList<>();
        for (String project : list(base)) {
            if (!project.endsWith("/")) {
                continue;
            }
            for (String leaf : list(base + project)) {
                if (!leaf.endsWith("/") && out.size() < max) {
                    out.add(new Named(leaf, null, "Vault entry " + settings.mount() + "/" + base + project + leaf));
                }
            }
        }
        return out;
    }

    /** The keys under a folder ({@code ?list=true}, as Vault's LIST); none when it does not exist. */
    private List<String> list(String folder) {
        String api = settings.mount() + (settings.kvVersion() == 2 ? "/metadata/" : "/") + folder + "?list=true";
        VaultClient.Reply reply = client.send("GET", api, null);
        if (reply.status() == 404) {
            return List.of();
        }
        if (reply.status() != 200) {
            throw refused("list", folder, reply);
        }
        List<String> keys = new java.util.ArrayList<>();
        reply.body().path("data").path("keys").forEach(k -> keys.add(k.asText()));
        return keys;
    }

    @Override
    public StoreHealth health() {
        long start = System.nanoTime();
        SecretBinding canary = new SecretBinding("health-" + UUID.randomUUID(), "portcullis-health", info.id());
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        StoredRef ref = null;
        try {
            ref = store(canary, probe);
            byte[] back = retrieve(canary, ref);
            if (!java.util.Arrays.equals(probe, back)) {
                return new StoreHealth(false, "Vault at " + client.url() + " returned other bytes than were written",
                        true, micros(start));
            }
            delete(canary, ref);
            ref = null;
            return StoreHealth.healthy("KV v" + settings.kvVersion() + " write/read/destroy at " + client.url() + "/v1/"
                    + settings.mount(), micros(start));
        } catch (StoreException e) {
            return new StoreHealth(false, e.getMessage(), !e.unavailable(), micros(start));
        } finally {
            if (ref != null) {
                try {
                    delete(canary, ref);
                } catch (StoreException e) {
                    LOG.warn("health canary {} left in Vault: {}", canary.secretId(), e.getMessage());
                }
            }
        }
    }

    @Override
    public void close() {
        client.close();
    }

    // ---- Vault KV ------------------------------------------------------------------------------

    private VaultRef write(String path, ObjectNode data) {
        if (settings.kvVersion() == 1) {
            VaultClient.Reply reply = client.send("PUT", settings.mount() + "/" + path, data);
            if (reply.status() != 204 && reply.status() != 200) {
                throw refused("write", path, reply);
            }
            return new VaultRef(1, 0, settings.mount(), path);
        }
        ObjectNode body = VaultClient.object();
        body.putObject("options").put("cas", 0); // create only: never overwrite an existing entry
        body.set("data", data);
        VaultClient.Reply reply = client.send("POST", settings.mount() + "/data/" + path, body);
        long version = reply.body().path("data").path("version").asLong(0);
        if (reply.status() != 200 || version < 1) {
            throw refused("write", path, reply);
        }
        return new VaultRef(2, version, settings.mount(), path);
    }

    private JsonNode read(VaultRef ref, String secretId) {
        String api = ref.kvVersion() == 2 ? ref.mount() + "/data/" + ref.path() + "?version=" + ref.entryVersion()
                : ref.mount() + "/" + ref.path();
        VaultClient.Reply reply = client.send("GET", api, null);
        if (reply.status() == 404) {
            throw new StoreException("secret " + secretId + ": Vault at " + client.url() + " has no entry "
                    + ref.mount() + "/" + ref.path() + (ref.kvVersion() == 2 ? " version " + ref.entryVersion() : "")
                    + "; it was deleted or destroyed outside Portcullis, or the row was altered", null);
        }
        if (reply.status() != 200) {
            throw refused("read", ref.path(), reply);
        }
        JsonNode data = reply.body().path("data");
        return ref.kvVersion() == 2 ? data.path("data") : data;
    }

    private StoreException refused(String what, String path, VaultClient.Reply reply) {
        return new StoreException("Vault at " + client.url() + " refused to " + what + " " + settings.mount() + "/" + path
                + " (" + reply.status() + " " + reply.errors() + "); nothing was " + (what.equals("write")
                        ? "stored" : "changed"), null);
    }

    private static ObjectNode entry(SecretBinding binding, byte[] payload) {
        ObjectNode data = VaultClient.object();
        data.put("portcullis_format", FORMAT);
        data.put("secret_id", binding.secretId());
        data.put("project_id", binding.projectId());
        data.put("store_id", binding.storeId());
        data.put("payload", Base64.getEncoder().encodeToString(payload));
        return data;
    }

    private String pathFor(SecretBinding binding) {
        if (!binding.secretId().matches(SEGMENT)) {
            throw new StoreException("secret id '" + binding.secretId() + "' cannot name a Vault entry", null);
        }
        String prefix = settings.kvPath().isEmpty() ? "" : settings.kvPath() + "/";
        return prefix + projectSegment(binding.projectId()) + "/" + binding.secretId();
    }

    static String projectSegment(String projectId) {
        if (projectId.matches(PLAIN_PROJECT)) {
            return projectId;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(projectId.getBytes(StandardCharsets.UTF_8));
            return "x-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private VaultRef parse(SecretBinding binding, StoredRef stored) {
        VaultRef ref;
        try {
            ref = VaultRef.decode(stored);
        } catch (IllegalArgumentException e) {
            throw new StoreException("secret " + binding.secretId() + " has a Vault reference this node cannot read ("
                    + e.getMessage() + "); the row was altered", null, true);
        }
        if (!ref.leaf().equals(binding.secretId())) {
            throw new StoreException("secret " + binding.secretId() + "'s row points at the Vault entry of another "
                    + "secret; the row was altered or moved", null, true);
        }
        return ref;
    }

    private void requireOwnStore(SecretBinding binding) {
        if (!binding.storeId().equals(info.id())) {
            throw new StoreException("secret " + binding.secretId() + " belongs to store " + binding.storeId()
                    + ", not " + info.name(), null, false);
        }
    }

    private static long micros(long start) {
        return (System.nanoTime() - start) / 1000;
    }
}
