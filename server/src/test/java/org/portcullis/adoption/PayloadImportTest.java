package org.portcullis.adoption;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.PortcullisConfig;
import org.portcullis.db.Database;
import org.portcullis.secrets.Secret;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.SecretStore;
import org.portcullis.stores.StoreRegistry;
import org.portcullis.stores.vault.CastellanVaultWrites;
import org.portcullis.stores.vault.FakeVaultServer;
import org.portcullis.stores.vault.VaultNodes;

/**
 * A secret Barbican keeps in Vault (vault_plugin, castellan's layout) is adopted in place: the
 * import reads the entry back through this node's Vault store and writes a reference bound to the
 * secret; an entry of castellan's legacy format is skipped with its reason. The reference Barbican
 * has no Vault here, so the Barbican rows are given as the reader would return them.
 */
class PayloadImportTest {
    private static final String VAULT_PLUGIN = "barbican.plugin.vault_secret_store.VaultSecretStore";

    @TempDir
    Path dir;

    @Test
    void adoptsAVaultEntryInPlaceAndSkipsALegacyOne() throws Exception {
        try (FakeVaultServer vault = FakeVaultServer.start()) {
            String token = vault.createToken("");
            Path conf = dir.resolve("portcullis.conf");
            Files.writeString(conf, VaultNodes.config(dir, "sqlite:///" + dir.resolve("p.sqlite"), vault.url(), token,
                    false, ""));
            Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
            Path barbicanConf = dir.resolve("barbican.conf");
            Files.writeString(barbicanConf, """
                    [DEFAULT]
                    sql_connection = sqlite:////nonexistent/barbican.sqlite
                    [secretstore]
                    enable_multiple_secret_stores = True
                    stores_lookup_suffix = vault
                    [secretstore:vault]
                    secret_store_plugin = vault_plugin
                    [vault_plugin]
                    kv_mountpoint = secret
                    """);
            PortcullisConfig c = ConfigLoader.load(conf);
            try (Database db = Database.open(c.database());
                    StoreRegistry stores = StoreRegistry.start(c.stores(), db, Clock.systemUTC())) {
                StoreRouting routing = new StoreRouting(stores, BarbicanConfig.read(barbicanConf),
                        List.of(new BarbicanRows.Store("b-vault", "Vault", "vault_plugin", null, true)), Map.of());
                ImportReport report = new ImportReport(changes -> {});
                PayloadImport payloads = new PayloadImport(routing, new SimpleCryptoKeys(null, Map.of()), report);

                byte[] payload = "in Barbican's Vault \u2713".getBytes(StandardCharsets.UTF_8);
                String keyId = CastellanVaultWrites.write(vault, token, payload);
                BarbicanRows.Secret s = secret(Map.of("plugin_name", VAULT_PLUGIN, "key_id", keyId, "version", "1"));
                Secret row = payloads.prepare(s, null, new PayloadImport.Sealers());
                assertThat(report.skipped()).isEmpty();
                assertThat(row).isNotNull();
                SecretStore target = stores.all().stream().filter(st -> st.info().storePlugin().equals("vault_plugin"))
                        .findFirst().orElseThrow();
                assertThat(row.storeId()).isEqualTo(target.info().id());
                assertThat(target.retrieve(new SecretBinding(s.id(), s.projectId(), row.storeId()), row.stored()))
                        .isEqualTo(payload);
                assertThat(vault.entries("secret")).isEqualTo(1); // nothing copied: the entry stays Barbican's

                BarbicanRows.Secret legacy = secret(Map.of("plugin_name", VAULT_PLUGIN, "key_id",
                        CastellanVaultWrites.write(vault, token, payload)));
                assertThat(payloads.prepare(legacy, null, new PayloadImport.Sealers())).isNull();
                assertThat(report.skipped()).singleElement()
                        .satisfies(k -> assertThat(k.reason()).contains("legacy castellan format"));
            }
        }
    }

    private static BarbicanRows.Secret secret(Map<String, String> storeMeta) {
        return new BarbicanRows.Secret(UUID.randomUUID().toString(), "project-1", "user-1", "in vault", "opaque", null,
                null, null, null, "ACTIVE", 1_700_000_000_000L, 1_700_000_000_000L, false, "application/octet-stream",
                storeMeta.get("plugin_name"), storeMeta, null, Map.of());
    }
}
