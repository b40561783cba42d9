package org.portcullis.stores.kmip;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.portcullis.kmip.Attribute;
import org.portcullis.kmip.Kmip.CryptographicAlgorithm;
import org.portcullis.kmip.Kmip.SecretDataType;
import org.portcullis.kmip.KmipClient;
import org.portcullis.kmip.KmipException;
import org.portcullis.kmip.KmipOperationException;
import org.portcullis.kmip.KmipTlsException;
import org.portcullis.kmip.KmipUnavailableException;
import org.portcullis.kmip.ManagedObject;
import org.portcullis.stores.KeyMaterial;
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
 * Barbican's {@code kmip_plugin}: payloads live on a KMIP server, the secret's row keeps the
 * object's Unique Identifier.
 *
 * <p>What goes where: a payload stored through the API is registered as Secret Data (type
 * Password, key format Opaque), which returns the bytes exactly as given whatever they are; the
 * SPI does not tell a store the secret type, and Secret Data is the one KMIP object that carries
 * arbitrary bytes without interpretation. A symmetric key ordered from the API is made by the
 * server itself (KMIP Create) and never exists in Portcullis until read; algorithms the server
 * cannot create (HMAC keys on PyKMIP) are generated here and registered as Symmetric Keys.
 *
 * <p>Binding — what is authoritative: the KMIP server. Every object is created with a Name
 * attribute {@code portcullis:<store id>:<project id>:<secret id>}. A read fetches the Name and the
 * object in one message and refuses (as tampering) an object whose Name is not the secret's
 * binding, so a row whose reference was copied from another secret, project or store, or altered
 * to another identifier, does not yield a payload; a delete checks the Name before destroying. The
 * row only says which object to ask for.
 *
 * <p>Stored reference format (version 1): {@code "kmip1:" + unique identifier}, UTF-8.
 *
 * <p>Objects adopted from Barbican ({@code manage import barbican}) were created by Barbican's
 * kmip_plugin and carry no Portcullis Name; the import may not alter them (Barbican stays the
 * rollback). Their reference, {@code "kmip-adopted1:" + secret id + ":" + unique identifier}, is
 * written by the import only after it read the object back, and is checked differently: it must
 * name the secret it is read for (so a reference copied into another secret's row does not yield
 * a payload). It cannot prove more than the database row says; that is the price of not touching
 * Barbican's objects, and a later store migration re-registers them with a Name.
 */
