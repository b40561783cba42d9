package org.portcullis.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.DatabaseSettings;
import org.portcullis.db.Database;
import org.portcullis.stores.StoredRef;
import org.portcullis.testing.TestDatabases;

/**
 * A page past the middle of a list is read from its end in the reverse order
 * ({@link SecretRepository#list}); it must be exactly the page the forward query gives: every
 * offset and several limits, with ties on created_at, soft-deleted and expired rows, another
 * project's rows, filters and sort keys, the ACL-granted list (acl_only), and rows added and deleted between the total and the page.
 * Also: a listed row reads back every value of its secret. Subclasses pick the database.
 */
abstract class SecretListFromEndIT {
    private static final long NOW = 1_800_000_000_000L;
    private static final String P = "p";

    @TempDir
    Path dir;

    private Database db;
    private final SecretRepository repo = new SecretRepository();
    private final List<Secret> rows = new ArrayList<>();
    private final Set<String> deleted = new java.util.HashSet<>();
    private final Set<String> granted = new java.util.HashSet<>();

    protected abstract TestDatabases.Kind kind();

    @BeforeEach
    void fill() throws Exception {
        db = Database.open(DatabaseSettings.parse(TestDatabases.fresh(kind(), dir), 4, dir));
        db.write(h -> h.execute("INSERT INTO secret_stores (id, name, store_plugin, global_default, created_at, "
                + "updated_at) VALUES ('st', 'default', 'store_crypto', TRUE, 0, 0)"));
        for (int i = 0; i < 57; i++) {
            // created_at in groups of five equal times: the order among them is the id's
            Long expiration = i % 7 == 3 ? Long.valueOf(NOW - 1) : i % 7 == 5 ? Long.valueOf(NOW + 1) : null;
            rows.add(secret(i % 9 == 0 ? "q" : P, i % 3 == 0 ? null : i % 3 == 1 ? "named" : "other",
                    i % 4 == 0 ? null : 128 * (i % 4), expiration, NOW - 1000 + i / 5));
        }
        db.write(h -> {
            repo.insertAll(h, rows);
            for (int i = 0; i < rows.size(); i += 2) { // read granted to user u1, in both projects
                String id = rows.get(i).id();
                h.execute("INSERT INTO acls (id, entity_type, entity_id, operation, project_access, created_at, "
                        + "updated_at) VALUES (?, 'secret', ?, 'read', FALSE, 0, 0)", "acl-" + id, id);
                h.execute("INSERT INTO acl_users (acl_id, user_id, created_at) VALUES (?, 'u1', 0)", "acl-" + id);
                granted.add(id);
            }
            return null;
        });
        for (int i = 2; i < rows.size(); i += 6) {
            String id = rows.get(i).id();
            db.write(h -> repo.delete(h, id, NOW));
            deleted.add(id);
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void everyPageFromTheEndIsTheForwardPage() {
        List<SecretFilter> filters = List.of(filter(null, List.of(), List.of()),
                filter("named", List.of(), List.of()),
                filter(null, List.of(new SecretFilter.TimeCondition("created_at", ">=", NOW - 995)), List.of()),
                filter(null, List.of(), List.of(new SecretFilter.SortKey("name", true),
                        new SecretFilter.SortKey("bit_length", false))));
        for (String aclUser : new String[] {null, "u1"}) {
            for (SecretFilter f : filters) {
                assertPagesMatch(aclUser, f);
            }
        }
    }

    /**
     * A listed row carries every value of its secret exactly, whatever the way the list reads its
     * columns: NULLs, empty and awkward strings (spaces, quotes, control and non-BMP characters),
     * zero and extreme numbers, with and without a payload (a list never reads the ciphertext, only
     * whether there is one). Both the page and the first-page statement. The project and store ids
     * are not read (null): the list's JSON shows neither.
     */
    @Test
    void listedRowsCarryEveryValueExactly() {
        List<Secret> made = List.of(
                new Secret(UUID.randomUUID().toString(), "m", null, null, SecretType.SYMMETRIC, null, null, null, null,
                        "ACTIVE", "st", null, null, 1L, 2L),
                new Secret(UUID.randomUUID().toString(), "m", "user 1", "a b  c \"q\" ' \u001f\t\uD83D\uDE00 é", SecretType.PRIVATE,
                        "r s a", 0, "c b c", NOW + 86_400_000L * 365 * 100, "ERROR", "st", "text/plain; charset=utf-8",
                        new StoredRef(new byte[] {7}), NOW - 5, NOW + 5),
                new Secret(UUID.randomUUID().toString(), "m", "", "", SecretType.OPAQUE, "", Integer.MAX_VALUE, "",
                        Long.MAX_VALUE, "PENDING", "st", "", new StoredRef(new byte[] {8}), NOW, NOW));
        db.write(h -> {
            repo.insertAll(h, made);
            return null;
        });
        SecretFilter all = page(filter(null, List.of(), List.of()), 100, 0);
        SecretListQuery query = SecretListQuery.of("m", null, all, NOW);
        for (SecretRepository.Page got : List.of(db.read(query::page), db.readConnection(query::firstPage))) {
            assertThat(got.total()).isEqualTo(3);
            assertThat(got.secrets()).hasSize(3);
            for (int i = 0; i < 3; i++) {
                Secret in = made.get(i);
                Secret out = got.secrets().get(i);
                assertThat(out).usingRecursiveComparison().ignoringFields("stored", "projectId", "storeId").isEqualTo(in);
                assertThat(out.projectId()).isNull();
                assertThat(out.storeId()).isNull();
                assertThat(out.hasPayload()).isEqualTo(in.hasPayload());
            }
        }
    }

    private void assertPagesMatch(String aclUser, SecretFilter f) {
        List<String> all = ids(db.read(h -> repo.list(h, P, aclUser, page(f, 1000, 0), NOW)));
        assertThat(Set.copyOf(all)).as("the rows of " + f + " for " + aclUser).isEqualTo(expected(aclUser, f));
        assertThat(all).as("no duplicates").doesNotHaveDuplicates();
        for (int limit : new int[] {1, 3, 7, 1000}) {
            for (int offset = 0; offset <= all.size() + 1; offset++) {
                int o = offset;
                SecretRepository.Page got = db.read(h -> repo.list(h, P, aclUser, page(f, limit, o), NOW));
                assertThat(got.total()).isEqualTo(all.size());
                assertThat(ids(got)).as("offset " + offset + ", limit " + limit + ", " + f + " for " + aclUser)
                        .isEqualTo(all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size())));
            }
            // the first page in one statement: the same rows and total
            SecretListQuery firstQuery = SecretListQuery.of(P, aclUser, page(f, limit, 0), NOW);
            SecretRepository.Page first = db.readConnection(firstQuery::firstPage);
            assertThat(first.total()).isEqualTo(all.size());
            assertThat(ids(first)).isEqualTo(all.subList(0, Math.min(limit, all.size())));
        }
    }

