package org.portcullis.stores.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.portcullis.config.StoreOptions;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.StoreException;
import org.portcullis.stores.StoreHealth;
import org.portcullis.stores.StoreInfo;
import org.portcullis.stores.StoredRef;
import org.portcullis.testing.ManualClock;

/** What the Vault store does beyond the contract: versions, check-and-set, logins, outages. */
class VaultStoreIT {
    private static final StoreInfo INFO = new StoreInfo(UUID.randomUUID().toString(), "vault", "vault_plugin", null,
            true, 0, 0);

    private FakeVaultServer vault;
    private VaultStore store;

    @BeforeEach
    void start() throws Exception {
        vault = FakeVaultServer.start();
    }

    @AfterEach
    void stop() {
        if (store != null) {
            store.close();
        }
        vault.close();
    }

    private VaultStore open(Clock clock, String... kv) {
        Map<String, StoreOptions.Value> values = new LinkedHashMap<>();
        values.put("vault_url", new StoreOptions.Value(vault.url(), "vault_plugin", 1));
        values.put("timeout", new StoreOptions.Value("5", "vault_plugin", 2));
        for (int i = 0; i < kv.length; i += 2) {
            values.put(kv[i], new StoreOptions.Value(kv[i + 1], "vault_plugin", 3 + i));
        }
        store = new VaultStore(INFO, VaultSettings.fromOptions(new StoreOptions("t.conf", Path.of("/"), values)), clock);
        return store;
    }

    private VaultStore withToken(String... more) {
        String[] kv = new String[more.length + 2];
        kv[0] = "root_token_id";
        kv[1] = vault.createToken("");
        System.arraycopy(more, 0, kv, 2, more.length);
        return open(Clock.systemUTC(), kv);
    }

    private static SecretBinding binding(String project) {
        return new SecretBinding(UUID.randomUUID().toString(), project, INFO.id());
    }

    @Test
    void entriesLiveAtKvPathProjectSecretAndDeleteDestroysAllVersions() {
        VaultStore s = withToken("kv_path", "barbican");
        SecretBinding b = binding("p1");
        StoredRef ref = s.store(b, new byte[] {1, 2, 3});
        String path = "barbican/p1/" + b.secretId();
        assertThat(vault.exists("", "secret", path)).isTrue();
        assertThat(VaultRef.decode(ref)).isEqualTo(new VaultRef(2, 1, "secret", path));

        s.delete(b, ref);
        assertThat(vault.exists("", "secret", path)).isFalse();
        s.delete(b, ref); // deleting again is harmless
    }

    @Test
    void neverOverwritesAnExistingEntry() {
        VaultStore s = withToken();
        SecretBinding b = binding("p1");
        StoredRef first = s.store(b, new byte[] {1});

        assertThatThrownBy(() -> s.store(b, new byte[] {2})).isInstanceOf(StoreException.class)
                .hasMessageContaining("check-and-set");
        assertThat(s.retrieve(b, first)).containsExactly(1);
    }

    @Test
    void projectIdsThatAreNotPlainTokensAreHashedIntoThePath() {
        VaultStore s = withToken();
        SecretBinding b = binding("../../sys/seal");
        StoredRef ref = s.store(b, new byte[] {9});
        assertThat(VaultRef.decode(ref).path()).matches("x-[0-9a-f]{32}/" + b.secretId());
        assertThat(s.retrieve(b, ref)).containsExactly(9);
    }

