package org.portcullis.auth.keystone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.portcullis.config.PortcullisConfig.KeystoneSettings;

/**
 * The two Keystone v3 calls auth_token makes: the service user's password login and token
 * validation. Anything that is not a definite answer from Keystone (refused connection,
 * timeout, 5xx, an unreadable body) is a {@link KeystoneUnavailableException}.
 */
final class KeystoneClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeystoneSettings settings;
    private final HttpClient http;

    /** A token of the service user and when Keystone says it expires. */
    record ServiceToken(String token, Instant expiresAt) {}

    /** Keystone's answer about a subject token. */
    sealed interface Validation {
        record Valid(TokenInfo token) implements Validation {}

        /** 404: the token does not exist, is expired or revoked. */
        record Invalid() implements Validation {}

        /** 401/403: Keystone refused the service token itself (expired, or lacks the role). */
        record ServiceTokenRefused(int status) implements Validation {}
    }

    KeystoneClient(KeystoneSettings settings) {
        this.settings = settings;
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (settings.caFile() != null) {
            b.sslContext(trusting(settings.caFile()));
        }
        this.http = b.build();
    }

    URI identityUri() {
        return settings.identityUri();
    }

    /**
     * Logs the service user in ({@code POST /v3/auth/tokens}, project-scoped).
     *
     * @throws KeystoneUnavailableException also when Keystone refuses the credentials: without a
     *     service token no request can be authenticated, which is an outage, not a client error
     */
    ServiceToken login() {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode identity = body.putObject("auth").putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode user = identity.putObject("password").putObject("user");
        user.put("name", settings.username());
        user.set("domain", domain(settings.userDomain()));
        user.put("password", settings.password());
        ObjectNode project = ((ObjectNode) body.get("auth")).putObject("scope").putObject("project");
        project.put("name", settings.projectName());
        project.set("domain", domain(settings.projectDomain()));
        HttpRequest request = HttpRequest.newBuilder(endpoint("auth/tokens?nocatalog"))
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body)))
                .build();
        HttpResponse<byte[]> response = send(request);
        int status = response.statusCode();
        if (status == 401 || status == 403 || status == 404) {
            throw new KeystoneUnavailableException("Keystone refused the service credentials of [keystone_authtoken] "
                    + "username " + settings.username() + " (HTTP " + status + ")", true);
        }
        if (status != 201 && status != 200) {
            throw new KeystoneUnavailableException("service login answered HTTP " + status, false);
        }
        String token = response.headers().firstValue("X-Subject-Token").orElse(null);
        if (token == null) {
            throw new KeystoneUnavailableException("service login answer has no X-Subject-Token", false);
        }
        return new ServiceToken(token, parse(response).expiresAt());
    }

    /** {@code GET /v3/auth/tokens} with the service token and the subject token. */
    Validation validate(String serviceToken, String subjectToken, boolean allowExpired) {
        HttpRequest request = HttpRequest.newBuilder(endpoint("auth/tokens?nocatalog" + (allowExpired ? "&allow_expired=1" : "")))
                .timeout(settings.requestTimeout())
                .header("Accept", "application/json")
                .header("X-Auth-Token", serviceToken)
                .header("X-Subject-Token", subjectToken)
                .GET()
                .build();
        HttpResponse<byte[]> response = send(request);
        int status = response.statusCode();
        return switch (status) {
            case 200 -> new Validation.Valid(parse(response));
            case 404 -> new Validation.Invalid();
            case 401, 403 -> new Validation.ServiceTokenRefused(status);
            // 400: Keystone could not even read the subject token (e.g. not a fernet token's shape)
            case 400 -> new Validation.Invalid();
            default -> throw new KeystoneUnavailableException("token validation answered HTTP " + status, false);
        };
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (java.net.http.HttpTimeoutException e) {
                throw e; // Keystone is slow or away: asking again would only double the wait
            } catch (IOException e) {
                // A pooled connection the server had closed (uwsgi's http-socket closes after each
                // answer without saying so): both calls are safe to repeat once on a new connection.
                return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            }
        } catch (IOException e) {
            // the message names the failure (connection refused, timed out), never a credential
            throw new KeystoneUnavailableException(e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeystoneUnavailableException("interrupted while waiting for Keystone", false);
        }
    }

    private static TokenInfo parse(HttpResponse<byte[]> response) {
        try {
            return TokenInfo.parse(JSON.readTree(response.body()).get("token"));
        } catch (IOException | IllegalArgumentException e) {
            throw new KeystoneUnavailableException("unreadable token answer: " + e.getMessage(), false);
        }
    }

    private URI endpoint(String relative) {
        return URI.create(settings.identityUri() + "/" + relative);
    }

    private static ObjectNode domain(KeystoneSettings.Domain d) {
        ObjectNode n = JSON.createObjectNode();
        if (d.id() != null) {
            n.put("id", d.id());
        } else {
            n.put("name", d.name());
        }
        return n;
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An SSL context that trusts exactly the PEM certificates in {@code caFile} ({@code cafile}). */
    private static SSLContext trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, cert);
            }
            if (i == 0) {
                throw new IllegalArgumentException(caFile + " ([keystone_authtoken] cafile) holds no PEM certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read " + caFile + " ([keystone_authtoken] cafile): " + e.getMessage(), e);
        }
    }
}
