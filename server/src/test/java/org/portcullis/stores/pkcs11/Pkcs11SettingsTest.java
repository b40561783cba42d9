package org.portcullis.stores.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.ConfigException;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.IniFile;
import org.portcullis.config.PortcullisConfig;

/** Barbican's [p11_crypto_plugin] options, read the way the server reads them. */
class Pkcs11SettingsTest {
    @TempDir
    Path dir;

    private PortcullisConfig.StoreSettings.Store load(String extra) throws Exception {
        Path lib = Files.createFile(dir.resolve("libfake-" + System.nanoTime() + ".so"));
        String conf = """
                [secretstore]
                enabled_secretstore_plugins = store_crypto
                [crypto]
                enabled_crypto_plugins = p11_crypto
                [p11_crypto_plugin]
                library_path = %s
                token_label = barbican
                login = 1234
                mkek_label = mkek
                hmac_label = hmac
                %s
                """.formatted(lib, extra);
        return ConfigLoader.from(IniFile.parse("b.conf", conf.lines().toList()), dir).stores().stores().get(0);
    }

    @Test
    void barbicansSingleStoreConfigurationSelectsTheP11Plugin() throws Exception {
        var store = load("hmac_key_type = CKK_AES\nkey_wrap_mechanism = CKM_AES_CBC_PAD\nos_locking_ok = True\n"
                + "rw_session = True\npkek_cache_ttl = 60\nsession_pool_size = 4\ngenerate_iv = False");
        Pkcs11Settings s = Pkcs11Settings.fromOptions(store.options());

        assertThat(store.cryptoPlugin()).isEqualTo("p11_crypto");
        assertThat(s.tokenLabels()).containsExactly("barbican");
        assertThat(s.requireOsLocking()).isTrue();
        assertThat(s.pkekCacheTtlSeconds()).isEqualTo(60);
        assertThat(s.sessionPoolSize()).isEqualTo(4);
        assertThat(s.tokenRandom()).isFalse();
        assertThat(s.toString()).doesNotContain("1234");
    }

    @Test
    void optionsThatAskForSomethingElseAreRefusedWithTheirLine() {
        assertThatThrownBy(() -> Pkcs11Settings.fromOptions(load("mkek_length = 16").options()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("b.conf:")
                .hasMessageContaining("[p11_crypto_plugin] mkek_length must be 32");
        assertThatThrownBy(() -> Pkcs11Settings.fromOptions(load("hmac_mechanism = CKM_SHA512_HMAC").options()))
                .hasMessageContaining("hmac_mechanism must be CKM_SHA256_HMAC");
        assertThatThrownBy(() -> Pkcs11Settings.fromOptions(load("algorithm = CKM_AES_CBC").options()))
                .hasMessageContaining("algorithm must be CKM_AES_GCM");
        assertThatThrownBy(() -> load("pin = 1234")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key [p11_crypto_plugin] pin");
    }

    @Test
    void missingLibraryNamesTheKeyAndThePackage() throws Exception {
        var store = load("");
        String text = store.options().string("library_path").orElseThrow();
        Files.delete(Path.of(text));

        assertThatThrownBy(() -> Pkcs11Settings.fromOptions(store.options()))
                .hasMessageContaining("[p11_crypto_plugin] library_path names " + text + ", which does not exist")
                .hasMessageContaining("softhsm2");
    }

    @Test
    void errorNamesComeFromTheCauseChain() {
        Exception chain = new java.io.IOException("load failed", new RuntimeException("wrapped",
                new IllegalStateException("CKR_DEVICE_MEMORY")));

        assertThat(Pkcs11Errors.returnCode(chain)).contains("CKR_DEVICE_MEMORY");
        assertThat(Pkcs11Errors.kind(chain)).isEqualTo(Pkcs11Errors.Kind.UNAVAILABLE);
        assertThat(Pkcs11Errors.explain(chain)).contains("out of sessions or memory").contains("session_pool_size");
        assertThat(Pkcs11Errors.kind(new IllegalStateException("CKR_TOKEN_NOT_PRESENT")))
                .isEqualTo(Pkcs11Errors.Kind.UNAVAILABLE);
        assertThat(Pkcs11Errors.kind(new java.security.ProviderException("Library /x.so does not exist")))
                .isEqualTo(Pkcs11Errors.Kind.UNAVAILABLE);
    }
}
