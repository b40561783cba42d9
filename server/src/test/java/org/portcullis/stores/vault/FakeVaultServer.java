package org.portcullis.stores.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for a HashiCorp Vault server, for tests only: no Vault or OpenBao server can be
 * installed on the machines this project is built on. It implements exactly the HTTP endpoints
 * {@link VaultStore} uses, with the behaviour Vault's API documentation gives them, and nothing
 * else (anything else is a 404 "no handler for route" or 405, as Vault answers unknown routes).
 * The KV engines are {@link FakeVaultKv}. {@code FakeVaultServerTest} checks it against the documented examples, independently of the
 * store, so it cannot drift into agreeing with whatever the store does.
 *
 * <p>Facts and where they come from (developer.hashicorp.com/vault/api-docs/…):
 * <ul>
 * <li>Every route is under {@code /v1/}; the token travels in {@code X-Vault-Token}
 *     (api-docs index, "Authentication"); a missing, unknown or expired token is
 *     {@code 403 {"errors":["permission denied"]}}.
 * <li>Errors are {@code {"errors":[...]}} with the HTTP status: 400 invalid request, 403
 *     forbidden, 404 invalid path (also a missing key), 405 unsupported operation, 500 internal,
 *     503 "Vault is down for maintenance or is currently sealed" (api-docs index, "HTTP Status
 *     Codes"). Sealed: {@code 503 {"errors":["Vault is sealed"]}} on every route but sys/health.
 * <li>{@code X-Vault-Namespace} selects the namespace a request runs in (Enterprise, api-docs
 *     index "Namespaces"); a token is valid only in the namespace it was created in, so a
 *     request without the header, with a token from a namespace, is refused (403).
 * <li>KV v2 (secret/kv/kv-v2): {@code POST|PUT /v1/:mount/data/:path} body
 *     {@code {"options":{"cas":N},"data":{...}}}; {@code cas = 0} writes only if the key does not
 *     exist, {@code cas = N} only if the current version is N, otherwise
 *     {@code 400 "check-and-set parameter did not match the current version"}; the reply is
 *     {@code {"data":{"created_time","custom_metadata","deletion_time","destroyed","version"}}}.
 *     {@code GET /v1/:mount/data/:path?version=N} (0 or absent = latest) answers
 *     {@code {"data":{"data":{...},"metadata":{...}}}}, 404 for a path or version that is not
 *     there. {@code DELETE /v1/:mount/metadata/:path} deletes the metadata and all versions
 *     (204).
 * <li>KV v1 (secret/kv/kv-v1): {@code POST|PUT /v1/:mount/:path} body = the data, 204;
 *     {@code GET} answers {@code {"data":{...},"lease_duration":2764800,...}}, 404 if missing;
 *     {@code DELETE} 204.
 * <li>AppRole (auth/approle): {@code POST /v1/auth/approle/login} with {@code role_id} and
 *     {@code secret_id} answers {@code {"auth":{"client_token","accessor","policies",
 *     "lease_duration","renewable":true,...}}}; wrong credentials are {@code 400
 *     {"errors":["invalid role or secret ID"]}}. The token stops working after lease_duration.
 * <li>{@code GET /v1/sys/health} (system/health): 200 when unsealed and active, 503 when
 *     sealed, body {@code {"initialized","sealed","standby",...}}; no token needed.
 * </ul>
 */
public final class FakeVaultServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, Integer> mounts = new ConcurrentHashMap<>();
    private final FakeVaultKv kv = new FakeVaultKv(this::now, this::holdIfAsked);
    /** Token -> (namespace, expiry). */
    private final Map<String, TokenEntry> tokens = new ConcurrentHashMap<>();
    private final Map<String, String[]> appRoles = new ConcurrentHashMap<>();
    private volatile boolean sealed;
    private volatile long appRoleTtlSeconds = 3600;
    private final AtomicLong clockSkewMillis = new AtomicLong();
    private final AtomicInteger logins = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    private record TokenEntry(String namespace, Instant expires) {}

    private FakeVaultServer(HttpServer server) {
        this.server = server;
    }

    /** Starts on a free loopback port with a KV v2 engine at {@code secret} and a KV v1 one at {@code kv1}. */
    public static FakeVaultServer start() throws IOException {
        return start(0);
    }

    public static FakeVaultServer start(int port) throws IOException {
        return serve(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64));
    }

    /** The same over HTTPS with {@code tls}'s server certificate (Vault's {@code tls_cert_file}). */
    public static FakeVaultServer startTls(javax.net.ssl.SSLContext tls) throws IOException {
        com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
        return serve(https);
    }

    private static FakeVaultServer serve(HttpServer http) {
        FakeVaultServer fake = new FakeVaultServer(http);
        fake.mount("secret", 2);
        fake.mount("kv1", 1);
        http.createContext("/", fake::handle);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.start();
        return fake;
    }

    public String url() {
        String scheme = server instanceof com.sun.net.httpserver.HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    public FakeVaultServer mount(String path, int kvVersion) {
        mounts.put(path, kvVersion);
        return this;
    }

    /** A token that never expires, valid in {@code namespace} ("" = root namespace). */
    public String createToken(String namespace) {
        String token = "hvs." + UUID.randomUUID().toString().replace("-", "");
        tokens.put(token, new TokenEntry(namespace, Instant.MAX));
        return token;
    }

    public void revokeToken(String token) {
        tokens.remove(token);
    }

    /** Registers an AppRole in {@code namespace}; returns {role_id, secret_id}. */
    public String[] createAppRole(String namespace) {
        String roleId = UUID.randomUUID().toString();
        String secretId = UUID.randomUUID().toString();
        appRoles.put(namespace + "|" + roleId, new String[] {secretId, namespace});
        return new String[] {roleId, secretId};
    }

    public void appRoleTokenTtlSeconds(long seconds) {
        appRoleTtlSeconds = seconds;
    }

    /** Moves the fake's clock forward, so issued tokens expire without waiting. */
    public void advanceClock(long seconds) {
        clockSkewMillis.addAndGet(seconds * 1000);
    }

    public void seal(boolean sealed) {
        this.sealed = sealed;
    }

    private final AtomicInteger kv2Writes = new AtomicInteger();
    private volatile int holdAfter = Integer.MAX_VALUE;
    private volatile java.util.concurrent.CountDownLatch held;
    private volatile java.util.concurrent.CountDownLatch release;

    /**
     * Makes the KV v2 write number {@code writes + 1} (and every later one) store its entry and then
     * not answer until {@link #releaseWrites()}: a client killed meanwhile has written an entry it
     * never learnt about. The returned latch opens when the first write is held.
     */
    public java.util.concurrent.CountDownLatch holdWritesAfter(int writes) {
        held = new java.util.concurrent.CountDownLatch(1);
        release = new java.util.concurrent.CountDownLatch(1);
        kv2Writes.set(0);
        holdAfter = writes;
        return held;
    }

    public void releaseWrites() {
        holdAfter = Integer.MAX_VALUE;
        if (release != null) {
            release.countDown();
        }
    }

    private void holdIfAsked() {
        if (kv2Writes.incrementAndGet() > holdAfter) {
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How many keys a mount holds (in the root namespace). */
    public int entries(String mount) {
        return kv.entries(mount);
    }

    /** Whether any version of {@code mount/path} exists in {@code namespace}, for tests. */
    public boolean exists(String namespace, String mount, String path) {
        return kv.exists(namespace, mount, path);
    }

    /** Replaces the data of the latest version behind Vault's back, as someone with Vault access could. */
    public void tamper(String namespace, String mount, String path, String field, String value) {
        kv.tamper(namespace, mount, path, field, value);
    }

    public int logins() {
        return logins.get();
    }

    public int requests() {
        return requests.get();
    }

    private Instant now() {
        return Instant.now().plusMillis(clockSkewMillis.get());
    }

    // ---- HTTP ----------------------------------------------------------------------------------

    /** A reply: status and JSON body (null for none). */
    record Answer(int status, JsonNode body) {}

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        Answer answer;
        try {
            answer = route(ex);
        } catch (BadRequest e) {
            answer = error(400, e.getMessage());
        } catch (RuntimeException e) {
            answer = error(500, e.toString());
        }
        byte[] body = answer.body() == null ? new byte[0] : JSON.writeValueAsBytes(answer.body());
        if (answer.body() != null) {
            ex.getResponseHeaders().set("Content-Type", "application/json");
        }
        ex.sendResponseHeaders(answer.status(), answer.status() == 204 ? -1 : body.length);
        if (answer.status() != 204) {
            ex.getResponseBody().write(body);
        }
        ex.close();
    }

    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    private Answer route(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String rawPath = ex.getRequestURI().getRawPath();
        if (!rawPath.startsWith("/v1/")) {
            return error(404, "no handler for route \"" + rawPath + "\"");
        }
        String path = URLDecoder.decode(rawPath.substring(4), StandardCharsets.UTF_8);
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        byte[] raw = ex.getRequestBody().readAllBytes();
        JsonNode body = raw.length == 0 ? JSON.createObjectNode() : parse(raw);
        String namespace = header(ex, "X-Vault-Namespace");
        namespace = namespace == null ? "" : namespace.replaceAll("^/+|/+$", "");

        if (path.equals("sys/health") && method.equals("GET")) {
            ObjectNode h = JSON.createObjectNode();
            h.put("initialized", true).put("sealed", sealed).put("standby", false).put("version", "fake");
            return new Answer(sealed ? 503 : 200, h);
        }
        if (sealed) {
            return error(503, "Vault is sealed");
        }
        if (path.startsWith("auth/approle/login")) {
            return method.equals("POST") || method.equals("PUT") ? login(namespace, body) : error(405, "");
        }
        String token = header(ex, "X-Vault-Token");
        TokenEntry entry = token == null ? null : tokens.get(token);
        if (entry == null || !entry.namespace().equals(namespace) || !now().isBefore(entry.expires())) {
            return error(403, "permission denied");
        }
        String mount = mounts.keySet().stream().filter(m -> path.equals(m) || path.startsWith(m + "/"))
                .max((a, b) -> a.length() - b.length()).orElse(null);
        if (mount == null) {
            return error(404, "no handler for route \"" + path + "\". route entry not found.");
        }
        String rest = path.substring(mount.length()).replaceFirst("^/", "");
        return mounts.get(mount) == 2 ? kv.kv2(method, namespace, mount, rest, query, body)
                : kv.kv1(method, namespace, mount, rest, body);
    }

    private Answer login(String namespace, JsonNode body) {
        String roleId = body.path("role_id").asText("");
        String secretId = body.path("secret_id").asText("");
        String[] role = appRoles.get(namespace + "|" + roleId);
        if (role == null || !role[0].equals(secretId)) {
            return error(400, "invalid role or secret ID");
        }
        logins.incrementAndGet();
        String token = "hvs." + UUID.randomUUID().toString().replace("-", "");
        long ttl = appRoleTtlSeconds;
        tokens.put(token, new TokenEntry(namespace, now().plusSeconds(ttl)));
        ObjectNode auth = JSON.createObjectNode();
        auth.put("client_token", token).put("accessor", UUID.randomUUID().toString());
        auth.putArray("policies").add("default");
        auth.putArray("token_policies").add("default");
        auth.putNull("metadata");
        auth.put("lease_duration", ttl).put("renewable", true);
        ObjectNode reply = envelope();
        reply.set("auth", auth);
        return new Answer(200, reply);
    }

    static ObjectNode envelope() {
        ObjectNode e = JSON.createObjectNode();
        e.put("request_id", UUID.randomUUID().toString());
        e.put("lease_id", "");
        e.put("renewable", false);
        e.put("lease_duration", 0);
        e.putNull("data");
        e.putNull("wrap_info");
        e.putNull("warnings");
        e.putNull("auth");
        return e;
    }

    /** {@code {"errors":[message]}}; a missing key is {@code {"errors":[]}} as in Vault. */
    static Answer error(int status, String message) {
        ObjectNode e = JSON.createObjectNode();
        ArrayNode errors = e.putArray("errors");
        if (message != null && !message.isEmpty()) {
            errors.add(message);
        }
        return new Answer(status, e);
    }

    private static JsonNode parse(byte[] raw) {
        try {
            return JSON.readTree(raw);
        } catch (IOException e) {
            throw new BadRequest("failed to parse JSON input: " + e.getMessage());
        }
    }

    static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new BadRequest("error converting input " + s + " for field \"version\"");
        }
    }

    private static String header(HttpExchange ex, String name) {
        return ex.getRequestHeaders().getFirst(name);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            out.put(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /**
     * A standalone fake for benchmarks and manual runs (test code; not in the server jar):
     * {@code java -cp server/target/test-classes:server/target/portcullis.jar
     * org.portcullis.stores.vault.FakeVaultServer [PORT]}. Prints {@code VAULT_ADDR=…} and
     * {@code VAULT_TOKEN=…} on stdout and serves until killed.
     */
    public static void main(String[] args) throws Exception {
        FakeVaultServer fake = start(args.length > 0 ? Integer.parseInt(args[0]) : 0);
        System.out.println("VAULT_ADDR=" + fake.url());
        System.out.println("VAULT_TOKEN=" + fake.createToken(""));
        System.out.flush();
        Thread.currentThread().join();
    }
}
