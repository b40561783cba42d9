package org.portcullis.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {
    @Test
    void aVersion7UuidInCanonicalFormCarryingTheCreationTime() {
        long millis = 1_765_000_000_123L;
        String id = TimeOrderedIds.next(millis);
        UUID u = UUID.fromString(id);
        assertThat(u.toString()).isEqualTo(id);
        assertThat(u.version()).isEqualTo(7);
        assertThat(u.variant()).isEqualTo(2);
        assertThat(u.getMostSignificantBits() >>> 16).isEqualTo(millis);
    }

    @Test
    void idsOfLaterMillisecondsSortAfterAndNoTwoAreEqual() {
        List<String> ids = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (long ms = 1_765_000_000_000L; ms < 1_765_000_000_000L + 200; ms++) {
            List<String> same = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                same.add(TimeOrderedIds.next(ms));
            }
            // the text order, which the indexes keep, is the time order across milliseconds
            same.sort(null);
            if (!ids.isEmpty()) {
                assertThat(same.get(0)).isGreaterThan(ids.get(ids.size() - 1));
            }
            ids.addAll(same);
            seen.addAll(same);
        }
        assertThat(seen).hasSize(ids.size());
    }
}
