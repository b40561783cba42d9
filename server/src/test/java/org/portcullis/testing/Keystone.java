package org.portcullis.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real Keystone that {@code scripts/keystone.sh start DIR} runs (Debian's keystone package,
 * on 127.0.0.1), as the tests see it through {@code PORTCULLIS_TEST_KEYSTONE_*}: tokens for the
 * users the script creates, the admin API, and the {@code [keystone_authtoken]} lines that point
 * a Portcullis node at it. Without the variables a test is skipped, or fails under CI=true or
 * PORTCULLIS_REQUIRE_SERVICES=1.
 */
public final class Keystone {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public final String url;
    public final String adminPassword;
    public final String servicePassword;
    public final String userPassword;

    private Keystone(String url, String adminPassword, String servicePassword, String userPassword) {
        this.url = url;
        this.adminPassword = adminPassword;
        this.servicePassword = servicePassword;
        this.userPassword = userPassword;
    }

    /** Request headers carrying {@code token} as {@code X-Auth-Token}, then {@code more} name/value pairs. */
    public static String[] tokenHeaders(String token, String... more) {
        List<String> h = new ArrayList<>(List.of("X-Auth-Token", token));
        h.addAll(List.of(more));
        return h.toArray(String[]::new);
    }

    /** The script's Keystone, or a skipped (or, in CI, failed) test. */
    public static Keystone fromEnvironment() {
        String url = System.getenv("PORTCULLIS_TEST_KEYSTONE_URL");
        if (url == null || url.isBlank()) {
            String why = "no Keystone: run `scripts/keystone.sh start DIR` and export its lines as "
                    + "PORTCULLIS_TEST_KEYSTONE_* (./portcullis test does this)";
            if ("true".equals(System.getenv("CI")) || "1".equals(System.getenv("PORTCULLIS_REQUIRE_SERVICES"))) {
                fail(why);
            }
            assumeTrue(false, why);
        }
        return new Keystone(url, System.getenv("PORTCULLIS_TEST_KEYSTONE_ADMIN_PASSWORD"),
                System.getenv("PORTCULLIS_TEST_KEYSTONE_SERVICE_PASSWORD"),
                System.getenv("PORTCULLIS_TEST_KEYSTONE_USER_PASSWORD"));
    }

    /** {@code [keystone_authtoken]} lines for a node that validates tokens at {@code authUrl}. */
    public List<String> authtokenConfig(String authUrl, int cacheSeconds) {
        return List.of("[keystone_authtoken]", "www_authenticate_uri = " + url, "auth_url = " + authUrl,
                "auth_type = password", "username = barbican", "password = " + servicePassword,
                "user_domain_name = Default", "project_name = service", "project_domain_name = Default",
                "service_token_roles_required = true", "memcached_servers = 127.0.0.1:11211",
                "token_cache_time = " + cacheSeconds);
    }

    /** A token of {@code user} scoped to {@code project} (a project of the Default domain). */
    public String projectToken(String user, String project) {
        return login(user, userPassword, "{\"project\": {\"name\": " + q(project) + ", \"domain\": {\"id\": \"default\"}}}");
    }

    public String systemToken(String user, String password) {
        return login(user, password, "{\"system\": {\"all\": true}}");
    }

    public String adminToken() {
        return login("admin", adminPassword, "{\"project\": {\"name\": \"admin\", \"domain\": {\"id\": \"default\"}}}");
    }

    private String login(String user, String password, String scope) {
        String body = "{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"name\": "
                + q(user) + ", \"domain\": {\"id\": \"default\"}, \"password\": " + q(password) + "}}}, \"scope\": "
                + scope + "}}";
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url + "/v3/auth/tokens?nocatalog"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        if (r.statusCode() != 201) {
            throw new AssertionError("Keystone login of " + user + " failed: " + r.statusCode() + " " + r.body());
        }
        return r.headers().firstValue("X-Subject-Token").orElseThrow();
    }

    /** Revokes a token ({@code DELETE /v3/auth/tokens}), as a logout does. */
    public void revoke(String token) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url + "/v3/auth/tokens"))
                .header("X-Auth-Token", token).header("X-Subject-Token", token).DELETE());
        if (r.statusCode() != 204) {
            throw new AssertionError("revoke failed: " + r.statusCode() + " " + r.body());
        }
    }

    /** An admin API call; returns the parsed body (null for none), failing on a non-2xx answer. */
    public JsonNode admin(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).header("X-Auth-Token", adminToken())
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> r = send(b);
        if (r.statusCode() / 100 != 2) {
            throw new AssertionError("Keystone " + method + " " + path + ": " + r.statusCode() + " " + r.body());
        }
        try {
            return r.body().isEmpty() ? null : JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    public String projectId(String name) {
        return admin("GET", "/v3/projects?name=" + name, null).path("projects").get(0).path("id").asText();
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return HTTP.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("Keystone request failed: " + e, e);
        }
    }

    private static String q(String s) {
        return Api.quote(s);
    }
}
