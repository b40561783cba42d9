package org.portcullis.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.portcullis.Portcullis;
import org.portcullis.http.Json;
import org.portcullis.testing.Api;
import org.portcullis.testing.NodeProcess;
import org.portcullis.testing.TestDatabases;
import picocli.CommandLine;

/**
 * Group commit keeps the promise of a single commit: 16 clients create secrets on a node in its
 * own process, the node is SIGKILLed once {@value #KILL_AFTER} creates were acknowledged (a count,
 * not a sleep), and after a restart on the same database every acknowledged secret reads back byte
 * for byte, the audit trail holds a create event for each, and its chain verifies.
 */
class GroupCommitDurabilityIT {
    private static final int CLIENTS = 16;
    private static final int KILL_AFTER = 300;
    private static final SecureRandom RANDOM = new SecureRandom();

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void everyAcknowledgedSecretSurvivesASigkillUnderLoad(TestDatabases.Kind kind) throws Exception {
        Path dir = Files.createTempDirectory("group-commit-" + kind.name().toLowerCase());
        Path auditLog = dir.resolve("audit.log");
        String sql = TestDatabases.fresh(kind, dir);
        Map<String, byte[]> acknowledged = new ConcurrentHashMap<>();
        try (NodeProcess node = NodeProcess.start(dir, sql, List.of("[audit]", "file = " + auditLog))) {
            node.awaitHealthy();
            CountDownLatch enough = new CountDownLatch(KILL_AFTER);
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int project = c % 4;
                Api api = new Api(node.url(), "project-" + project);
                clients.add(Thread.ofPlatform().start(() -> create(project, api, acknowledged, enough)));
            }
            enough.await();
            node.kill();
            node.awaitExit();
            for (Thread t : clients) {
                t.join();
            }
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(KILL_AFTER);

            node.launch();
            node.awaitHealthy();
            List<Thread> readers = new ArrayList<>();
            List<String> ids = new ArrayList<>(acknowledged.keySet());
            for (int c = 0; c < CLIENTS; c++) {
                List<String> share = ids.subList(c * ids.size() / CLIENTS, (c + 1) * ids.size() / CLIENTS);
                readers.add(Thread.ofPlatform().start(() -> share.forEach(key -> readBack(node, key, acknowledged))));
            }
            for (Thread t : readers) {
                t.join();
            }
            assertThat(mismatches).as("acknowledged secrets that did not read back").isEmpty();
            node.terminate();
            node.awaitExit();
        }
        Set<String> created = new HashSet<>();
        for (String line : Files.readAllLines(auditLog, StandardCharsets.UTF_8)) {
            int json = line.indexOf('{');
            if (json < 0) {
                continue; // a line the kill cut short is reported by verify, not an event
            }
            JsonNode event = Json.MAPPER.readTree(line.substring(json));
            if ("create".equals(event.path("action").asText()) && "success".equals(event.path("outcome").asText())) {
                created.add(event.path("target").path("id").asText());
            }
        }
        for (String key : acknowledged.keySet()) {
            assertThat(created).as("create event of an acknowledged secret").contains(key.substring(key.indexOf(':') + 1));
        }
        assertThat(verify(dir.resolve("portcullis.conf"), auditLog)).as("manage audit verify").isZero();
    }

    private final List<String> mismatches = new java.util.concurrent.CopyOnWriteArrayList<>();

    private void readBack(NodeProcess node, String key, Map<String, byte[]> acknowledged) {
        String id = key.substring(key.indexOf(':') + 1);
        Api.Response payload = new Api(node.url(), "project-" + key.substring(0, key.indexOf(':')))
                .get("/v1/secrets/" + id + "/payload", "Accept", "application/octet-stream");
        if (payload.status() != 200 || !java.util.Arrays.equals(payload.bytes(), acknowledged.get(key))) {
            mismatches.add(id + " (" + payload.status() + ")");
        }
    }

    /** {@code manage audit verify}'s exit status; what it printed lands in the test's output. */
    private static int verify(Path config, Path auditLog) {
        return new CommandLine(new Portcullis()).execute("manage", "audit", "verify", "--config", config.toString(),
                auditLog.toString());
    }

    /** Creates secrets until the node stops answering; notes each acknowledged one as "project:id" with its payload. */
    private static void create(int project, Api api, Map<String, byte[]> acknowledged, CountDownLatch enough) {
        while (true) {
            byte[] payload = new byte[1 + RANDOM.nextInt(200)];
            RANDOM.nextBytes(payload);
            Api.Response r;
            try {
                r = api.postJson("/v1/secrets", "{\"payload\":\"" + Base64.getEncoder().encodeToString(payload)
                        + "\",\"payload_content_type\":\"application/octet-stream\","
                        + "\"payload_content_encoding\":\"base64\"}");
            } catch (AssertionError killed) { // no answer: the node is gone
                return;
            }
            if (r.status() != 201) {
                return;
            }
            String ref = r.json().get("secret_ref").asText();
            acknowledged.put(project + ":" + ref.substring(ref.lastIndexOf('/') + 1), payload);
            enough.countDown();
        }
    }
}
