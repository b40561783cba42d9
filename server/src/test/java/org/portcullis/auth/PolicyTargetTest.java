package org.portcullis.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.portcullis.auth.PolicyTarget.AclView;

class PolicyTargetTest {
    @Test
    void withoutAnAclTheProjectMayRead() {
        assertThat(PolicyTarget.secret("p", "u", null).values()).isEqualTo(Map.of("target.secret.project_id", "p",
                "target.secret.creator_id", "u", "target.secret.read_project_access", "True"));
    }

    @Test
    void anAclSaysWhetherTheCallerIsListedAndTheProjectMayRead() {
        assertThat(PolicyTarget.container("p", null, new AclView(true, false)).values()).isEqualTo(Map.of(
                "target.container.project_id", "p", "target.container.creator_id", "null", // as the caller without a user id compares
                "target.container.read", "read", "target.container.read_project_access", "False"));
        assertThat(PolicyTarget.of("order", "p", "u", AclView.DEFAULT).values()).isEqualTo(Map.of(
                "target.order.project_id", "p", "target.order.creator_id", "u",
                "target.order.read_project_access", "True"));
    }
}
