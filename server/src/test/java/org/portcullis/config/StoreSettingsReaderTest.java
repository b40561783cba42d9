package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.portcullis.config.ConfigLoaderTest.BASE;
import static org.portcullis.config.ConfigLoaderTest.KEK;
import static org.portcullis.config.ConfigLoaderTest.load;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.portcullis.config.PortcullisConfig.KekSource;
import org.portcullis.config.PortcullisConfig.StoreSettings;

/** The secret store sections of barbican.conf: one store, or several with their lookup order. */
class StoreSettingsReaderTest {
    @Test
    void singleStoreWithoutKekIsRefused() {
        assertThatThrownBy(() -> load("[DEFAULT]\ndebug = False\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[secretstore] crypto_plugin")
                .hasMessageContaining("kek_file");
    }

    @Test
    void inlineKekIsAccepted() {
        PortcullisConfig c = load("[simple_crypto_plugin]\nkek = dGhpcnR5X3R3b19ieXRlX2tleWJsYWhibGFoYmxhaG8=\n");
        KekSource kek = c.stores().globalDefault().kek();
        assertThat(kek.file()).isNull();
        assertThat(kek.inlineBase64()).isEqualTo("dGhpcnR5X3R3b19ieXRlX2tleWJsYWhibGFoYmxhaG8=");
        assertThat(kek.origin()).isEqualTo("[simple_crypto_plugin] kek");
    }

    @Test
    void kekAndKekFileTogetherAreRefused() {
        assertThatThrownBy(() -> load("[simple_crypto_plugin]\nkek = abc\nkek_file = /k\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[simple_crypto_plugin] kek")
                .hasMessageContaining("not both");
    }

    @Test
    void relativeKekFileIsResolvedAgainstTheConfigDirectory() {
        PortcullisConfig c = load("[simple_crypto_plugin]\nkek_file = keys/../kek\n");
        assertThat(c.stores().globalDefault().kek().file()).isEqualTo(Path.of("/srv/portcullis/kek"));
    }

    @Test
    void singleStoreModeTakesExactlyOnePlugin() {
        assertThatThrownBy(() -> load("[secretstore]\nenabled_secretstore_plugins = store_crypto, kmip_plugin\n" + KEK))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[secretstore] enabled_secretstore_plugins")
                .hasMessageContaining("exactly one");
    }

    @Test
    void singleStoreModeSelectsPkcs11CryptoPlugin() {
        StoreSettings s = load("[crypto]\nenabled_crypto_plugins = p11_crypto\n[p11_crypto_plugin]\nmkek_label = m\n").stores();

        assertThat(s.stores().get(0).cryptoPlugin()).isEqualTo("p11_crypto");
        assertThat(s.stores().get(0).options().string("mkek_label")).contains("m");
    }

    @Test
    void singleStoreModeRefusesDogtag() {
        assertThatThrownBy(() -> load("[secretstore]\nenabled_secretstore_plugins = dogtag_plugin\n" + KEK))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[secretstore] secret_store_plugin")
                .hasMessageContaining("bookworm");
    }

    // ---- multiple stores ---------------------------------------------------------------------------

    private static final String TWO_STORES = """
            [secretstore]
            enable_multiple_secret_stores = True
            stores_lookup_suffix = software, second

            [simple_crypto_plugin]
            kek_file = /etc/portcullis/shared.kek

            [secretstore:software]
            secret_store_plugin = store_crypto
            crypto_plugin = simple_crypto
            global_default = True

            [secretstore:second]
            secret_store_plugin = store_crypto
            crypto_plugin = simple_crypto
            kek_file = second.kek
            """;

    @Test
    void multipleStoresAreReadInLookupOrder() {
        StoreSettings s = load(TWO_STORES).stores();

        assertThat(s.multipleStores()).isTrue();
        assertThat(s.stores()).extracting(StoreSettings.Store::name).containsExactly("software", "second");
        assertThat(s.globalDefault().name()).isEqualTo("software");
        assertThat(s.stores().get(1).globalDefault()).isFalse();
    }

    @Test
    void perStoreKekFileOverridesTheSharedOne() {
        StoreSettings s = load(TWO_STORES).stores();

        KekSource shared = s.stores().get(0).kek();
        assertThat(shared.file()).isEqualTo(Path.of("/etc/portcullis/shared.kek"));
        assertThat(shared.origin()).isEqualTo("[simple_crypto_plugin] kek_file");

        KekSource own = s.stores().get(1).kek();
        assertThat(own.file()).isEqualTo(BASE.resolve("second.kek"));
        assertThat(own.origin()).isEqualTo("[secretstore:second] kek_file");
    }

    @Test
    void lookupSuffixMayUseContinuationLines() {
        StoreSettings s = load(TWO_STORES.replace("stores_lookup_suffix = software, second",
                "stores_lookup_suffix =\n    software\n    second")).stores();
        assertThat(s.stores()).extracting(StoreSettings.Store::name).containsExactly("software", "second");
    }

    @Test
    void multipleStoresNeedALookupSuffix() {
        assertThatThrownBy(() -> load("[secretstore]\nenable_multiple_secret_stores = True\n" + KEK))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[secretstore] stores_lookup_suffix");
    }

    @Test
    void lookupSuffixNamingAMissingSectionIsRefused() {
        assertThatThrownBy(() -> load(TWO_STORES.replace("software, second", "software, second, third")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[secretstore] stores_lookup_suffix")
                .hasMessageContaining("[secretstore:third]");
    }

    @Test
    void storeSectionNotListedIsRefused() {
        assertThatThrownBy(() -> load(TWO_STORES + """

                [secretstore:forgotten]
                secret_store_plugin = store_crypto
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("barbican.conf")
                .hasMessageContaining("[secretstore:forgotten]")
                .hasMessageContaining("stores_lookup_suffix");
    }

    @Test
    void noGlobalDefaultIsRefused() {
        assertThatThrownBy(() -> load(TWO_STORES.replace("global_default = True", "global_default = False")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("global_default")
                .hasMessageContaining("found 0");
    }

    @Test
    void twoGlobalDefaultsAreRefused() {
        assertThatThrownBy(() -> load(TWO_STORES + "global_default = True\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("global_default")
                .hasMessageContaining("found 2");
    }

    @Test
    void storeWithoutPluginIsRefused() {
        assertThatThrownBy(() -> load(TWO_STORES.replace(
                "[secretstore:software]\nsecret_store_plugin = store_crypto\n", "[secretstore:software]\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[secretstore:software] secret_store_plugin")
                .hasMessageContaining("required");
    }

    @Test
    void pkcs11StoreSectionOverridesP11Keys() {
        String conf = TWO_STORES.replace("kek_file = second.kek", "library_path = /opt/hsm/lib.so\nlogin = 9999")
                .replace("[secretstore:second]\nsecret_store_plugin = store_crypto\ncrypto_plugin = simple_crypto",
                        "[secretstore:second]\nsecret_store_plugin = store_crypto\ncrypto_plugin = p11_crypto")
                + "\n[p11_crypto_plugin]\nlogin = 1234\nmkek_label = shared\n";
        StoreOptions second = load(conf).stores().stores().get(1).options();

        assertThat(second.string("login")).contains("9999");
        assertThat(second.origin("login")).isEqualTo("[secretstore:second] login");
        assertThat(second.string("mkek_label")).contains("shared");
    }

    @Test
    void unknownStorePluginIsRefused() {
        assertThatThrownBy(() -> load(TWO_STORES.replace(
                "[secretstore:second]\nsecret_store_plugin = store_crypto", "[secretstore:second]\nsecret_store_plugin = pkcs11")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[secretstore:second] secret_store_plugin")
                .hasMessageContaining("'pkcs11' is not available");
    }

    @Test
    void dogtagStoreSaysItIsNotInstallableOnBookworm() {
        assertThatThrownBy(() -> load(TWO_STORES.replace(
                "[secretstore:second]\nsecret_store_plugin = store_crypto", "[secretstore:second]\nsecret_store_plugin = dogtag_crypto")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[secretstore:second] secret_store_plugin")
                .hasMessageContaining("Debian bookworm");
    }

    @Test
    void storeWithoutAnyKekIsRefused() {
        String conf = TWO_STORES.replace("[simple_crypto_plugin]\nkek_file = /etc/portcullis/shared.kek\n", "");
        assertThatThrownBy(() -> load(conf))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[secretstore:software]")
                .hasMessageContaining("needs a master KEK");
    }

    @Test
    void storeSectionOverridesItsPluginSectionKeyByKey() {
        StoreSettings s = load(TWO_STORES).stores();
        StoreOptions software = s.stores().get(0).options();
        StoreOptions second = s.stores().get(1).options();

        assertThat(software.path("kek_file")).contains(Path.of("/etc/portcullis/shared.kek"));
        assertThat(software.origin("kek_file")).isEqualTo("[simple_crypto_plugin] kek_file");
        assertThat(second.path("kek_file")).contains(BASE.resolve("second.kek"));
        assertThat(second.origin("kek_file")).isEqualTo("[secretstore:second] kek_file");
        assertThatThrownBy(() -> second.integer("kek_file", 0, 0, 1))
                .hasMessage("barbican.conf:" + (TWO_STORES.lines().toList().indexOf("kek_file = second.kek") + 1)
                        + ": [secretstore:second] kek_file expected an integer, got 'second.kek'");
    }

    @Test
    void storeSectionRefusesKeysOfAnotherPlugin() {
        assertThatThrownBy(() -> load(TWO_STORES + "library_path = /usr/lib/softhsm/libsofthsm2.so\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key [secretstore:second] library_path");
    }
}