    @Test
    void anEntryAlteredInsideVaultIsRefused() {
        VaultStore s = withToken();
        SecretBinding b = binding("p1");
        StoredRef ref = s.store(b, new byte[] {1});
        vault.tamper("", "secret", "p1/" + b.secretId(), "project_id", "p2");

        assertThatThrownBy(() -> s.retrieve(b, ref)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.tampered()).isTrue());
    }

    @Test
    void refsKeepTheirOwnMountAndVersionAcrossConfigChanges() {
        VaultStore v2 = withToken();
        SecretBinding b = binding("p1");
        StoredRef ref = v2.store(b, new byte[] {7});
        v2.close();
        VaultStore v1 = withToken("kv_mountpoint", "kv1", "kv_version", "1", "kv_path", "elsewhere");
        assertThat(v1.retrieve(b, ref)).containsExactly(7);
    }

    @Test
    void appRoleLogsInAgainWhenVaultRejectsAnExpiredToken() {
        String[] role = vault.createAppRole("");
        vault.appRoleTokenTtlSeconds(3600);
        VaultStore s = open(Clock.systemUTC(), "approle_role_id", role[0], "approle_secret_id", role[1]);
        SecretBinding b = binding("p1");
        StoredRef ref = s.store(b, new byte[] {5});
        assertThat(vault.logins()).isEqualTo(1);

        vault.advanceClock(3601); // Vault considers the token expired; our clock does not know yet
        assertThat(s.retrieve(b, ref)).containsExactly(5);
        assertThat(vault.logins()).isEqualTo(2);
    }

    @Test
    void appRoleLogsInAgainBeforeTheLeaseRunsOut() {
        String[] role = vault.createAppRole("");
        vault.appRoleTokenTtlSeconds(100);
        ManualClock clock = new ManualClock(Instant.now());
        VaultStore s = open(clock, "approle_role_id", role[0], "approle_secret_id", role[1]);
        SecretBinding b = binding("p1");
        StoredRef ref = s.store(b, new byte[] {5});
        clock.advance(Duration.ofSeconds(70));
        s.retrieve(b, ref);
        assertThat(vault.logins()).as("70 s of a 100 s lease: still the first token").isEqualTo(1);
        clock.advance(Duration.ofSeconds(10));
        s.retrieve(b, ref);
        assertThat(vault.logins()).as("past three quarters of the lease: a fresh login").isEqualTo(2);
    }

    @Test
    void wrongAppRoleCredentialsAreReportedWithoutTheSecret() {
        String[] role = vault.createAppRole("");
        VaultStore s = open(Clock.systemUTC(), "approle_role_id", role[0], "approle_secret_id", "not-the-secret");
        assertThatThrownBy(() -> s.store(binding("p1"), new byte[] {1})).isInstanceOfSatisfying(StoreException.class,
                e -> {
                    assertThat(e.unavailable()).isTrue();
                    assertThat(e.getMessage()).contains("AppRole login").contains("invalid role or secret ID")
                            .doesNotContain("not-the-secret");
                });
    }

    @Test
    void aRevokedTokenMakesTheStoreUnavailableNotBroken() {
        String token = vault.createToken("");
        VaultStore s = open(Clock.systemUTC(), "root_token_id", token);
        SecretBinding b = binding("p1");
        StoredRef ref = s.store(b, new byte[] {1});
        vault.revokeToken(token);
        assertThatThrownBy(() -> s.retrieve(b, ref)).isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.unavailable()).isTrue();
            assertThat(e.getMessage()).contains("403").contains("no secret is lost").doesNotContain(token);
        });
    }

    @Test
    void theNamespaceHeaderIsSent() {
        String token = vault.createToken("team/prod");
        VaultStore without = open(Clock.systemUTC(), "root_token_id", token);
        assertThatThrownBy(() -> without.store(binding("p1"), new byte[] {1})).isInstanceOf(StoreException.class);
        without.close();
        VaultStore with = open(Clock.systemUTC(), "root_token_id", token, "namespace", "team/prod");
        SecretBinding b = binding("p1");
        assertThat(with.retrieve(b, with.store(b, new byte[] {4}))).containsExactly(4);
        assertThat(vault.exists("team/prod", "secret", "p1/" + b.secretId())).isTrue();
    }

    @Test
    void sealedVaultIsUnavailableAndNothingIsLost() {
        VaultStore s = withToken();
        SecretBinding b = binding("p1");
        StoredRef ref = s.store(b, new byte[] {8});
        vault.seal(true);

        assertThatThrownBy(() -> s.retrieve(b, ref)).isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.unavailable()).isTrue();
            assertThat(e.getMessage()).contains(vault.url()).contains("sealed").contains("no secret is lost");
        });
        StoreHealth health = s.health();
        assertThat(health.ok()).isFalse();
        assertThat(health.secretsAtRisk()).isFalse();
        assertThat(health.detail()).contains("sealed");

        vault.seal(false);
        assertThat(s.retrieve(b, ref)).containsExactly(8);
        assertThat(s.health().ok()).isTrue();
    }

    @Test
    void unreachableVaultIsUnavailable() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Map<String, StoreOptions.Value> values = Map.of(
                "vault_url", new StoreOptions.Value("http://127.0.0.1:" + port, "vault_plugin", 1),
                "root_token_id", new StoreOptions.Value("hvs.x", "vault_plugin", 2),
                "timeout", new StoreOptions.Value("2", "vault_plugin", 3));
        store = new VaultStore(INFO, VaultSettings.fromOptions(new StoreOptions("t.conf", Path.of("/"), values)),
                Clock.systemUTC());
        assertThatThrownBy(() -> store.store(binding("p1"), new byte[] {1})).isInstanceOfSatisfying(StoreException.class,
                e -> {
                    assertThat(e.unavailable()).isTrue();
                    assertThat(e.getMessage()).contains("unreachable").contains("no secret is lost");
                });
        assertThat(store.health().secretsAtRisk()).isFalse();
    }

    @Test
    void healthLeavesNoCanaryBehind() {
        VaultStore s = withToken("kv_path", "barbican");
        int before = vault.requests();
        StoreHealth h = s.health();
        assertThat(h.ok()).as(h.detail()).isTrue();
        assertThat(vault.requests() - before).as("write, read, destroy").isEqualTo(3);
    }
}
