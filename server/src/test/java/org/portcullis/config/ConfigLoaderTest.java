package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.portcullis.config.PortcullisConfig.KekSource;
import org.portcullis.config.PortcullisConfig.StoreSettings;

class ConfigLoaderTest {
    private static final Path BASE = Path.of("/srv/portcullis");
    private static final String KEK = "[simple_crypto_plugin]\nkek_file = /etc/portcullis/kek\n";

    private static PortcullisConfig load(String text) {
        return ConfigLoader.from(IniFile.parse("barbican.conf", text.lines().toList()), BASE);
    }

    // ---- defaults and plain values -----------------------------------------------------------

    @Test
    void minimalConfigurationGetsDefaults() {
        PortcullisConfig c = load(KEK);

        assertThat(c.source()).isEqualTo("barbican.conf");
        assertThat(c.hostHref()).isNull();
        assertThat(c.dataDir()).isEqualTo(BASE.resolve("portcullis-data"));
        assertThat(c.http().bindHost()).isEqualTo("127.0.0.1");
        assertThat(c.http().bindPort()).isEqualTo(9311);
        assertThat(c.database().kind()).isEqualTo(DatabaseSettings.Kind.SQLITE);
        assertThat(c.database().jdbcUrl()).isEqualTo("jdbc:sqlite:/srv/portcullis/portcullis-data/portcullis.sqlite");
        assertThat(c.database().poolSize()).isEqualTo(16);
        assertThat(c.limits().maxSecretBytes()).isEqualTo(20_000);
        assertThat(c.limits().maxRequestBytes()).isEqualTo(25_000);
        assertThat(c.quotas().secrets()).isEqualTo(-1);
        assertThat(c.protectConsumedSecrets()).isFalse();

        StoreSettings stores = c.stores();
        assertThat(stores.multipleStores()).isFalse();
        assertThat(stores.stores()).hasSize(1);
        StoreSettings.Store only = stores.globalDefault();
        assertThat(only.name()).isEqualTo("default");
        assertThat(only.storePlugin()).isEqualTo("store_crypto");
        assertThat(only.cryptoPlugin()).isEqualTo("simple_crypto");
        assertThat(only.kek().file()).isEqualTo(Path.of("/etc/portcullis/kek"));
        assertThat(only.kek().inlineBase64()).isNull();
        assertThat(only.kek().origin()).isEqualTo("[simple_crypto_plugin] kek_file");
    }

    @Test
    void readsPlainSettings() {
        PortcullisConfig c = load("""
                [DEFAULT]
                host_href = https://kms.example.org:9311
                bind_host = 0.0.0.0
                bind_port = 9000
                max_allowed_secret_in_bytes = 1000
                max_allowed_request_size_in_bytes = 5000

                [portcullis]
                bind_port = 9400
                allow_insecure_http = true
                data_dir = data
                protect_consumed_secrets = yes

                [database]
                max_pool_size = 4

                [quotas]
                quota_secrets = 50
                quota_cas = 0
                """ + KEK);

        assertThat(c.hostHref()).isEqualTo("https://kms.example.org:9311");
        assertThat(c.http().bindHost()).isEqualTo("0.0.0.0");
        assertThat(c.http().bindPort()).as("[portcullis] wins over [DEFAULT]").isEqualTo(9400);
        assertThat(c.dataDir()).isEqualTo(BASE.resolve("data"));
        assertThat(c.database().jdbcUrl()).isEqualTo("jdbc:sqlite:/srv/portcullis/data/portcullis.sqlite");
        assertThat(c.database().poolSize()).isEqualTo(4);
        assertThat(c.limits().maxSecretBytes()).isEqualTo(1000);
        assertThat(c.limits().maxRequestBytes()).isEqualTo(5000);
        assertThat(c.quotas().secrets()).isEqualTo(50);
        assertThat(c.quotas().cas()).isZero();
        assertThat(c.quotas().orders()).isEqualTo(-1);
        assertThat(c.protectConsumedSecrets()).isTrue();
    }

