package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.portcullis.config.PortcullisConfig.AuthStrategy;
import org.portcullis.config.PortcullisConfig.KeystoneSettings;

/** {@code [keystone_authtoken]} and {@code [portcullis] auth_strategy}. */
class KeystoneConfigTest {
    private static final Path BASE = Path.of("/srv/portcullis");
    private static final String KEK = "[simple_crypto_plugin]\nkek_file = /etc/portcullis/kek\n";
    private static final String BARBICAN_AUTHTOKEN = """
            [keystone_authtoken]
            www_authenticate_uri = http://controller:5000
            auth_url = http://controller:5000
            memcached_servers = controller:11211
            auth_type = password
            project_domain_name = Default
            user_domain_name = Default
            project_name = service
            username = barbican
            password = BARBICAN_PASS
            service_token_roles_required = true
            """;

    private static PortcullisConfig load(String text) {
        return ConfigLoader.from(IniFile.parse("barbican.conf", text.lines().toList()), BASE);
    }

    @Test
    void withoutKeystoneSectionAuthIsOffButNotExplicitly() {
        PortcullisConfig c = load(KEK);
        assertThat(c.auth().strategy()).isEqualTo(AuthStrategy.NOAUTH);
        assertThat(c.auth().explicit()).isFalse();
    }

    @Test
    void barbicansInstallGuideSectionSelectsKeystone() {
        PortcullisConfig c = load(KEK + BARBICAN_AUTHTOKEN);
        assertThat(c.auth().strategy()).isEqualTo(AuthStrategy.KEYSTONE);
        KeystoneSettings k = c.auth().keystone();
        assertThat(k.identityUri()).isEqualTo(URI.create("http://controller:5000/v3"));
        assertThat(k.wwwAuthenticateUri()).isEqualTo("http://controller:5000");
        assertThat(k.username()).isEqualTo("barbican");
        assertThat(k.password()).isEqualTo("BARBICAN_PASS");
        assertThat(k.projectName()).isEqualTo("service");
        assertThat(k.userDomain().name()).isEqualTo("Default");
        assertThat(k.projectDomain().name()).isEqualTo("Default");
        assertThat(k.serviceTokenRolesRequired()).isTrue();
        assertThat(k.serviceTokenRoles()).containsExactly("service");
        assertThat(k.cacheTime()).isEqualTo(Duration.ofSeconds(300));
        assertThat(k.cacheSize()).isEqualTo(10_000);
        assertThat(k.toString()).doesNotContain("BARBICAN_PASS");
    }

    @Test
    void authUrlWithV3AndCacheSettingsAreRead() {
        PortcullisConfig c = load(KEK + """
                [portcullis]
                token_cache_size = 50
                [keystone_authtoken]
                auth_url = https://keystone.example.org/identity/v3/
                username = barbican
                password = pw
                project_name = service
                user_domain_id = default
                token_cache_time = 2
                """);
        KeystoneSettings k = c.auth().keystone();
        assertThat(k.identityUri()).isEqualTo(URI.create("https://keystone.example.org/identity/v3"));
        assertThat(k.wwwAuthenticateUri()).isEqualTo("https://keystone.example.org/identity/v3");
        assertThat(k.userDomain().id()).isEqualTo("default");
        assertThat(k.cacheTime()).isEqualTo(Duration.ofSeconds(2));
        assertThat(k.cacheSize()).isEqualTo(50);
    }

    @Test
    void explicitNoauthWinsAndIsMarkedExplicit() {
        PortcullisConfig c = load(KEK + "[portcullis]\nauth_strategy = noauth\n" + BARBICAN_AUTHTOKEN);
        assertThat(c.auth().strategy()).isEqualTo(AuthStrategy.NOAUTH);
        assertThat(c.auth().explicit()).isTrue();
    }

    @Test
    void keystoneStrategyWithoutSectionNamesTheMissingKey() {
        assertThatThrownBy(() -> load(KEK + "[portcullis]\nauth_strategy = keystone\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[keystone_authtoken] auth_url is required");
    }

    @Test
    void incompleteSectionIsAnErrorNotASilentNoauth() {
        assertThatThrownBy(() -> load(KEK + "[keystone_authtoken]\nauth_url = http://k:5000\nusername = b\n"
                + "project_name = service\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[keystone_authtoken] password is required");
    }

    @Test
    void unknownStrategyAndUnsupportedAuthTypeAreRefused() {
        assertThatThrownBy(() -> load(KEK + "[portcullis]\nauth_strategy = ldap\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[portcullis] auth_strategy must be keystone or noauth");
        assertThatThrownBy(() -> load(KEK + BARBICAN_AUTHTOKEN.replace("auth_type = password", "auth_type = token")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("barbican.conf:7: [keystone_authtoken] auth_type");
    }

    @Test
    void insecureAndV2AreRefused() {
        assertThatThrownBy(() -> load(KEK + BARBICAN_AUTHTOKEN + "insecure = True\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[keystone_authtoken] insecure is refused");
        assertThatThrownBy(() -> load(KEK + BARBICAN_AUTHTOKEN.replace("auth_url = http://controller:5000",
                "auth_url = http://controller:5000/v2.0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("v2.0");
    }

    @Test
    void errorsNeverQuoteThePassword() {
        assertThatThrownBy(() -> load(KEK + BARBICAN_AUTHTOKEN + "bogus = 1\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key [keystone_authtoken] bogus")
                .hasMessageNotContaining("BARBICAN_PASS");
    }
}
