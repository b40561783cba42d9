package org.portcullis.auth;

import java.util.Objects;
import org.portcullis.http.ApiException;

/**
 * Who may do what. Every service method asks here before it touches data; the rules are
 * Barbican's default legacy policy (admin, creator, observer, audit,
 * key-manager:service-admin), with a project boundary that even admins do not cross.
 */
public final class Policy {
    public static final String ADMIN = "admin";
    public static final String CREATOR = "creator";
    public static final String OBSERVER = "observer";
    public static final String AUDIT = "audit";
    public static final String SERVICE_ADMIN = "key-manager:service-admin";

    /** What a rule is evaluated against: the owning project and creator of the target. */
    public record Target(String projectId, String creatorId) {}

    public enum Action {
        SECRETS_LIST("Secret(s) retrieval"),
        SECRET_CREATE("Secret creation"),
        SECRET_GET("Secret retrieval"),
        SECRET_DECRYPT("Secret payload retrieval"),
        SECRET_PUT("Secret update"),
        SECRET_DELETE("Secret deletion"),
        SECRET_META_GET("Secret metadata retrieval"),
        SECRET_META_CHANGE("Secret metadata update"),
        STORES_READ("Secret store retrieval"),
        STORE_PREFERRED_CHANGE("Preferred secret store update");

        private final String operation;

        Action(String operation) {
            this.operation = operation;
        }

        public String operation() {
            return operation;
        }
    }

    /** Throws 403 unless {@code ctx} may perform {@code action} (on {@code target}, if any). */
    public void enforce(RequestContext ctx, Action action, Target target) {
        if (!allowed(ctx, action, target)) {
            throw ApiException.forbidden(action.operation()
                    + " attempt not allowed - please review your user/project privileges");
        }
    }

    public void enforce(RequestContext ctx, Action action) {
        enforce(ctx, action, null);
    }

    boolean allowed(RequestContext ctx, Action action, Target target) {
        boolean admin = ctx.hasRole(ADMIN);
        boolean creator = ctx.hasRole(CREATOR);
        boolean observer = ctx.hasRole(OBSERVER);
        boolean audit = ctx.hasRole(AUDIT);
        boolean sameProject = target == null || Objects.equals(target.projectId(), ctx.projectId());
        boolean ownSecret = target != null && ctx.userId() != null && Objects.equals(target.creatorId(), ctx.userId());
        return switch (action) {
            case SECRETS_LIST -> admin || creator || observer;
            case SECRET_CREATE -> admin || creator;
            case SECRET_GET, SECRET_META_GET -> sameProject && (admin || creator || observer || audit);
            case SECRET_DECRYPT -> sameProject && (admin || creator || observer);
            case SECRET_PUT, SECRET_META_CHANGE -> sameProject && (admin || creator);
            case SECRET_DELETE -> sameProject && (admin || (creator && ownSecret));
            case STORES_READ -> admin || creator || observer || audit || ctx.hasRole(SERVICE_ADMIN);
            case STORE_PREFERRED_CHANGE -> admin;
        };
    }
}
