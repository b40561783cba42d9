package org.portcullis.stores;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.health.Finding;

/**
 * The doctor's sample probes the store from random times: an old secret alone before a long gap
 * and a burst of secrets in one millisecond after it (where most probes land on the burst's first
 * row) still give as many distinct secrets as asked for, or all of them when there are fewer.
 */
class StoreSampleTest {
    @TempDir
    Path dir;

    private OneSoftwareStore st;

    @BeforeEach
    void open() {
        st = OneSoftwareStore.open(dir);
        secret("old", 1_000);
        for (int i = 0; i < 6; i++) {
            secret("burst-" + i, 9_000_000_000L);
        }
        secret("deleted", 9_000_000_000L);
        st.db().write(h -> h.execute("UPDATE secrets SET deleted = TRUE WHERE id = 'deleted'"));
    }

    private void secret(String id, long createdAt) {
        StoredRef ref = st.store().store(new SecretBinding(id, "p", "st"), new byte[] {1}, Map.of());
        st.insertSecret(id, createdAt, ref.bytes());
    }

    @AfterEach
    void close() {
        st.close();
    }

    @Test
    void asManyDistinctSecretsAsAskedFor() {
        for (int run = 0; run < 20; run++) {
            Finding f = new StoreSample(st.db(), st.store(), 5).check("store default");
            assertThat(f.status()).isEqualTo(Finding.Status.PASS);
            assertThat(f.message()).matches(".*random sample: master key \\S+: 5/5");
        }
    }

    @Test
    void everyLiveSecretWhenTheStoreHasFewerThanAsked() {
        Finding f = new StoreSample(st.db(), st.store(), 50).check("store default");
        assertThat(f.message()).matches(".*random sample: master key \\S+: 7/7");
    }
}
