package org.portcullis.stores.software;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.crypto.SealedPayload;
import org.portcullis.db.Database;
import org.portcullis.stores.OneSoftwareStore;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.StoreException;
import org.portcullis.stores.StoredRef;

/** Sealing with the active KEK id the create path read beforehand, instead of a lookup of its own. */
class SoftwareStoreActiveKekTest {
    @TempDir
    Path dir;

    private Database db;
    private SoftwareStore store;

    @BeforeEach
    void open() {
        OneSoftwareStore fixture = OneSoftwareStore.open(dir);
        db = fixture.db();
        store = fixture.store();
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static String kekOf(StoredRef ref) {
        return SealedPayload.header(ref.bytes()).projectKekId();
    }

    @Test
    void sealsUnderTheKekItIsGivenAndCreatesOneWhenGivenNone() {
        SecretBinding first = new SecretBinding("s1", "p", "st");
        StoredRef a = store.store(first, new byte[] {1, 2}, Map.of()); // the project's first secret: KEK created
        String kek = kekOf(a);
        String active = db.read(h -> h.createQuery("SELECT id FROM project_keks WHERE project_id = 'p' AND active")
                .mapTo(String.class).one());
        assertThat(active).isEqualTo(kek);

        SecretBinding second = new SecretBinding("s2", "p", "st");
        StoredRef b = store.store(second, new byte[] {3}, Map.of("other-store", "x", "st", kek));
        assertThat(kekOf(b)).isEqualTo(kek);
        assertThat(store.retrieve(first, a)).containsExactly(1, 2);
        assertThat(store.retrieve(second, b)).containsExactly(3);
    }

    @Test
    void refusesAnotherProjectsKek() {
        String kek = kekOf(store.store(new SecretBinding("s1", "p", "st"), new byte[] {1}, Map.of()));
        assertThatThrownBy(() -> store.store(new SecretBinding("s2", "q", "st"), new byte[] {1}, Map.of("st", kek)))
                .isInstanceOf(StoreException.class).hasMessageContaining("another project's KEK");
    }
}
