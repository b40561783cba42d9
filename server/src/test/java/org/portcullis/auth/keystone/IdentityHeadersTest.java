package org.portcullis.auth.keystone;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdentityHeadersTest {
    @Test
    void headersTheAuthLayerSetsAreIdentityHeadersInAnyCase() {
        for (String h : new String[] {"X-Roles", "x-roles", "X-PROJECT-ID", "X-User-Id", "X-Identity-Status",
                "OpenStack-System-Scope", "X-Is-Admin-Project", "X-Domain-Id", "X-Project-Domain-Name",
                "X-Service-Roles", "X-Service-Project-Id", "X-Service-Identity-Status", "X-Tenant-Id", "X-Role",
                "X-Service-Catalog"}) {
            assertThat(IdentityHeaders.isIdentityHeader(h)).as(h).isTrue();
        }
    }

    @Test
    void credentialsAndOrdinaryHeadersAreNot() {
        for (String h : new String[] {"X-Auth-Token", "X-Storage-Token", "X-Service-Token", "Accept",
                "Content-Type", "OpenStack-API-Version", "X-Openstack-Request-Id"}) {
            assertThat(IdentityHeaders.isIdentityHeader(h)).as(h).isFalse();
        }
    }
}
