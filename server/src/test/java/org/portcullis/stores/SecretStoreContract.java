package org.portcullis.stores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.IniFile;
import org.portcullis.config.PortcullisConfig;
import org.portcullis.db.Database;

/**
 * What every secret store must do, run against each real store: a subclass only says how to
 * configure its store (the INI lines of one {@code [secretstore:NAME]} and its plugin section);
 * this class opens it the way the server does, through {@link StoreRegistry}, over a real SQLite
 * database.
 *
 * <p>The contract: a payload comes back byte for byte; a stored ref presented with another
 * secret's, project's or store's binding does not yield the payload; an altered ref does not
 * yield the payload; after delete the payload is gone (or, for stores whose ciphertext is the
 * row, the row's erasure is the delete); generated keys and key pairs can be read back; the
 * health check passes.
 */
public abstract class SecretStoreContract {
    /** The name of the store under test in {@link #storeConfig}. */
    protected static final String STORE = "under-test";

    @TempDir
    protected Path dir;

    private Database db;
    protected SecretStore store;

    /**
     * The configuration of the store under test: a {@code [secretstore:under-test]} section with
     * {@code global_default = True}, plus whatever plugin section it reads. Written into a
     * barbican.conf with {@code enable_multiple_secret_stores = True}.
     */
    protected abstract String storeConfig(Path dir) throws Exception;

    /** Stores whose ciphertext lives in the row keep nothing to destroy on delete. */
    protected boolean deleteDestroysExternalCopy() {
        return true;
    }

    /** Whether the store can generate key pairs (the default goes through {@link KeyMaterial}). */
    protected boolean supportsKeyPairs() {
        return true;
    }

    @BeforeEach
    void openStore() throws Exception {
        String conf = """
                [DEFAULT]
                sql_connection = sqlite:///%s

                [secretstore]
                enable_multiple_secret_stores = True
                stores_lookup_suffix = %s

                %s
                """.formatted(dir.resolve("contract.sqlite"), STORE, storeConfig(dir));
        Files.writeString(dir.resolve("contract.conf"), conf);
        PortcullisConfig config = ConfigLoader.from(IniFile.parse("contract.conf", conf.lines().toList()), dir);
        db = Database.open(config.database());
        store = StoreRegistry.start(config.stores(), db, Clock.systemUTC()).globalDefault();
    }

    @AfterEach
    void closeStore() throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
        if (db != null) {
            db.close();
        }
    }

    protected SecretBinding binding(String project) {
        return new SecretBinding(UUID.randomUUID().toString(), project, store.info().id());
    }

    protected static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 16, 32, 1000, 10_000})
    void payloadComesBackByteForByte(int size) {
        SecretBinding b = binding("project-a");
        byte[] payload = random(size);

        StoredRef ref = store.store(b, payload);

        assertThat(store.retrieve(b, ref)).isEqualTo(payload);
    }

    @Test
    void textPayloadRoundTrips() {
        SecretBinding b = binding("project-a");
        byte[] payload = "correct horse battery staple ✓".getBytes(StandardCharsets.UTF_8);

        assertThat(store.retrieve(b, store.store(b, payload))).isEqualTo(payload);
    }

    @Test
    void refPresentedForAnotherSecretDoesNotOpen() {
        SecretBinding b = binding("project-a");
        StoredRef ref = store.store(b, random(32));
        SecretBinding other = new SecretBinding(UUID.randomUUID().toString(), b.projectId(), b.storeId());

        assertThatThrownBy(() -> store.retrieve(other, ref)).isInstanceOf(StoreException.class);
    }

    @Test
    void refPresentedForAnotherProjectDoesNotOpen() {
        SecretBinding b = binding("project-a");
        StoredRef ref = store.store(b, random(32));
        SecretBinding other = new SecretBinding(b.secretId(), "project-b", b.storeId());

        assertThatThrownBy(() -> store.retrieve(other, ref)).isInstanceOf(StoreException.class);
    }

    @Test
    void alteredRefDoesNotYieldThePayload() {
        SecretBinding b = binding("project-a");
        byte[] payload = random(64);
        byte[] ref = store.store(b, payload).bytes();

        for (int i : new int[] {0, ref.length / 2, ref.length - 1}) {
            byte[] altered = ref.clone();
            altered[i] ^= 0x01;
            try {
                assertThat(store.retrieve(b, new StoredRef(altered))).as("byte %d altered", i).isNotEqualTo(payload);
            } catch (StoreException expected) {
                // refusing is the usual outcome
            }
        }
    }

    @Test
    void deletedPayloadIsGone() {
        SecretBinding b = binding("project-a");
        StoredRef ref = store.store(b, random(32));

        store.delete(b, ref);

        if (deleteDestroysExternalCopy()) {
            assertThatThrownBy(() -> store.retrieve(b, ref)).isInstanceOf(StoreException.class);
        }
    }

    @Test
    void generatedSymmetricKeyCanBeRead() {
        SecretBinding b = binding("project-a");

        StoredRef ref = store.generateSymmetric(b, "aes", 256, "cbc");

        assertThat(store.retrieve(b, ref)).hasSize(32);
    }

    @Test
    void generatedKeyPairHalvesCanBeRead() {
        org.junit.jupiter.api.Assumptions.assumeTrue(supportsKeyPairs(), "store does not generate key pairs");
        SecretBinding priv = binding("project-a");
        SecretBinding pub = binding("project-a");

        SecretStore.GeneratedPair pair = store.generateKeyPair(priv, pub, "rsa", 2048, null);

        assertThat(new String(store.retrieve(priv, pair.privateKey()), StandardCharsets.US_ASCII))
                .startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(new String(store.retrieve(pub, pair.publicKey()), StandardCharsets.US_ASCII))
                .startsWith("-----BEGIN PUBLIC KEY-----");
    }

    @Test
    void healthRoundTripPasses() {
        StoreHealth health = store.health();

        assertThat(health.ok()).as(health.detail()).isTrue();
        assertThat(health.secretsAtRisk()).isFalse();
    }
}
