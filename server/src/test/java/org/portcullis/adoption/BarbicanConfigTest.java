package org.portcullis.adoption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.ConfigException;

class BarbicanConfigTest {
    @TempDir
    Path dir;

    /** The shape ../shared/reference/start.sh writes: multi-store, software + KMIP. */
    @Test
    void readsAMultiStoreFile() throws Exception {
        BarbicanConfig c = read("""
                [DEFAULT]
                host_href = http://127.0.0.1:9311
                sql_connection = sqlite:////tmp/b/barbican.sqlite

                [crypto]
                enabled_crypto_plugins = simple_crypto

                [simple_crypto_plugin]
                kek = OtwMJpvC1gXXEvS55PllZDgbvrjDo5z/YYzWHRAk+rw=

                [secretstore]
                enable_multiple_secret_stores = True
                stores_lookup_suffix = software, kmip

                [secretstore:software]
                secret_store_plugin = store_crypto
                crypto_plugin = simple_crypto
                global_default = True

                [secretstore:kmip]
                secret_store_plugin = kmip_plugin

                [kmip_plugin]
                host = 127.0.0.1
                port = 5696
                """);
        assertThat(c.sqlConnection()).isEqualTo("sqlite:////tmp/b/barbican.sqlite");
        assertThat(c.kek()).isEqualTo("OtwMJpvC1gXXEvS55PllZDgbvrjDo5z/YYzWHRAk+rw=");
        assertThat(c.multipleStores()).isTrue();
        assertThat(c.stores()).containsExactly(
                new BarbicanConfig.Store("software", "store_crypto", "simple_crypto", true),
                new BarbicanConfig.Store("kmip", "kmip_plugin", null, false));
        assertThat(c.plugin("kmip_plugin")).containsEntry("port", "5696");
        assertThat(c.toString()).doesNotContain("Otw");
    }

    @Test
    void databaseSectionWinsAndSingleStoreDefaultsToSimpleCrypto() throws Exception {
        BarbicanConfig c = read("""
                [DEFAULT]
                sql_connection = sqlite:///old.sqlite
                [database]
                connection = mysql+pymysql://barbican:pw@db.example/barbican
                [secretstore]
                enabled_secretstore_plugins = store_crypto
                """);
        assertThat(c.sqlConnection()).isEqualTo("mysql+pymysql://barbican:pw@db.example/barbican");
        assertThat(c.multipleStores()).isFalse();
        assertThat(c.stores()).containsExactly(new BarbicanConfig.Store("default", "store_crypto", "simple_crypto", true));
        assertThat(c.kek()).isNull();
    }

    @Test
    void refusesAFileWithoutDatabaseOrWithAMissingStoreSection() {
        assertThatThrownBy(() -> read("[DEFAULT]\ndebug = True\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sql_connection");
        assertThatThrownBy(() -> read("""
                [DEFAULT]
                sql_connection = sqlite:////x.sqlite
                [secretstore]
                enable_multiple_secret_stores = True
                stores_lookup_suffix = software
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("[secretstore:software]");
    }

    private BarbicanConfig read(String text) throws Exception {
        Path file = dir.resolve("barbican.conf");
        Files.writeString(file, text);
        return BarbicanConfig.read(file);
    }
}
