package org.portcullis.auth;

import org.portcullis.http.Exchange;

/**
 * Establishes the {@link RequestContext} of a {@code /v1} request, or rejects it. No-auth reads
 * Barbican's unauthenticated-context headers; Keystone token validation plugs in here too.
 */
public interface Authenticator {
    RequestContext authenticate(Exchange exchange);
}
