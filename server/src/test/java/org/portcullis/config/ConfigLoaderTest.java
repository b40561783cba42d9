package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.portcullis.config.PortcullisConfig.StoreSettings;

/**
 * The whole configuration from barbican.conf text: defaults, plain values, unknown and invalid
 * keys, the database. The secret store sections: {@link StoreSettingsReaderTest}.
 */
class ConfigLoaderTest {
    static final Path BASE = Path.of("/srv/portcullis");
    static final String KEK = "[simple_crypto_plugin]\nkek_file = /etc/portcullis/kek\n";

    static PortcullisConfig load(String text) {
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
                min_pool_size = 1
                read_limit = 3

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
        assertThat(c.database().minIdle(4)).isEqualTo(1);
        assertThat(c.database().readLimit(64)).as("the key wins over the cores").isEqualTo(3);
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
    void aNegativeReadLimitIsRefusedAtStart() {
        assertThatThrownBy(() -> load("[database]\nread_limit = -1\n" + KEK))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[database] read_limit");
    }

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
}
