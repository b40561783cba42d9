package org.portcullis.stores.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.ConfigException;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.IniFile;
import org.portcullis.config.PortcullisConfig;
import org.portcullis.db.Database;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.SecretStore;
import org.portcullis.stores.StoreException;
import org.portcullis.stores.StoreRegistry;
import org.portcullis.stores.StoredRef;
import org.portcullis.testing.SoftHsm;

/**
 * The PKCS#11 store's start-up checks, tamper detection and recovery, on SoftHSM2 tokens from
 * {@code scripts/softhsm.sh}: each test opens the store the way the server does.
 */
class Pkcs11StoreIT {
    @TempDir
    Path dir;

    private SoftHsm.Env env;
    private final List<Database> databases = new ArrayList<>();

    @BeforeEach
    void tokens() {
        env = SoftHsm.require();
    }

    @AfterEach
    void close() {
        databases.forEach(Database::close);
    }

    private SecretStore open(String section) {
        String conf = """
                [DEFAULT]
                sql_connection = sqlite:///%s

                [secretstore]
                enable_multiple_secret_stores = True
                stores_lookup_suffix = hsm

                %s
                """.formatted(dir.resolve("p11.sqlite"), section);
        PortcullisConfig config = ConfigLoader.from(IniFile.parse("p11.conf", conf.lines().toList()), dir);
        Database db = Database.open(config.database());
        databases.add(db);
        return StoreRegistry.start(config.stores(), db, Clock.systemUTC()).globalDefault();
    }

    private String section(String token, String prefix, String... extra) {
        return SoftHsm.storeSection(env, "hsm", true, token, prefix) + String.join("\n", extra) + "\n";
    }

    @Test
    void wrongPinStopsStartWithTheKeyAndTheLibrarysReason() {
        String section = section("portcullis-login", "t-" + UUID.randomUUID()).replace("login = " + env.pin(),
                "login = 0000");

        assertThatThrownBy(() -> open(section)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("p11.conf:")
                .hasMessageContaining("[secretstore:hsm] login was refused")
                .hasMessageContaining("CKR_PIN_INCORRECT")
                .hasMessageNotContaining("0000");
    }

    @Test
    void aRealWrongPinFailureIsClassifiedFromItsCauseChain() throws Exception {
        long slot = TokenDirectory.list(env.library()).stream().filter(t -> t.label().equals("portcullis-login"))
                .findFirst().orElseThrow().slotId();
        Provider p = Security.getProvider("SunPKCS11").configure("--name=pin-check\nlibrary=" + env.library()
                + "\nslot=" + slot + "\n");
        KeyStore ks = KeyStore.getInstance("PKCS11", p);

        Exception failure = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> ks.load(null, "4321".toCharArray()));

        assertThat(Pkcs11Errors.returnCode(failure)).contains("CKR_PIN_INCORRECT");
        assertThat(Pkcs11Errors.kind(failure)).isEqualTo(Pkcs11Errors.Kind.PIN);
        assertThat(Pkcs11Errors.explain(failure)).isEqualTo("the HSM refused the PIN (CKR_PIN_INCORRECT)");
    }

