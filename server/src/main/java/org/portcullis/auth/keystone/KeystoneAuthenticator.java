package org.portcullis.auth.keystone;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.portcullis.auth.Authenticator;
import org.portcullis.auth.RequestContext;
import org.portcullis.config.PortcullisConfig.KeystoneSettings;
import org.portcullis.http.ApiException;
import org.portcullis.http.Exchange;
import org.portcullis.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keystone token authentication, as keystonemiddleware's auth_token does it in front of
 * Barbican: the caller's {@code X-Auth-Token} is validated with Keystone ({@code GET
 * /v3/auth/tokens}, authorised by the service user's own token) and its project, user and roles
 * become the request's context. Identity headers a client sends are stripped first. Validated
 * tokens are cached ({@link TokenCache}); a Keystone that cannot be reached gives 503 for tokens
 * not in the cache, while cached ones keep working until their entry expires.
 */
public final class KeystoneAuthenticator implements Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(KeystoneAuthenticator.class);
    /** Log in again this long before the service token expires, so no request meets an expired one. */
    private static final Duration SERVICE_TOKEN_MARGIN = Duration.ofMinutes(2);

    private final KeystoneSettings settings;
    private final KeystoneClient keystone;
    private final TokenCache cache;
    private final Clock clock;
    private final String wwwAuthenticate;
    private final String unavailable;
    /** After a failed login, requests fail fast until then instead of queueing on the lock. */
    private static final Duration LOGIN_BACKOFF = Duration.ofSeconds(2);
    private KeystoneClient.ServiceToken serviceToken; // guarded by this
    private java.time.Instant loginBackoffUntil = java.time.Instant.MIN; // guarded by this

    private final MeterRegistry meters;
    private final Counter cacheHits;
    private final Counter cacheMisses;

    /** With validation latency ({@code portcullis_keystone_validations}) and token-cache hits and misses measured. */
    public KeystoneAuthenticator(KeystoneSettings settings, Clock clock, MeterRegistry meters) {
        this.meters = meters;
        this.cacheHits = Counter.builder("portcullis.keystone.token.cache").tag("result", "hit")
                .description("Token lookups answered by the cache (hit) or sent to Keystone (miss)").register(meters);
        this.cacheMisses = Counter.builder("portcullis.keystone.token.cache").tag("result", "miss")
                .description("Token lookups answered by the cache (hit) or sent to Keystone (miss)").register(meters);
        this.settings = settings;
        this.keystone = new KeystoneClient(settings);
        this.cache = new TokenCache(settings.cacheTime(), settings.cacheSize(), clock);
        this.clock = clock;
        this.wwwAuthenticate = "Keystone uri=\"" + settings.wwwAuthenticateUri() + "\"";
        this.unavailable = "The identity service (Keystone at " + settings.identityUri()
                + ") is unreachable; the request was not authenticated. Retry later.";
    }

    @Override
    public RequestContext authenticate(Exchange exchange) {
        exchange.hideHeaders(IdentityHeaders::isIdentityHeader);
        String token = firstPresent(exchange.header("X-Auth-Token"), exchange.header("X-Storage-Token"));
        if (token == null) {
            throw unauthorized("The request you have made requires authentication: send a Keystone token "
                    + "in X-Auth-Token.");
        }
        boolean allowExpired = false;
        String serviceTokenHeader = firstPresent(exchange.header("X-Service-Token"), null);
        if (serviceTokenHeader != null) {
            TokenInfo service = lookup(serviceTokenHeader, false);
            if (service == null) {
                throw unauthorized("The service token in X-Service-Token is invalid or has expired.");
            }
            boolean hasRole = service.roles().stream().anyMatch(r -> containsIgnoreCase(settings.serviceTokenRoles(), r));
            if (!hasRole && settings.serviceTokenRolesRequired()) {
                throw unauthorized("The service token in X-Service-Token has none of the roles "
                        + settings.serviceTokenRoles() + " that [keystone_authtoken] service_token_roles requires.");
            }
            if (!hasRole) {
                LOG.warn("{} X-Service-Token of user {} has none of the service_token_roles {}; accepted because "
                        + "service_token_roles_required is False", exchange.requestId(), service.userId(),
                        settings.serviceTokenRoles());
            }
            allowExpired = hasRole; // a real service may act on a user token that expired meanwhile
        }
        TokenInfo info = lookup(token, allowExpired);
        if (info == null) {
            throw unauthorized("The token in X-Auth-Token is invalid, expired or revoked.");
        }
        return switch (info.scope()) {
            case PROJECT -> RequestContext.project(info.projectId(), info.userId(), Set.copyOf(info.roles()),
                    exchange.requestId());
            // Barbican's current policies are all project-scoped (scope_types = ['project']); oslo.policy
            // refuses other scopes before any rule is evaluated.
            case SYSTEM -> throw ApiException.forbidden("A system-scoped token cannot use the Key Manager API: "
                    + "its policies are project-scoped. Request a token scoped to a project.");
            case DOMAIN, UNSCOPED -> throw unauthorized("The token is not scoped to a project; the Key Manager API "
                    + "needs a project-scoped token.");
        };
    }

    /** The token's details, from the cache or Keystone; null when Keystone says it is invalid. */
    private TokenInfo lookup(String token, boolean allowExpired) {
        String key = TokenCache.key(allowExpired ? "allow-expired" : "token", token);
        TokenCache.Entry cached = cache.get(key);
        if (cached != null) {
            cacheHits.increment();
            return cached.info();
        }
        cacheMisses.increment();
        KeystoneClient.Validation answer;
        long start = System.nanoTime();
        String outcome = "unavailable";
        try {
            answer = validate(token, allowExpired);
            outcome = answer instanceof KeystoneClient.Validation.Valid ? "valid" : "invalid";
        } catch (KeystoneUnavailableException e) {
            if (e.credentials()) {
                LOG.error("Keystone at {} refused Portcullis's service login: {}. Check [keystone_authtoken] username, "
                        + "password, project_name and the domains; no new token can be validated until then.",
                        settings.identityUri(), e.getMessage());
            } else {
                LOG.warn("Keystone at {} is unavailable: {}", settings.identityUri(), e.getMessage());
            }
            throw new ApiException(503, unavailable);
        } finally {
            Timer.builder("portcullis.keystone.validations").description("Token validations with Keystone")
                    .tag("outcome", outcome).serviceLevelObjectives(Metrics.LATENCY_BUCKETS).register(meters)
                    .record(java.time.Duration.ofNanos(System.nanoTime() - start));
        }
        if (answer instanceof KeystoneClient.Validation.Valid valid) {
            TokenInfo info = valid.token();
            if (!allowExpired && !clock.instant().isBefore(info.expiresAt())) {
                cache.putInvalid(key);
                return null;
            }
            cache.putValid(key, info);
            return info;
        }
        cache.putInvalid(key);
        return null;
    }

    /** Validates with the current service token; logs in again once if Keystone refuses it. */
    private KeystoneClient.Validation validate(String token, boolean allowExpired) {
        KeystoneClient.ServiceToken service = serviceToken(null);
        KeystoneClient.Validation answer = keystone.validate(service.token(), token, allowExpired);
        if (answer instanceof KeystoneClient.Validation.ServiceTokenRefused) {
            service = serviceToken(service); // expired or revoked meanwhile: one fresh login
            answer = keystone.validate(service.token(), token, allowExpired);
        }
        if (answer instanceof KeystoneClient.Validation.ServiceTokenRefused refused) {
            throw new KeystoneUnavailableException("Keystone refused to let [keystone_authtoken] user "
                    + settings.username() + " validate tokens (HTTP " + refused.status()
                    + "); it needs the service role (or admin) in project " + settings.projectName(), true);
        }
        return answer;
    }

    /** The service token, logging in when there is none, it nears expiry, or it is {@code refused}. */
    private synchronized KeystoneClient.ServiceToken serviceToken(KeystoneClient.ServiceToken refused) {
        boolean stale = serviceToken == null || serviceToken == refused
                || !clock.instant().plus(SERVICE_TOKEN_MARGIN).isBefore(serviceToken.expiresAt());
        if (stale) {
            if (clock.instant().isBefore(loginBackoffUntil)) {
                throw new KeystoneUnavailableException("the last service login failed moments ago", false);
            }
            try {
                serviceToken = keystone.login();
            } catch (KeystoneUnavailableException e) {
                loginBackoffUntil = clock.instant().plus(LOGIN_BACKOFF);
                throw e;
            }
            LOG.info("logged in to Keystone at {} as service user {} (token valid until {})", settings.identityUri(),
                    settings.username(), serviceToken.expiresAt());
        }
        return serviceToken;
    }

    private ApiException unauthorized(String description) {
        return new ApiException(401, description).withHeader("WWW-Authenticate", wwwAuthenticate);
    }

    private static boolean containsIgnoreCase(Set<String> set, String value) {
        return set.stream().anyMatch(s -> s.equalsIgnoreCase(value));
    }

    private static String firstPresent(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a.strip();
        }
        return b != null && !b.isBlank() ? b.strip() : null;
    }

    /** For tests and diagnostics: how many tokens are cached. */
    int cachedTokens() {
        return cache.size();
    }
}
