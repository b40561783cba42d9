package org.portcullis.stores.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.portcullis.config.ConfigException;
import org.portcullis.config.StoreOptions;

class VaultSettingsTest {
    private static VaultSettings parse(String... kv) {
        Map<String, StoreOptions.Value> values = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            values.put(kv[i], new StoreOptions.Value(kv[i + 1], "vault_plugin", 10 + i / 2));
        }
        return VaultSettings.fromOptions(new StoreOptions("barbican.conf", Path.of("/etc/portcullis"), values));
    }

    @Test
    void castellanDefaults() {
        VaultSettings s = parse("root_token_id", "hvs.x");
        assertThat(s.url().toString()).isEqualTo("http://127.0.0.1:8200");
        assertThat(s.mount()).isEqualTo("secret");
        assertThat(s.kvPath()).isEmpty();
        assertThat(s.kvVersion()).isEqualTo(2);
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.namespace()).isEmpty();
        assertThat(s.appRole()).isFalse();
    }

    @Test
    void everyOption() {
        VaultSettings s = parse("vault_url", "http://vault.example.org:8200/", "approle_role_id", "r",
                "approle_secret_id", "s", "kv_mountpoint", "/kv/", "kv_path", "barbican/", "kv_version", "1",
                "namespace", "team/prod", "timeout", "2.5", "auth_method", "approle", "auth_path", "approle-2");
        assertThat(s.url().toString()).isEqualTo("http://vault.example.org:8200");
        assertThat(s.appRole()).isTrue();
        assertThat(s.mount()).isEqualTo("kv");
        assertThat(s.kvPath()).isEqualTo("barbican");
        assertThat(s.kvVersion()).isEqualTo(1);
        assertThat(s.namespace()).contains("team/prod");
        assertThat(s.timeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(s.authPath()).isEqualTo("approle-2");
        assertThat(s.toString()).doesNotContain("\"s\"").contains("approle(approle-2)");
    }

    @Test
    void refusalsNameFileLineSectionAndKey() {
        assertThatThrownBy(() -> parse("vault_url", "http://v:8200"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("root_token_id");
        assertThatThrownBy(() -> parse("root_token_id", "t", "kv_version", "3"))
                .hasMessageContaining("barbican.conf:11: [vault_plugin] kv_version must be between 1 and 2");
        assertThatThrownBy(() -> parse("root_token_id", "t", "use_ssl", "True"))
                .hasMessageContaining("[vault_plugin] use_ssl is True but vault_url is http://127.0.0.1:8200");
        assertThatThrownBy(() -> parse("root_token_id", "t", "vault_url", "ftp://v"))
                .hasMessageContaining("vault_url expected http://");
        assertThatThrownBy(() -> parse("root_token_id", "t", "kv_path", "a/../b"))
                .hasMessageContaining("kv_path must be a path");
        assertThatThrownBy(() -> parse("root_token_id", "t", "kv_mountpoint", "secret?x=1"))
                .hasMessageContaining("kv_mountpoint");
        assertThatThrownBy(() -> parse("root_token_id", "t", "timeout", "soon"))
                .hasMessageContaining("timeout expected a number of seconds");
        assertThatThrownBy(() -> parse("approle_role_id", "r", "auth_method", "kubernetes"))
                .hasMessageContaining("'kubernetes' is not supported");
        assertThatThrownBy(() -> parse("root_token_id", "t", "token_file", "/x"))
                .hasMessageContaining("token_file belongs to the jwt/kubernetes");
        assertThatThrownBy(() -> parse("root_token_id", "t", "vault_url", "https://v:8200", "ssl_ca_crt_file",
                "/nonexistent/ca.pem")).hasMessageContaining("ssl_ca_crt_file names /nonexistent/ca.pem");
        assertThatThrownBy(() -> parse("root_token_id", "t", "ssl_ca_crt_file", "/etc/hostname"))
                .hasMessageContaining("ssl_ca_crt_file is set but vault_url is http://");
    }

    @Test
    void httpsWithSystemTrustNeedsNoCaFile() {
        assertThat(parse("root_token_id", "t", "vault_url", "https://vault:8200", "use_ssl", "True").url().getScheme())
                .isEqualTo("https");
    }

    private static final String MULTI = """
            [DEFAULT]
            sql_connection = sqlite:////tmp/x.sqlite

            [secretstore]
            enable_multiple_secret_stores = True
            stores_lookup_suffix = software, vault

            [secretstore:software]
            secret_store_plugin = store_crypto
            crypto_plugin = simple_crypto

            [secretstore:vault]
            secret_store_plugin = vault_plugin
            global_default = True
            kv_path = override

            [simple_crypto_plugin]
            kek_file = /etc/portcullis/kek

            [vault_plugin]
            vault_url = http://vault:8200
            approle_role_id = r
            approle_secret_id = s
            kv_mountpoint = secret
            kv_path = barbican
            kv_version = 2
            use_ssl = False
            namespace = ns
            timeout = 30
            """;

    @Test
    void barbicansMultiStoreConfigurationLoadsWithPerStoreOverrides() {
        var config = org.portcullis.config.ConfigLoader.from(
                org.portcullis.config.IniFile.parse("barbican.conf", MULTI.lines().toList()), Path.of("/etc/portcullis"));
        var vault = config.stores().stores().stream().filter(s -> s.name().equals("vault")).findFirst().orElseThrow();
        assertThat(vault.globalDefault()).isTrue();
        VaultSettings s = VaultSettings.fromOptions(vault.options());
        assertThat(s.kvPath()).isEqualTo("override");
        assertThat(s.namespace()).contains("ns");
        assertThat(s.appRole()).isTrue();
    }

    @Test
    void unknownVaultKeysAreRefused() {
        String typo = MULTI.replace("kv_version = 2", "kv_versoin = 2");
        assertThatThrownBy(() -> org.portcullis.config.ConfigLoader.from(
                org.portcullis.config.IniFile.parse("barbican.conf", typo.lines().toList()), Path.of("/")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key [vault_plugin] kv_versoin");
    }

    @Test
    void aConfigFileHoldingAVaultTokenMustBeOwnerOnly(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path conf = dir.resolve("barbican.conf");
        java.nio.file.Files.writeString(conf, MULTI.replace("approle_secret_id = s", "root_token_id = hvs.t"));
        java.nio.file.Files.setPosixFilePermissions(conf, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> org.portcullis.config.ConfigLoader.load(conf)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("a Vault token ([vault_plugin] root_token_id)").hasMessageNotContaining("hvs.t");
    }
}