public final class KmipStore implements SecretStore, ExternalObjects, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KmipStore.class);
    private static final String REF_PREFIX = "kmip1:";
    private static final String ADOPTED_PREFIX = "kmip-adopted1:";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StoreInfo info;
    private final KmipSettings settings;
    private final KmipClient client;

    public KmipStore(StoreInfo info, KmipSettings settings) {
        this.info = info;
        this.settings = settings;
        this.client = new KmipClient(settings.client());
    }

    @Override
    public StoreInfo info() {
        return info;
    }

    /** The client this store uses, for tests and {@code doctor}. */
    public KmipClient client() {
        return client;
    }

    /** The Name attribute that binds a KMIP object to one secret. */
    public static String bindingName(SecretBinding b) {
        return "portcullis:" + b.storeId() + ":" + b.projectId() + ":" + b.secretId();
    }

    @Override
    public StoredRef store(SecretBinding binding, byte[] payload) {
        String uid = kmip("register the payload of secret " + binding.secretId(), () -> client.register(
                new ManagedObject.SecretData(SecretDataType.PASSWORD, payload), List.of(Attribute.name(bindingName(binding)))));
        return ref(uid);
    }

    @Override
    public byte[] retrieve(SecretBinding binding, StoredRef ref) {
        String adopted = adoptedUid(binding, ref);
        if (adopted != null) {
            return data(kmip("read adopted object " + adopted + " of secret " + binding.secretId(),
                    () -> client.get(adopted)));
        }
        String uid = uid(ref);
        KmipClient.Fetched fetched = kmip("read object " + uid + " of secret " + binding.secretId(),
                () -> client.getWithAttributes(uid, Attribute.NAME));
        requireBound(binding, uid, fetched.attributes());
        return data(fetched.object());
    }

    /** The reference an import writes for an object Barbican created (see the class comment). */
    public static StoredRef adoptedRef(String secretId, String uid) {
        return new StoredRef((ADOPTED_PREFIX + secretId + ":" + uid).getBytes(StandardCharsets.UTF_8));
    }

    /** The uid of an adopted reference, checked against the binding; null for other references. */
    private static String adoptedUid(SecretBinding binding, StoredRef ref) {
        String text = new String(ref.bytes(), StandardCharsets.UTF_8);
        if (!text.startsWith(ADOPTED_PREFIX)) {
            return null;
        }
        String rest = text.substring(ADOPTED_PREFIX.length());
        String owner = binding.secretId() + ":";
        if (!rest.startsWith(owner) || rest.length() == owner.length()) {
            throw new StoreException("the secret's adopted KMIP reference belongs to another secret; the row was "
                    + "altered or copied", null, true);
        }
        return rest.substring(owner.length());
    }

    private static byte[] data(ManagedObject object) {
        return switch (object) {
            case ManagedObject.SecretData s -> s.data();
            case ManagedObject.SymmetricKey k -> k.material();
            case ManagedObject.OpaqueObject o -> o.data();
        };
    }

    @Override
    public void delete(SecretBinding binding, StoredRef ref) {
        String adopted = adoptedUid(binding, ref);
        if (adopted != null) {
            // Deleted through Portcullis after the move: destroyed, as Barbican's own delete would.
            kmip("destroy adopted object " + adopted + " of secret " + binding.secretId(), () -> {
                client.destroy(adopted);
                return null;
            });
            return;
        }
        String uid = uid(ref);
        try {
            List<Attribute> names = kmip("check object " + uid + " before destroying it",
                    () -> client.getAttributes(uid, Attribute.NAME));
            requireBound(binding, uid, names);
            kmip("destroy object " + uid + " of secret " + binding.secretId(), () -> {
                client.destroy(uid);
                return null;
            });
        } catch (GoneException e) {
            // Nothing left to destroy: a retried delete, or an object removed on the server itself.
            LOG.warn("secret {}: KMIP object {} was already gone from {}", binding.secretId(), uid, settings.address());
        }
    }

    @Override
    public List<StoredRef> find(SecretBinding binding) {
        List<String> uids = kmip("locate the objects of secret " + binding.secretId(),
                () -> client.locate(List.of(Attribute.name(bindingName(binding))), 64));
        return uids.stream().map(KmipStore::ref).toList();
    }

    @Override
    public List<Named> named(int max) {
        String prefix = "portcullis:" + info.id() + ":";
        List<Named> out = new java.util.ArrayList<>();
        for (String uid : kmip("locate every object", () -> client.locate(List.of(), max))) {
            List<Attribute> names;
            try {
                names = kmip("read the name of object " + uid, () -> client.getAttributes(uid, Attribute.NAME));
            } catch (GoneException e) {
                continue; // destroyed between Locate and now
            }
            for (Attribute a : names) {
                if (a.name().equals(Attribute.NAME) && a.nameValue() != null && a.nameValue().startsWith(prefix)) {
                    String name = a.nameValue();
                    out.add(new Named(name.substring(name.lastIndexOf(':') + 1), ref(uid), "KMIP object " + uid + " ("
                            + name + ")"));
                }
            }
        }
        return out;
    }

    @Override
    public StoredRef generateSymmetric(SecretBinding binding, String algorithm, int bits, String mode) {
        Integer kmipAlgorithm = serverGenerated(algorithm, bits, mode);
        if (kmipAlgorithm == null) {
            // Not creatable on the server (or a size it rejects): generate here, register as a key.
            byte[] key = KeyMaterial.symmetric(algorithm, bits, mode);
            try {
                String uid = kmip("register a generated key for secret " + binding.secretId(), () -> client.register(
                        new ManagedObject.SymmetricKey(registeredAlgorithm(algorithm), bits, key),
                        List.of(Attribute.name(bindingName(binding)))));
                return ref(uid);
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }
        String uid = kmip("create a key for secret " + binding.secretId(), () -> client.createSymmetricKey(kmipAlgorithm,
                bits, List.of(Attribute.name(bindingName(binding)))));
        return ref(uid);
    }

    /** The algorithm the server creates itself: AES 128/192/256 (not XTS, whose key is two keys). */
    private static Integer serverGenerated(String algorithm, int bits, String mode) {
        boolean xts = mode != null && mode.equalsIgnoreCase("xts");
        if (algorithm.equalsIgnoreCase("aes") && !xts && (bits == 128 || bits == 192 || bits == 256)) {
            return CryptographicAlgorithm.AES;
        }
        return null;
    }

    private static int registeredAlgorithm(String algorithm) {
        return switch (algorithm.toLowerCase(Locale.ROOT)) {
            case "aes" -> CryptographicAlgorithm.AES;
            case "hmacsha1" -> CryptographicAlgorithm.HMAC_SHA1;
            case "hmacsha256" -> CryptographicAlgorithm.HMAC_SHA256;
            case "hmacsha384" -> CryptographicAlgorithm.HMAC_SHA384;
            case "hmacsha512" -> CryptographicAlgorithm.HMAC_SHA512;
            default -> CryptographicAlgorithm.TRIPLE_DES;
        };
    }

    @Override
    public StoreHealth health() {
        long start = System.nanoTime();
        SecretBinding canary = new SecretBinding("health-" + UUID.randomUUID(), "portcullis-health", info.id());
        byte[] probe = new byte[16];
        RANDOM.nextBytes(probe);
        try {
            StoredRef ref = store(canary, probe);
            try {
                if (!Arrays.equals(retrieve(canary, ref), probe)) {
                    return new StoreHealth(false, "KMIP server " + settings.address()
                            + " returned other bytes than were registered", true, micros(start));
                }
            } finally {
                delete(canary, ref);
            }
            return StoreHealth.healthy("Register + Get + Destroy on KMIP server " + settings.address(), micros(start));
        } catch (StoreException e) {
            return new StoreHealth(false, e.getMessage(), e.tampered(), micros(start));
        }
    }

    @Override
    public void close() {
        client.close();
    }

    private static long micros(long startNanos) {
        return (System.nanoTime() - startNanos) / 1000;
    }

    private static StoredRef ref(String uid) {
        return new StoredRef((REF_PREFIX + uid).getBytes(StandardCharsets.UTF_8));
    }

    private static String uid(StoredRef ref) {
        String text = new String(ref.bytes(), StandardCharsets.UTF_8);
        if (!text.startsWith(REF_PREFIX) || text.length() == REF_PREFIX.length() || text.length() > 256
                || !text.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new StoreException("the secret's stored reference is not a KMIP reference (kmip1:<uid>); the row "
                    + "was altered or belongs to another store", null, true);
        }
        return text.substring(REF_PREFIX.length());
    }

    private static void requireBound(SecretBinding binding, String uid, List<Attribute> attributes) {
        String expected = bindingName(binding);
        boolean bound = attributes.stream().anyMatch(a -> a.name().equals(Attribute.NAME) && expected.equals(a.nameValue()));
        if (!bound) {
            throw new StoreException("KMIP object " + uid + " is not bound to secret " + binding.secretId() + " of project "
                    + binding.projectId() + "; the secret's row refers to another secret's object (altered or copied)",
                    null, true);
        }
    }

    /** An object that no longer exists on the server. */
    private static final class GoneException extends StoreException {
        GoneException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private interface KmipCall<T> {
        T run();
    }

    /** Runs one client call and turns its failures into StoreExceptions that say what is at stake. */
    private <T> T kmip(String what, KmipCall<T> call) {
        try {
            return call.run();
        } catch (KmipUnavailableException e) {
            throw StoreException.unavailable("KMIP server " + settings.address() + " unreachable: no secret is lost, "
                    + "reads fail until it returns (could not " + what + ": " + e.getMessage() + ")", e);
        } catch (KmipTlsException e) {
            throw StoreException.unavailable("KMIP server " + settings.address() + " refused the TLS handshake: no "
                    + "secret is lost, reads fail until the certificates (certfile, keyfile, ca_certs) are fixed ("
                    + e.getMessage() + ")", e);
        } catch (KmipOperationException.ItemNotFound e) {
            throw new GoneException("KMIP server " + settings.address() + " has no object for this secret (could not "
                    + what + "): it was destroyed or the reference was altered; this secret's payload is lost", e);
        } catch (KmipOperationException.PermissionDenied e) {
            throw new StoreException("KMIP server " + settings.address() + " denied access (could not " + what + "): "
                    + "the object belongs to another client identity, or the client certificate changed; other "
                    + "secrets are not affected (" + e.getMessage() + ")", e);
        } catch (KmipException e) {
            throw new StoreException("KMIP server " + settings.address() + ": could not " + what + ": " + e.getMessage(),
                    e);
        }
    }
}
