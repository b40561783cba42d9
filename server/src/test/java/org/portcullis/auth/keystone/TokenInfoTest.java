package org.portcullis.auth.keystone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Token bodies as Keystone 22 (Debian bookworm) returns them from GET /v3/auth/tokens. */
class TokenInfoTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TokenInfo parse(String json) throws Exception {
        return TokenInfo.parse(JSON.readTree(json).get("token"));
    }

    @Test
    void projectScopedTokenGivesProjectUserAndExpandedRoles() throws Exception {
        TokenInfo t = parse("""
                {"token": {"methods": ["password"], "user": {"domain": {"id": "default", "name": "Default"},
                 "id": "cfada3e0", "name": "a-member", "password_expires_at": null}, "audit_ids": ["GHNv"],
                 "expires_at": "2026-11-23T22:20:57.000000Z", "issued_at": "2026-11-23T21:20:57.000000Z",
                 "project": {"domain": {"id": "default", "name": "Default"}, "id": "5e6c6cb8", "name": "portcullis-a"},
                 "is_domain": false, "roles": [{"id": "0011", "name": "reader"}, {"id": "4e6d", "name": "member"}]}}
                """);
        assertThat(t.scope()).isEqualTo(TokenInfo.Scope.PROJECT);
        assertThat(t.userId()).isEqualTo("cfada3e0");
        assertThat(t.userName()).isEqualTo("a-member");
        assertThat(t.userDomainName()).isEqualTo("Default");
        assertThat(t.projectId()).isEqualTo("5e6c6cb8");
        assertThat(t.projectName()).isEqualTo("portcullis-a");
        assertThat(t.projectDomainId()).isEqualTo("default");
        assertThat(t.roles()).containsExactly("reader", "member");
        assertThat(t.expiresAt()).isEqualTo(Instant.parse("2026-11-23T22:20:57Z"));
        assertThat(t.isAdminProject()).isTrue();
    }

    @Test
    void systemScopedTokenHasNoProject() throws Exception {
        TokenInfo t = parse("""
                {"token": {"user": {"domain": {"id": "default", "name": "Default"}, "id": "624f", "name": "admin"},
                 "expires_at": "2026-11-23T22:20:58.000000Z", "roles": [{"id": "1c0e", "name": "admin"}],
                 "system": {"all": true}}}
                """);
        assertThat(t.scope()).isEqualTo(TokenInfo.Scope.SYSTEM);
        assertThat(t.projectId()).isNull();
        assertThat(t.systemAll()).isTrue();
    }

    @Test
    void domainScopedAndUnscopedTokensAreRecognised() throws Exception {
        assertThat(parse("""
                {"token": {"user": {"id": "u"}, "expires_at": "2030-01-01T00:00:00Z",
                 "domain": {"id": "default", "name": "Default"}, "roles": [{"name": "admin"}]}}
                """).scope()).isEqualTo(TokenInfo.Scope.DOMAIN);
        assertThat(parse("""
                {"token": {"user": {"id": "u"}, "expires_at": "2030-01-01T00:00:00Z"}}
                """).scope()).isEqualTo(TokenInfo.Scope.UNSCOPED);
    }

    @Test
    void isAdminProjectFalseIsKept() throws Exception {
        assertThat(parse("""
                {"token": {"user": {"id": "u"}, "expires_at": "2030-01-01T00:00:00Z", "is_admin_project": false,
                 "project": {"id": "p"}}}
                """).isAdminProject()).isFalse();
    }

    @Test
    void missingUserOrExpiryIsRefused() {
        assertThatThrownBy(() -> parse("{\"token\": {\"expires_at\": \"2030-01-01T00:00:00Z\"}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user.id");
        assertThatThrownBy(() -> parse("{\"token\": {\"user\": {\"id\": \"u\"}}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expires_at");
        assertThatThrownBy(() -> parse("{\"token\": {\"user\": {\"id\": \"u\"}, \"expires_at\": \"soon\"}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("soon");
        assertThatThrownBy(() -> parse("{}")).isInstanceOf(IllegalArgumentException.class);
    }
}
