package org.portcullis.stores.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.portcullis.config.ConfigException;
import org.portcullis.stores.StoreException;

/**
 * Vault's HTTP API as the store uses it: JSON in and out, {@code X-Vault-Token} and
 * {@code X-Vault-Namespace} headers, timeouts, TLS with the configured CA, and the login.
 *
 * <p>Authentication: a fixed {@code root_token_id}, or an AppRole login
 * ({@code POST /v1/auth/{auth_path}/login} with {@code role_id}/{@code secret_id}) whose
 * {@code auth.client_token} is reused until three quarters of its {@code lease_duration} have
 * passed, then replaced by a new login. A 403 on an AppRole token (revoked, expired early) gets
 * one fresh login and one retry.
 *
 * <p>Failures that mean "Vault is not serving now" (no connection, timeout, 5xx including the
 * sealed 503, 429, a 403 that a fresh login does not cure) become
 * {@link StoreException#unavailable}: nothing stored is lost. Other statuses go back to the
 * caller, which knows what a 404 or 400 means for its operation.
 */
final class VaultClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A status and the parsed body ({@link NullNode} when empty). */
    record Reply(int status, JsonNode body) {
        String errors() {
            JsonNode e = body.path("errors");
            return e.isArray() && !e.isEmpty() ? e.toString() : "[]";
        }
    }

    private final VaultSettings settings;
    private final Clock clock;
    private final HttpClient http;
    private final Object loginLock = new Object();
    private volatile String appRoleToken;
    private volatile Instant refreshAt = Instant.MAX;

    VaultClient(VaultSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER); // a standby's redirect must not carry our token elsewhere
        if (settings.url().getScheme().equalsIgnoreCase("https") && settings.caFile().isPresent()) {
            builder.sslContext(trusting(settings));
        }
        this.http = builder.build();
    }

    String url() {
        return settings.url().toString();
    }

    /** Sends one request to {@code /v1/{apiPath}}; see the class comment for what throws. */
    Reply send(String method, String apiPath, JsonNode body) {
        boolean freshLogin = false;
        while (true) {
            String token = token(freshLogin);
            Reply reply = exchange(method, apiPath, body, token);
            if (reply.status() == 403 && settings.appRole() && !freshLogin) {
                freshLogin = true; // the cached AppRole token may have been revoked or expired early
                continue;
            }
            if (reply.status() == 403) {
                throw StoreException.unavailable("Vault at " + url() + " refused Portcullis' token for " + method + " "
                        + apiPath + " (403 " + reply.errors() + "): check " + (settings.appRole()
                                ? "the AppRole and its policies" : "root_token_id and its policies")
                        + "; no secret is lost, reads fail until it is fixed", null);
            }
            return reply;
        }
    }

    private String token(boolean forceLogin) {
        if (!settings.appRole()) {
            return settings.rootToken().orElseThrow();
        }
        synchronized (loginLock) {
            if (forceLogin || appRoleToken == null || !clock.instant().isBefore(refreshAt)) {
                login();
            }
            return appRoleToken;
        }
    }

    private void login() {
        ObjectNode body = JSON.createObjectNode();
        body.put("role_id", settings.roleId().orElseThrow());
        settings.secretId().ifPresent(s -> body.put("secret_id", s));
        Instant issued = clock.instant();
        Reply reply = exchange("POST", "auth/" + settings.authPath() + "/login", body, null);
        JsonNode auth = reply.body().path("auth");
        if (reply.status() != 200 || !auth.path("client_token").isTextual()) {
            throw StoreException.unavailable("Vault at " + url() + " refused the AppRole login (" + reply.status() + " "
                    + reply.errors() + "): check approle_role_id and approle_secret_id; no secret is lost, reads "
                    + "fail until it is fixed", null);
        }
        long lease = auth.path("lease_duration").asLong(0);
        appRoleToken = auth.get("client_token").asText();
        // lease 0 = a token that does not expire; otherwise log in again well before it does.
        refreshAt = lease <= 0 ? Instant.MAX : issued.plusMillis(lease * 750);
    }

    private Reply exchange(String method, String apiPath, JsonNode body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + "/v1/" + apiPath))
                .timeout(settings.timeout())
                .header("Accept", "application/json");
        if (token != null) {
            request.header("X-Vault-Token", token);
        }
        settings.namespace().ifPresent(ns -> request.header("X-Vault-Namespace", ns));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json");
            request.method(method, HttpRequest.BodyPublishers.ofByteArray(write(body)));
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (javax.net.ssl.SSLException e) {
            throw StoreException.unavailable("Vault at " + url() + " failed TLS verification (" + e.getMessage()
                    + "): check ssl_ca_crt_file; no secret is lost, reads fail until it is fixed", e);
        } catch (IOException e) {
            throw StoreException.unavailable("Vault at " + url() + " unreachable (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "): no secret is lost, reads fail "
                    + "until it returns", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StoreException.unavailable("interrupted while waiting for Vault at " + url(), e);
        }
        Reply reply = new Reply(response.statusCode(), parse(response.body()));
        int s = reply.status();
        if (s == 503) {
            throw StoreException.unavailable("Vault at " + url() + " is sealed or unavailable (503 " + reply.errors()
                    + "): no secret is lost, reads fail until it is unsealed", null);
        }
        if (s >= 500 || s == 429 || s == 412) {
            throw StoreException.unavailable("Vault at " + url() + " failed " + method + " " + apiPath + " (" + s + " "
                    + reply.errors() + "): no secret is lost, reads fail until it recovers", null);
        }
        return reply;
    }

    private static byte[] write(JsonNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return NullNode.instance;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return NullNode.instance; // a proxy's HTML error page: the status says enough
        }
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    private static SSLContext trusting(VaultSettings settings) {
        var file = settings.caFile().orElseThrow();
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new ConfigException("[vault_plugin] ssl_ca_crt_file " + file + " holds no PEM certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("[vault_plugin] ssl_ca_crt_file " + file + " cannot be used as a CA: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
