package org.portcullis.stores.pkcs11;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import org.portcullis.config.ConfigException;
import org.portcullis.crypto.Aead;
import org.portcullis.crypto.AssociatedData;
import org.portcullis.crypto.Hmac;
import org.portcullis.crypto.SealedPayload;
import org.portcullis.crypto.TokenWrappedKey;
import org.portcullis.config.StoreOptions;
import org.portcullis.db.Database;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.KeyRotation;
import org.portcullis.stores.MasterKeyCheck;
import org.portcullis.stores.ProjectKekRotation;
import org.portcullis.stores.RowCiphertext;
import org.portcullis.stores.SecretStore;
import org.portcullis.stores.StoreException;
import org.portcullis.stores.StoreHealth;
import org.portcullis.stores.StoreInfo;
import org.portcullis.stores.StoreUnavailableException;
import org.portcullis.stores.StoredRef;

/**
 * Barbican's {@code store_crypto} + {@code p11_crypto} through the JDK's SunPKCS11 provider: an
 * HSM holds the master KEK ({@code mkek_label}) and the HMAC key ({@code hmac_label}), both
 * sensitive and never extractable; per-project KEKs are encrypted by the master KEK and
 * authenticated by the HMAC key inside the token ({@link HsmProjectKeys}); payloads are sealed by
 * the project KEK with AES-256-GCM in the JVM, with the same associated data as the software store
 * (secret id, project id, store id), and the ciphertext lives in the secret's row.
 *
 * <p>Key wrapping is "encrypt-as-wrap": AES-GCM encryption of the project key's bytes under the
 * master KEK in the token, not C_WrapKey, because SunPKCS11's key-wrap ciphers are absent on
 * JDK 17 and fail with SoftHSM2 on JDK 25 ({@link org.portcullis.crypto.TokenWrappedKey} has the details). It needs no
 * dependency beyond the JDK and works on every PKCS#11 token that offers CKM_AES_GCM and
 * CKM_SHA256_HMAC. Unwrapped project KEKs are held in the JVM (cached, {@code pkek_cache_ttl}).
 *
 * <p>Payload ciphertext: {@link SealedPayload}, the software store's layout, under a project KEK
 * of this store.
 *
 * <p>An HSM that fails at run time (unplugged, out of sessions, PIN changed) makes calls fail with
 * {@link StoreUnavailableException} (HTTP 503) naming the cause; secrets are not at risk and
 * calls succeed again once the token is back (the store logs in again by itself).
 */
public final class Pkcs11Store implements SecretStore, AutoCloseable {

    private final StoreInfo info;
    private final Pkcs11Token token;
    private final HsmProjectKeys projectKeys;
    private final Database db;
    private final Clock clock;

    private Pkcs11Store(StoreInfo info, Pkcs11Token token, HsmProjectKeys projectKeys, Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.info = info;
        this.token = token;
        this.projectKeys = projectKeys;
    }

    /**
     * Opens the token and checks that both keys exist.
     *
     * @throws ConfigException naming the option to fix, and for a missing key the command that makes it
     */
    public static Pkcs11Store open(StoreInfo info, StoreOptions options, Database db, Clock clock) {
        Pkcs11Settings settings = Pkcs11Settings.fromOptions(options);
        Pkcs11Token token = openToken(info.name(), settings, options);
        Pkcs11Token.Session s = token.session();
        if (s.mkek() == null) {
            throw missingKey(options, info.name(), "mkek_label", settings.mkekLabel(), "gen-mkek", settings);
        }
        if (s.hmac() == null) {
            throw missingKey(options, info.name(), "hmac_label", settings.hmacLabel(), "gen-hmac", settings);
        }
        HsmKeyring ring;
        try {
            ring = HsmKeyring.open(token, options);
        } catch (StoreException e) {
            throw options.invalid("hmac_label", "'" + settings.hmacLabel() + "' cannot be used for HMAC-SHA256: "
                    + e.getMessage());
        }
        MasterKeyCheck.verify(db, info, ring.checkKeys(), clock);
        return new Pkcs11Store(info, token, new HsmProjectKeys(db, info.id(), token, ring, clock), db, clock);
    }

    /** Opens the token for a store or for {@code manage hsm}; errors name the option at fault. */
    static Pkcs11Token openToken(String storeName, Pkcs11Settings settings, StoreOptions options) {
        try {
            return Pkcs11Token.open(storeName, settings);
        } catch (Pkcs11Token.OpenFailed e) {
            throw options.invalid(e.key(), e.getMessage() + " (secret store '" + storeName + "')");
        }
    }

