package org.portcullis.containers;

import org.portcullis.auth.PolicyTarget;
import org.portcullis.auth.RequestContext;

/**
 * What a container's ACL grants the caller, for the policy target of entity rules. Implemented
 * by the ACL feature; containers only ask.
 */
@FunctionalInterface
public interface ContainerAcls {
    PolicyTarget.AclView viewFor(RequestContext ctx, String containerId);
}
