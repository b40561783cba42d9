package org.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final Route.Handler PREFERRED = x -> {};
    private static final Route.Handler BY_ID = x -> {};
    private static final Route.Handler LIST = x -> {};
    private static final Route.Handler CREATE = x -> {};
    private static final Route.Handler META_KEY = x -> {};
    private static final Route.Handler META_PUT = x -> {};
    private static final Route.Handler VERSIONS = x -> {};

    private static Router router() {
        return new Router()
                .get("/v1/secret-stores/{id}", BY_ID)
                .get("/v1/secret-stores/preferred", PREFERRED)
                .get("/v1/secrets", LIST)
                .post("/v1/secrets", CREATE)
                .get("/v1/secrets/{id}/metadata/{key}", META_KEY)
                .put("/v1/secrets/{id}/metadata/{key}", META_PUT)
                .delete("/v1/secrets/{id}/metadata/{key}", META_PUT)
                .open("GET", "/", VERSIONS);
    }

    private static Router.Resolution resolve(String method, String path) {
        return router().resolve(method, Route.split(path));
    }

    @Test
    void literalSegmentBeatsParameterWhateverTheRegistrationOrder() {
        Router.Resolution r = resolve("GET", "/v1/secret-stores/preferred");
        assertThat(r.route().handler()).isSameAs(PREFERRED);
        assertThat(r.params()).isEmpty();

        Router reversed = new Router()
                .get("/v1/secret-stores/preferred", PREFERRED)
                .get("/v1/secret-stores/{id}", BY_ID);
        assertThat(reversed.resolve("GET", Route.split("/v1/secret-stores/preferred")).route().handler())
                .isSameAs(PREFERRED);
    }

    @Test
    void parameterMatchesOtherValues() {
        Router.Resolution r = resolve("GET", "/v1/secret-stores/4e1e9c1a-0000-4000-8000-000000000001");
        assertThat(r.route().handler()).isSameAs(BY_ID);
        assertThat(r.params()).containsExactly(java.util.Map.entry("id", "4e1e9c1a-0000-4000-8000-000000000001"));
    }

    @Test
    void bindsSeveralPathParameters() {
        Router.Resolution r = resolve("PUT", "/v1/secrets/abc/metadata/color");
        assertThat(r.route().handler()).isSameAs(META_PUT);
        assertThat(r.params()).containsOnly(java.util.Map.entry("id", "abc"), java.util.Map.entry("key", "color"));
    }

    @Test
    void methodDecidesBetweenRoutesOnTheSamePath() {
        assertThat(resolve("GET", "/v1/secrets").route().handler()).isSameAs(LIST);
        assertThat(resolve("POST", "/v1/secrets").route().handler()).isSameAs(CREATE);
    }

    @Test
    void trailingAndDoubleSlashesDoNotMatter() {
        assertThat(resolve("GET", "/v1/secrets/").route().handler()).isSameAs(LIST);
        assertThat(resolve("GET", "//v1//secrets").route().handler()).isSameAs(LIST);
    }

    @Test
    void wrongMethodListsTheAllowedMethodsSorted() {
        Router.Resolution r = resolve("PATCH", "/v1/secrets/abc/metadata/color");
        assertThat(r.route()).isNull();
        assertThat(r.allowed()).containsExactly("DELETE", "GET", "PUT");

        Router.Resolution list = resolve("DELETE", "/v1/secrets");
        assertThat(list.route()).isNull();
        assertThat(list.allowed()).containsExactly("GET", "POST");
    }

    @Test
    void unknownPathHasNoRouteAndNoAllowedMethods() {
        Router.Resolution r = resolve("GET", "/v1/nothing/here");
        assertThat(r.route()).isNull();
        assertThat(r.allowed()).isEmpty();
        assertThat(r.params()).isEmpty();

        assertThat(resolve("GET", "/v1/secrets/abc/metadata").route()).isNull();
    }

    @Test
    void rootRouteIsOpenOthersAreAuthenticated() {
        Router.Resolution root = resolve("GET", "/");
        assertThat(root.route().handler()).isSameAs(VERSIONS);
        assertThat(root.route().authenticated()).isFalse();
        assertThat(resolve("GET", "/v1/secrets").route().authenticated()).isTrue();
    }

    @Test
    void aRouteIsNamedByItsTemplateNeverByThePath() {
        assertThat(resolve("GET", "/v1/secrets/abc/metadata/color").route().template())
                .isEqualTo("/v1/secrets/{id}/metadata/{key}");
        assertThat(resolve("GET", "/").route().template()).isEqualTo("/");
    }

    @Test
    void splitDropsEmptySegments() {
        assertThat(Route.split("/v1//secrets/")).isEqualTo(List.of("v1", "secrets"));
        assertThat(Route.split("/")).isEmpty();
    }
}