    private static ConfigException missingKey(StoreOptions options, String store, String key, String label,
            String command, Pkcs11Settings settings) {
        return options.invalid(key, "'" + label + "' is not a secret key in " + settings.tokenDescription()
                + " (secret store '" + store + "'); create it with `portcullis manage hsm " + command + " --config "
                + options.source() + " --store " + store + "`, or set the label of the existing key");
    }

    @Override
    public StoreInfo info() {
        return info;
    }

    /**
     * Rotation to a new MKEK/HMAC pair: project KEKs unwrap with the pair their row names and are
     * wrapped again under the current pair. Nodes cache which project KEK is active for
     * {@code pkek_cache_ttl}, so with {@code --reseal} a payload written in that window after the
     * switch stays under the old (re-wrapped, still readable) project KEK until a later run.
     */
    @Override
    public Optional<KeyRotation> keyRotation() {
        return Optional.of(new ProjectKekRotation(db, info.id(), new ProjectKekRotation.Wrapping() {
            @Override
            public String currentKeyId() {
                return projectKeys.masterIdHex();
            }

            @Override
            public String keyIdOf(byte[] wrapped) {
                return TokenWrappedKey.header(wrapped).masterId();
            }

            @Override
            public byte[] unwrap(String kekId, String projectId, byte[] wrapped) {
                return projectKeys.unwrapRaw(kekId, projectId, wrapped);
            }

            @Override
            public byte[] wrap(String kekId, String projectId, byte[] raw) {
                return projectKeys.wrapRaw(kekId, projectId, raw);
            }

            @Override
            public byte[] newKey() {
                return projectKeys.newKey();
            }

            @Override
            public List<String> retireUnused() {
                return MasterKeyCheck.retireUnused(db, info);
            }
        }, clock));
    }

    @Override
    public StoredRef store(SecretBinding binding, byte[] payload) {
        requireOwnStore(binding);
        HsmProjectKeys.ProjectKey kek = projectKeys.active(binding.projectId());
        return RowCiphertext.seal(kek.aead(), kek.id(), binding, payload);
    }

    @Override
    public byte[] retrieve(SecretBinding binding, StoredRef ref) {
        requireOwnStore(binding);
        HsmProjectKeys.ProjectKey kek = projectKeys.byId(RowCiphertext.projectKekId(binding, ref), binding.projectId());
        return RowCiphertext.open(kek.aead(), binding, ref);
    }

    @Override
    public void delete(SecretBinding binding, StoredRef ref) {
        // The ciphertext is in the row, which the caller erases.
    }

    /** An AES-GCM round trip under the master KEK and an HMAC under the HMAC key, in the token. */
    @Override
    public StoreHealth health() {
        long start = System.nanoTime();
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        byte[] aad = AssociatedData.of("portcullis p11 health v1", info.id());
        try {
            boolean same = token.call("the health check", s -> {
                Aead mkek = Aead.inToken(HsmProjectKeys.require(s.mkek(), "mkek_label", token), s.provider(), s.random());
                byte[] opened = mkek.open(mkek.seal(new byte[0], probe, aad), 0, aad);
                Hmac.inToken(HsmProjectKeys.require(s.hmac(), "hmac_label", token), s.provider()).mac(probe);
                return Arrays.equals(probe, opened);
            });
            long micros = (System.nanoTime() - start) / 1000;
            return same ? StoreHealth.healthy("AES-GCM and HMAC round trip in " + token.settings().tokenDescription()
                    + " (slot " + token.slot() + ", master id " + projectKeys.masterIdHex() + ")", micros)
                    : new StoreHealth(false, "the HSM round trip returned other bytes", true, micros);
        } catch (StoreUnavailableException e) {
            return new StoreHealth(false, e.getMessage(), false, (System.nanoTime() - start) / 1000);
        } catch (StoreException | AEADBadTagException e) {
            return new StoreHealth(false, "HSM round trip failed: " + e.getMessage(), true,
                    (System.nanoTime() - start) / 1000);
        }
    }

    /** Nothing to release: SunPKCS11 keeps the library loaded for the JVM's life, and logging out
     * would log out every other store on the same token in this process. */
    @Override
    public void close() {
        // see above
    }

    private void requireOwnStore(SecretBinding binding) {
        if (!binding.storeId().equals(info.id())) {
            throw new StoreException("secret " + binding.secretId() + " belongs to store " + binding.storeId()
                    + ", not " + info.name(), null, false);
        }
    }
}