    /**
     * Two rows added at the end and one of the page deleted after the total was read: the page is the
     * forward page of whatever snapshot the page statement reads (SQLite: the read transaction's,
     * the total's; PostgreSQL: its own), never a page shifted by the change.
     */
    @Test
    void aChangeBetweenTheTotalAndThePageDoesNotShiftIt() {
        SecretFilter f = filter(null, List.of(), List.of());
        List<String> before = ids(db.read(h -> repo.list(h, P, null, page(f, 1000, 0), NOW)));
        int offset = before.size() - 6, limit = 4;
        List<Secret> added = List.of(secret(P, null, null, null, NOW - 10), secret(P, null, null, null, NOW - 10));
        String gone = before.get(offset + 1);
        AtomicBoolean changed = new AtomicBoolean();
        SecretListQuery query = SecretListQuery.of(P, null, page(f, limit, offset), NOW);
        SecretRepository.Page got = db.read(h -> {
            int total = query.total(h);
            // after the total, before the page
            CompletableFuture.runAsync(() -> db.write(w -> {
                repo.insertAll(w, added);
                return repo.delete(w, gone, NOW);
            })).join();
            changed.set(true);
            return query.page(h, total);
        });
        assertThat(changed).isTrue();
        List<String> after = ids(db.read(h -> repo.list(h, P, null, page(f, 1000, 0), NOW)));
        assertThat(after).contains(added.get(0).id(), added.get(1).id()).doesNotContain(gone);
        List<String> seen = kind() == TestDatabases.Kind.SQLITE ? before : after;
        assertThat(got.total()).isEqualTo(before.size());
        assertThat(ids(got)).isEqualTo(seen.subList(offset, offset + limit));
    }

    private Set<String> expected(String aclUser, SecretFilter f) {
        long from = f.timeRanges().isEmpty() ? Long.MIN_VALUE : f.timeRanges().get(0).epochMillis();
        return rows.stream().filter(s -> aclUser == null ? s.projectId().equals(P) : granted.contains(s.id()))
                .filter(s -> !deleted.contains(s.id()))
                .filter(s -> s.expiration() == null || s.expiration() > NOW)
                .filter(s -> f.name() == null || f.name().equals(s.name()))
                .filter(s -> s.createdAt() >= from)
                .map(Secret::id).collect(Collectors.toSet());
    }

    private static List<String> ids(SecretRepository.Page p) {
        return p.secrets().stream().map(Secret::id).toList();
    }

    private static SecretFilter filter(String name, List<SecretFilter.TimeCondition> times,
            List<SecretFilter.SortKey> sort) {
        return new SecretFilter(name, null, null, null, null, times, sort, false, 10, 0);
    }

    private static SecretFilter page(SecretFilter f, int limit, int offset) {
        return new SecretFilter(f.name(), f.algorithm(), f.mode(), f.bits(), f.secretType(), f.timeRanges(), f.sort(),
                f.aclOnly(), limit, offset);
    }

    private static Secret secret(String project, String name, Integer bits, Long expiration, long created) {
        return new Secret(UUID.randomUUID().toString(), project, "u", name, SecretType.OPAQUE, null, bits, null,
                expiration, "ACTIVE", "st", "application/octet-stream", new StoredRef(new byte[] {1}), created, created);
    }
}

class SecretListFromEndSqliteIT extends SecretListFromEndIT {
    @Override
    protected TestDatabases.Kind kind() {
        return TestDatabases.Kind.SQLITE;
    }
}

class SecretListFromEndPostgresIT extends SecretListFromEndIT {
    @Override
    protected TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
