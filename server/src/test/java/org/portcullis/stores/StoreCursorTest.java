package org.portcullis.stores;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walk's contract on the migrated schema: every row once in (created_at, id) order with ties
 * on created_at across page boundaries; rows created during the walk after the cursor are seen,
 * those behind it (same millisecond, smaller id) are not, and nothing is seen twice.
 */
class StoreCursorTest {
    private record Key(long createdAt, String id) {}

    @TempDir
    Path dir;

    private OneSoftwareStore st;

    @BeforeEach
    void open() {
        st = OneSoftwareStore.open(dir);
    }

    @AfterEach
    void close() {
        st.close();
    }

    private void secret(String id, long createdAt) {
        st.insertSecret(id, createdAt, new byte[] {1}); // the walk reads keys only
    }

    /** Walks the store in pages of {@code size}; {@code afterPage} runs after each page is read. */
    private List<Key> walk(int size, Consumer<Integer> afterPage) {
        List<Key> seen = new ArrayList<>();
        StoreCursor after = StoreCursor.START;
        for (int n = 0; ; n++) {
            StoreCursor from = after;
            List<Key> page = st.db().read(h -> from.bind(h.createQuery("SELECT created_at, id FROM secrets "
                    + "WHERE store_id = 'st' AND NOT deleted" + StoreCursor.NEXT_PAGE), size)
                    .map((rs, c) -> new Key(rs.getLong(1), rs.getString(2))).list());
            if (page.isEmpty()) {
                return seen;
            }
            seen.addAll(page);
            Key last = page.get(page.size() - 1);
            after = StoreCursor.at(last.createdAt(), last.id());
            afterPage.accept(n);
        }
    }

    @Test
    void everyRowOnceInIndexOrderWithTiesAcrossPages() {
        secret("z", 1);
        for (char c = 'a'; c <= 'g'; c++) {
            secret(String.valueOf(c), 5); // seven rows of one millisecond over three pages of 3
        }
        secret("a0", 9);
        List<Key> seen = walk(3, n -> { });
        assertThat(seen).extracting(Key::id).containsExactly("z", "a", "b", "c", "d", "e", "f", "g", "a0");
    }

    @Test
    void rowsCreatedDuringTheWalkAreSeenWhenAfterTheCursorAndNeverTwice() {
        for (char c = 'a'; c <= 'f'; c++) {
            secret(String.valueOf(c), 5);
        }
        List<Key> seen = walk(2, n -> {
            if (n == 0) { // the cursor is at (5, "b")
                secret("a1", 5); // same millisecond, behind the cursor: left to the next walk
                secret("c1", 5); // same millisecond, after it
                secret("0", 7); // a later millisecond, any id
            }
            if (n == 1) {
                st.db().write(h -> h.execute("UPDATE secrets SET deleted = TRUE WHERE id = 'e'")); // left the walk
            }
        });
        assertThat(seen).extracting(Key::id).containsExactly("a", "b", "c", "c1", "d", "f", "0");
        assertThat(walk(100, n -> { })).extracting(Key::id)
                .containsExactly("a", "a1", "b", "c", "c1", "d", "f", "0");
    }

    @Test
    void anEmptyStoreEndsAtOnce() {
        assertThat(walk(10, n -> { })).isEmpty();
    }
}
