package org.portcullis.stores.kmip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.ConfigException;
import org.portcullis.config.StoreOptions;

/** {@code [kmip_plugin]} options that can be checked without a server. */
class KmipSettingsTest {
    @TempDir
    Path dir;

    private StoreOptions options(Map<String, String> values) {
        Map<String, StoreOptions.Value> v = new LinkedHashMap<>();
        int line = 1;
        for (var e : values.entrySet()) {
            v.put(e.getKey(), new StoreOptions.Value(e.getValue(), "kmip_plugin", line++));
        }
        return new StoreOptions("barbican.conf", dir, v);
    }

    @Test
    void sslVersionNamesMapToTls12AndAbove() {
        assertThat(KmipSettings.protocols(options(Map.of()))).containsExactly("TLSv1.2");
        assertThat(KmipSettings.protocols(options(Map.of("ssl_version", "PROTOCOL_TLSv1_2")))).containsExactly("TLSv1.2");
        assertThat(KmipSettings.protocols(options(Map.of("ssl_version", "PROTOCOL_TLS")))).containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(KmipSettings.protocols(options(Map.of("ssl_version", "PROTOCOL_SSLv23")))).containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(KmipSettings.protocols(options(Map.of("ssl_version", "TLSv1.3")))).containsExactly("TLSv1.3");
    }

    @Test
    void sslVersionBelowTls12IsRefused() {
        for (String old : List.of("PROTOCOL_TLSv1", "PROTOCOL_TLSv1_1", "PROTOCOL_SSLv3")) {
            assertThatThrownBy(() -> KmipSettings.protocols(options(Map.of("ssl_version", old))))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("barbican.conf:1: [kmip_plugin] ssl_version")
                    .hasMessageContaining("older than TLS 1.2");
        }
        assertThatThrownBy(() -> KmipSettings.protocols(options(Map.of("ssl_version", "PROTOCOL_FOO"))))
                .hasMessageContaining("is not known");
    }

    @Test
    void groupReadableKeyFileIsRefusedByName() throws Exception {
        Path key = Files.writeString(dir.resolve("client.key"), "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        Path cert = Files.writeString(dir.resolve("client.crt"), "");
        Path ca = Files.writeString(dir.resolve("ca.crt"), "");

        assertThatThrownBy(() -> KmipSettings.fromOptions(options(Map.of("certfile", cert.toString(),
                "keyfile", key.toString(), "ca_certs", ca.toString()))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key.toString())
                .hasMessageContaining("mode 0644")
                .hasMessageContaining("[kmip_plugin] keyfile");
    }

    @Test
    void singleStoreModeAndPerStoreOverridesReadKmipPluginKeys() {
        var single = org.portcullis.config.ConfigLoader.from(org.portcullis.config.IniFile.parse("barbican.conf", List.of(
                "[secretstore]", "enabled_secretstore_plugins = kmip_plugin",
                "[kmip_plugin]", "host = kmip.example.org", "port = 5697", "pool_size = 4")), dir);
        var store = single.stores().stores().get(0);
        assertThat(store.storePlugin()).isEqualTo("kmip_plugin");
        assertThat(store.options().string("host", "")).isEqualTo("kmip.example.org");

        var multi = org.portcullis.config.ConfigLoader.from(org.portcullis.config.IniFile.parse("barbican.conf", List.of(
                "[secretstore]", "enable_multiple_secret_stores = True", "stores_lookup_suffix = kmip",
                "[secretstore:kmip]", "secret_store_plugin = kmip_plugin", "global_default = True", "port = 6000",
                "[kmip_plugin]", "port = 5697")), dir);
        assertThat(multi.stores().stores().get(0).options().integer("port", 0, 1, 65535)).isEqualTo(6000);

        assertThatThrownBy(() -> org.portcullis.config.ConfigLoader.from(org.portcullis.config.IniFile.parse(
                "barbican.conf", List.of("[secretstore]", "enabled_secretstore_plugins = kmip_plugin",
                        "[kmip_plugin]", "hots = typo")), dir))
                .isInstanceOf(ConfigException.class).hasMessageContaining("hots");
    }

    @Test
    void missingFilesAreNamed() {
        assertThatThrownBy(() -> KmipSettings.fromOptions(options(Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("certfile is required");
        assertThatThrownBy(() -> KmipSettings.fromOptions(options(Map.of("certfile", "nope.crt"))))
                .hasMessageContaining("[kmip_plugin] certfile names " + dir.resolve("nope.crt"));
    }
}
