package org.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PageLinksTest {
    private static final String URL = "http://kms:9311/v1/secrets";

    private static Map<String, Object> links(Map<String, String> query, int limit, int offset, int total, int returned) {
        Map<String, Object> body = new LinkedHashMap<>();
        PageLinks.add(body, URL, query, limit, offset, total, returned);
        return body;
    }

    @Test
    void emptyPageHasNoLinks() {
        assertThat(links(Map.of(), 10, 20, 5, 0)).isEmpty();
        assertThat(links(Map.of(), 10, 0, 0, 0)).isEmpty();
    }

    @Test
    void singleCompletePageHasNoLinks() {
        assertThat(links(Map.of(), 10, 0, 7, 7)).isEmpty();
        assertThat(links(Map.of(), 10, 0, 10, 10)).isEmpty();
    }

    @Test
    void firstPageOfSeveralHasOnlyNext() {
        assertThat(links(Map.of(), 10, 0, 25, 10))
                .containsExactly(Map.entry("next", URL + "?limit=10&offset=10"));
    }

    @Test
    void middlePageHasBoth() {
        assertThat(links(Map.of(), 10, 10, 25, 10))
                .containsEntry("previous", URL + "?limit=10&offset=0")
                .containsEntry("next", URL + "?limit=10&offset=20")
                .hasSize(2);
    }

    @Test
    void lastPageHasOnlyPrevious() {
        assertThat(links(Map.of(), 10, 20, 25, 5))
                .containsExactly(Map.entry("previous", URL + "?limit=10&offset=10"));
    }

    @Test
    void previousOffsetClampsAtZero() {
        assertThat(links(Map.of(), 10, 3, 25, 10))
                .containsEntry("previous", URL + "?limit=10&offset=0")
                .containsEntry("next", URL + "?limit=10&offset=13");
    }

    @Test
    void otherQueryParametersAreKeptEncodedAndPagingOnesNotDuplicated() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("limit", "10");
        query.put("name", "my secret");
        query.put("offset", "10");
        query.put("sort", "created:desc");

        Map<String, Object> body = links(query, 10, 10, 30, 10);

        assertThat(body.get("previous")).isEqualTo(URL + "?limit=10&offset=0&name=my+secret&sort=created%3Adesc");
        assertThat(body.get("next")).isEqualTo(URL + "?limit=10&offset=20&name=my+secret&sort=created%3Adesc");
    }

    @Test
    void existingBodyEntriesAreKept() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total", 30);
        PageLinks.add(body, URL, Map.of(), 10, 0, 30, 10);
        assertThat(body).containsEntry("total", 30).containsKey("next");
    }
}