    @Test
    void missingMasterKeyStopsStartAndNamesTheCommandThatMakesIt() {
        String section = section(env.token(), "absent-" + UUID.randomUUID());

        assertThatThrownBy(() -> open(section)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("[secretstore:hsm] mkek_label")
                .hasMessageContaining("is not a secret key in token labelled 'portcullis'")
                .hasMessageContaining("portcullis manage hsm gen-mkek --config p11.conf --store hsm");
    }

    @Test
    void missingHmacKeyNamesGenHmac() throws Exception {
        String section = section(env.token(), "t-" + UUID.randomUUID());
        Path conf = SoftHsm.keysConfig(dir, section, "hsm");
        assertThat(SoftHsm.manage("hsm", "gen-mkek", "--config", conf.toString()).exit()).isZero();

        assertThatThrownBy(() -> open(section)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("[secretstore:hsm] hmac_label")
                .hasMessageContaining("portcullis manage hsm gen-hmac");
    }

    @Test
    void missingLibraryNamesLibraryPath() {
        String section = section(env.token(), "t-x").replace("library_path = " + env.library(),
                "library_path = /usr/lib/nothing/libnope.so");

        assertThatThrownBy(() -> open(section)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("[secretstore:hsm] library_path names /usr/lib/nothing/libnope.so, which does not exist");
    }

    @Test
    void unknownTokenLabelListsTheTokensPresent() {
        String section = section("no-such-token", "t-x");

        assertThatThrownBy(() -> open(section)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("no token labelled 'no-such-token'")
                .hasMessageContaining("'portcullis' (serial ");
    }

    @Test
    void aProjectKekRowWithOneFlippedByteIsReportedAsTampering() throws Exception {
        String section = section(env.token(), "t-" + UUID.randomUUID(), "pkek_cache_ttl = 0");
        SoftHsm.createKeys(dir, section, "hsm");
        SecretStore store = open(section);
        SecretBinding b = new SecretBinding(UUID.randomUUID().toString(), "project-t", store.info().id());
        StoredRef ref = store.store(b, "top secret".getBytes(StandardCharsets.UTF_8));
        assertThat(store.retrieve(b, ref)).asString(StandardCharsets.UTF_8).isEqualTo("top secret");

        Database db = databases.get(0);
        byte[] wrapped = db.read(h -> h.createQuery("SELECT wrapped FROM project_keks WHERE project_id = 'project-t'")
                .mapTo(byte[].class).one());
        assertThat(wrapped).hasSize(101);
        wrapped[40] ^= 0x01; // inside the GCM ciphertext of the project KEK
        db.write(h -> h.createUpdate("UPDATE project_keks SET wrapped = :w WHERE project_id = 'project-t'")
                .bind("w", wrapped).execute());

        assertThatThrownBy(() -> store.retrieve(b, ref)).isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.tampered()).isTrue();
            assertThat(e.getMessage()).contains("failed its HMAC check in the HSM").contains("tampering");
        });
    }

    @Test
    void theStoreLogsInAgainAfterTheTokenWasLoggedOut() throws Exception {
        String section = section(env.token(), "t-" + UUID.randomUUID(), "pkek_cache_ttl = 0");
        SoftHsm.createKeys(dir, section, "hsm");
        SecretStore store = open(section);
        SecretBinding b = new SecretBinding(UUID.randomUUID().toString(), "project-r", store.info().id());
        StoredRef ref = store.store(b, new byte[] {1, 2, 3});

        logOut(env.token());

        assertThat(store.retrieve(b, ref)).containsExactly(1, 2, 3);
        assertThat(store.health().ok()).isTrue();
    }

    /** What a token reset or another application does to this process: C_Logout on the token. */
    static void logOut(String token) throws Exception {
        SoftHsm.Env env = SoftHsm.require();
        logOut(TokenDirectory.list(env.library()).stream().filter(t -> t.label().equals(token))
                .findFirst().orElseThrow().slotId());
    }

    static void logOut(long slot) throws Exception {
        SoftHsm.Env env = SoftHsm.require();
        Provider p = Security.getProvider("SunPKCS11").configure("--name=logout-" + slot + "\nlibrary="
                + env.library() + "\nslot=" + slot + "\n");
        ((java.security.AuthProvider) p).logout(); // login state is per process and token: all sessions lose it
    }

    @Test
    void configKeysThatDoNotApplyAreCheckedNotIgnored() {
        String section = section(env.token(), "t-x", "encryption_mechanism = CKM_AES_CBC");

        assertThatThrownBy(() -> open(section)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("[secretstore:hsm] encryption_mechanism must be CKM_AES_GCM");
        assertThat(Files.exists(dir)).isTrue();
    }
}