    @Test
    void requestLimitBelowSecretLimitIsRaisedToFitAMaximalSecret() {
        PortcullisConfig c = load("""
                [DEFAULT]
                max_allowed_secret_in_bytes = 10000
                max_allowed_request_size_in_bytes = 100
                """ + KEK);
        assertThat(c.limits().maxRequestBytes()).isEqualTo(10000 * 2 + 4096);
    }

    @Test
    void ignoredBarbicanKeysAndSectionsAreAccepted() {
        PortcullisConfig c = load("""
                [DEFAULT]
                debug = True
                log_file = /var/log/barbican/api.log
                transport_url = rabbit://guest:guest@localhost:5672/

                [database]
                max_retries = 3

                [oslo_middleware]
                enable_proxy_headers_parsing = True

                [oslo_messaging_notifications]
                driver = noop
                """ + KEK);
        assertThat(c.http().bindPort()).isEqualTo(9311);
    }

    @Test
    void policyDefaultsToSecureRbac() {
        PortcullisConfig.PolicySettings p = load(KEK).policy();
        assertThat(p.enforceNewDefaults()).isTrue();
        assertThat(p.enforceScope()).isTrue();
        assertThat(p.policyFile()).isNull();
    }

    @Test
    void legacyPolicyCanBeChosen() {
        PortcullisConfig.PolicySettings p = load("[oslo_policy]\nenforce_new_defaults = False\nenforce_scope = False\n"
                + KEK).policy();
        assertThat(p.enforceNewDefaults()).isFalse();
        assertThat(p.enforceScope()).isFalse();
    }

    @Test
    void missingPolicyFileIsNamed() {
        assertThatThrownBy(() -> load("[oslo_policy]\npolicy_file = no-such-policy.yaml\n" + KEK))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("barbican.conf:2: [oslo_policy] policy_file")
                .hasMessageContaining(BASE.resolve("no-such-policy.yaml").toString());
    }

    // ---- unknown and invalid keys --------------------------------------------------------------

    @Test
    void unknownSectionIsNamed() {
        assertThatThrownBy(() -> load(KEK + "[secret_store]\nfoo = bar\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("barbican.conf")
                .hasMessageContaining("unknown section [secret_store]");
    }

    @Test
    void unknownKeyNamesFileLineSectionAndKey() {
        assertThatThrownBy(() -> load("[DEFAULT]\ndebug = True\nhost_hreff = http://x\n" + KEK))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("barbican.conf")
                .hasMessageContaining("line 3")
                .hasMessageContaining("[DEFAULT] host_hreff");
    }

    @Test
    void unknownKeyInSimpleCryptoSectionIsRefused() {
        assertThatThrownBy(() -> load("[simple_crypto_plugin]\nkek_fil = /x\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[simple_crypto_plugin] kek_fil");
    }

    @Test
    void ignoredKeyOfOneSectionIsUnknownInAnother() {
        assertThatThrownBy(() -> load("[portcullis]\ndebug = True\n" + KEK))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[portcullis] debug");
    }

    @Test
    void unknownKeyInStoreSectionIsNamed() {
        assertThatThrownBy(() -> load("""
                [secretstore]
                enable_multiple_secret_stores = True
                stores_lookup_suffix = a

                [secretstore:a]
                secret_store_plugin = store_crypto
                global_default = True
                kek_file = /k
                globl_default = True
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 9")
                .hasMessageContaining("[secretstore:a] globl_default");
    }

    @Test
    void allUnknownKeysAreReportedTogether() {
        assertThatThrownBy(() -> load("[DEFAULT]\nfoo = 1\nbar = 2\n" + KEK))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[DEFAULT] foo")
                .hasMessageContaining("[DEFAULT] bar");
    }

    @Test
    void invalidIntegerNamesFileLineSectionAndKey() {
        assertThatThrownBy(() -> load("[DEFAULT]\nbind_port = http\n" + KEK))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("barbican.conf:2: [DEFAULT] bind_port")
                .hasMessageContaining("expected an integer")
                .hasMessageContaining("'http'");
    }

    @Test
    void integerOutOfRangeIsRefused() {
        assertThatThrownBy(() -> load("[portcullis]\nbind_port = 70000\n" + KEK))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("barbican.conf:2: [portcullis] bind_port")
                .hasMessageContaining("between 0 and 65535");
        assertThatThrownBy(() -> load("[quotas]\nquota_secrets = -2\n" + KEK))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[quotas] quota_secrets");
    }

    @Test
    void invalidBooleanNamesSectionAndKey() {
        assertThatThrownBy(() -> load("[portcullis]\nprotect_consumed_secrets = maybe\n" + KEK))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("barbican.conf:2: [portcullis] protect_consumed_secrets")
                .hasMessageContaining("expected True or False")
                .hasMessageContaining("'maybe'");
    }

    @Test
    void booleanSpellingsAreCaseInsensitive() {
        assertThat(load("[portcullis]\nprotect_consumed_secrets = TRUE\n" + KEK).protectConsumedSecrets()).isTrue();
        assertThat(load("[portcullis]\nprotect_consumed_secrets = on\n" + KEK).protectConsumedSecrets()).isTrue();
        assertThat(load("[portcullis]\nprotect_consumed_secrets = False\n" + KEK).protectConsumedSecrets()).isFalse();
        assertThat(load("[portcullis]\nprotect_consumed_secrets = 0\n" + KEK).protectConsumedSecrets()).isFalse();
    }

    @Test
    void hostHrefMustBeAnHttpUrl() {
        assertThatThrownBy(() -> load("[DEFAULT]\nhost_href = kms.example.org\n" + KEK))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[DEFAULT] host_href")
                .hasMessageContaining("http://");
    }

    // ---- database --------------------------------------------------------------------------------

    @Test
    void sqlConnectionInDefaultIsParsed() {
        PortcullisConfig c = load("[DEFAULT]\nsql_connection = postgresql://barbican:secret@db.example:5433/kms\n" + KEK);
        assertThat(c.database().kind()).isEqualTo(DatabaseSettings.Kind.POSTGRESQL);
        assertThat(c.database().jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5433/kms");
        assertThat(c.database().user()).isEqualTo("barbican");
        assertThat(c.database().password()).isEqualTo("secret");
    }

    @Test
    void databaseConnectionWinsOverSqlConnection() {
        PortcullisConfig c = load("""
                [DEFAULT]
                sql_connection = sqlite:////var/lib/barbican/old.sqlite
                [database]
                connection = sqlite:///new.sqlite
                """ + KEK);
        assertThat(c.database().jdbcUrl()).isEqualTo("jdbc:sqlite:/srv/portcullis/new.sqlite");
    }

    @Test
    void badConnectionNamesTheKeyItCameFrom() {
        assertThatThrownBy(() -> load("[DEFAULT]\nsql_connection = mysql+pymysql://u:p@h/db\n" + KEK))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("barbican.conf:2: [DEFAULT] sql_connection")
                .hasMessageContaining("mysql+pymysql");
        assertThatThrownBy(() -> load("[database]\nconnection = sqlite://\n" + KEK))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("barbican.conf:2: [database] connection")
                .hasMessageContaining("in-memory");
    }

    // ---- single store ------------------------------------------------------------------------------

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
    void singleStoreModeRefusesPkcs11CryptoPlugin() {
        assertThatThrownBy(() -> load("[crypto]\nenabled_crypto_plugins = p11_crypto\n" + KEK))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'p11_crypto' is not available");
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
    void pkcs11StoreIsRefusedAsUnsupported() {
        String conf = TWO_STORES.replace("kek_file = second.kek", "")
                .replace("[secretstore:second]\nsecret_store_plugin = store_crypto\ncrypto_plugin = simple_crypto",
                        "[secretstore:second]\nsecret_store_plugin = store_crypto\ncrypto_plugin = p11_crypto");
        assertThatThrownBy(() -> load(conf))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[secretstore:second] crypto_plugin")
                .hasMessageContaining("'p11_crypto' is not available");
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
