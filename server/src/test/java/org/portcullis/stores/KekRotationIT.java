package org.portcullis.stores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.portcullis.Portcullis;
import org.portcullis.config.ConfigException;
import org.portcullis.testing.Api;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/**
 * Master-key rotation on a live cluster: two nodes on one database, 16 threads writing and
 * reading through both, while {@code manage kek rotate --reseal} runs as a child JVM — first
 * stopped after two batches, then killed with SIGKILL while it runs, then run to the end. No read
 * fails, every payload reads back byte for byte, the old key ends retired: a node holding only it
 * is refused, a node holding only the new key reads everything.
 */
class KekRotationIT {
    private static final int PROJECTS = 8;
    private static final int PER_PROJECT = 10;
    private static final int THREADS = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void rotateAndResealUnderLoadSurvivesAKill(TestDatabases.Kind kind) throws Exception {
        Path root = Files.createTempDirectory("kek-rotation");
        String sql = TestDatabases.fresh(kind, root);
        Path oldKek = TestServer.kek(root.resolve("kek-old"));
        Path newKek = TestServer.kek(root.resolve("kek-new"));
        Map<String, byte[]> written = new ConcurrentHashMap<>();
        List<String> ids = new CopyOnWriteArrayList<>();
        Map<String, String> projectOf = new ConcurrentHashMap<>();

        try (TestServer seed = TestServer.startWithConfig(dir(root, "seed"), text(root, "seed", sql, oldKek, null))) {
            for (int p = 0; p < PROJECTS; p++) {
                Api api = new Api(seed.url(), "project-" + p);
                for (int i = 0; i < PER_PROJECT; i++) {
                    create(api, "project-" + p, written, ids, projectOf);
                }
            }
        }

        // Every node gets the new key as current and the old one as previous, then restarts.
        Path confRotate = config(root, "rotate", sql, newKek, oldKek);
        try (TestServer a = TestServer.startWithConfig(dir(root, "a"), text(root, "a", sql, newKek, oldKek));
                TestServer b = TestServer.startWithConfig(dir(root, "b"), text(root, "b", sql, newKek, oldKek))) {
            AtomicBoolean rotated = new AtomicBoolean();
            AtomicLong failures = new AtomicLong();
            AtomicLong operations = new AtomicLong();
            List<String> errors = new CopyOnWriteArrayList<>();
            List<Thread> load = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int n = t;
                load.add(Thread.ofPlatform().start(() -> {
                    Api via = new Api((n % 4 < 2 ? a : b).url(), "project-" + (n % PROJECTS));
                    Api other = new Api((n % 4 < 2 ? b : a).url(), "project-" + (n % PROJECTS));
                    // Bounded: until the rotation has finished (and at least 5 rounds), never past 100000.
                    for (int i = 0; i < 100_000 && (!rotated.get() || i < 5); i++) {
                        try {
                            if (n % 2 == 0) {
                                String id = create(via, "project-" + (n % PROJECTS), written, ids, projectOf);
                                check(other, id, written.get(id));
                            } else {
                                String id = ids.get(RANDOM.nextInt(ids.size()));
                                check((n % 4 == 1 ? via : other).as(projectOf.get(id), null, null), id, written.get(id));
                            }
                            operations.incrementAndGet();
                        } catch (AssertionError | RuntimeException e) {
                            failures.incrementAndGet();
                            errors.add(e.getMessage());
                        }
                    }
                }));
            }

            Child first = manage(root, "first", "kek", "rotate", "--config", confRotate.toString(), "--reseal",
                    "--batch", "25", "--max-batches", "2");
            assertThat(first.exit()).as(first.output()).isEqualTo(1);
            assertThat(first.output()).contains("stopped after 2 batch(es)");

            Child killed = Child.start(root, "killed", "kek", "rotate", "--config", confRotate.toString(), "--reseal",
                    "--batch", "25");
            killed.awaitLine("store default: current master key");
            killed.process().destroyForcibly(); // SIGKILL, mid-run
            killed.process().waitFor();

            Child last = manage(root, "last", "kek", "rotate", "--config", confRotate.toString(), "--reseal",
                    "--batch", "25");
            assertThat(last.exit()).as(last.output()).isZero();
            assertThat(last.output()).contains("retired");
            rotated.set(true);
            for (Thread t : load) {
                t.join();
            }
            assertThat(errors).isEmpty();
            assertThat(failures.get()).isZero();
            assertThat(operations.get()).isGreaterThanOrEqualTo(THREADS * 5L);

            KeyRotation r = a.app().stores().globalDefault().keyRotation().orElseThrow();
            assertThat(r.pendingProjectKeks()).isZero();
            assertThat(r.usage()).allSatisfy(u -> assertThat(u.keyId().equals(r.currentKeyId())
                    || u.state().equals("retired") && u.projectKeks() == 0 && u.payloads() == 0).isTrue());
            for (String id : ids) {
                check(new Api(b.url(), projectOf.get(id)), id, written.get(id));
            }
        }

        // The retired key alone is refused, with a message that says so; the new key alone serves all.
        assertThatThrownBy(() -> TestServer.startWithConfig(dir(root, "c"), text(root, "c", sql, oldKek, null)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("retired by a master-key rotation");
        try (TestServer d = TestServer.startWithConfig(dir(root, "d"), text(root, "d", sql, newKek, null))) {
            for (String id : ids) {
                check(new Api(d.url(), projectOf.get(id)), id, written.get(id));
            }
        }
    }

    private static String create(Api api, String project, Map<String, byte[]> written, List<String> ids,
            Map<String, String> projectOf) {
        byte[] payload = new byte[1 + RANDOM.nextInt(200)];
        RANDOM.nextBytes(payload);
        Api.Response r = api.postJson("/v1/secrets", "{\"payload\":\"" + Base64.getEncoder().encodeToString(payload)
                + "\",\"payload_content_type\":\"application/octet-stream\",\"payload_content_encoding\":\"base64\"}");
        if (r.status() != 201) {
            throw new AssertionError("create: " + r.status() + " " + r.body());
        }
        String ref = r.json().get("secret_ref").asText();
        String id = ref.substring(ref.lastIndexOf('/') + 1);
        written.put(id, payload);
        projectOf.put(id, project);
        ids.add(id);
        return id;
    }

    private static void check(Api api, String id, byte[] expected) {
        Api.Response r = api.get("/v1/secrets/" + id + "/payload", "Accept", "application/octet-stream");
        if (r.status() != 200) {
            throw new AssertionError("read " + id + ": " + r.status() + " " + r.body());
        }
        if (!java.util.Arrays.equals(r.bytes(), expected)) {
            throw new AssertionError("secret " + id + " read back other bytes");
        }
    }

    private static Path dir(Path root, String name) throws Exception {
        return Files.createDirectories(root.resolve(name));
    }

    private static String text(Path root, String name, String sql, Path kek, Path previous) throws Exception {
        return Files.readString(config(root, name, sql, kek, previous));
    }

    private static Path config(Path root, String name, String sql, Path kek, Path previous) throws Exception {
        Path dir = Files.createDirectories(root.resolve(name));
        Path conf = dir.resolve("portcullis.conf");
        Files.writeString(conf, TestServer.nodeHead(sql, dir) + """

                [simple_crypto_plugin]
                kek_file = %s
                %s
                """.formatted(kek, previous == null ? "" : "previous_kek_files = " + previous));
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        return conf;
    }

    private static Child manage(Path root, String name, String... args) throws Exception {
        Child c = Child.start(root, name, args);
        c.process().waitFor();
        return c;
    }

    /** {@code portcullis manage ARGS} in a JVM of its own, from this run's classpath; output in a file. */
    record Child(Process process, Path log) {
        static Child start(Path root, String name, String... args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Portcullis.class.getName(), "manage"));
            cmd.addAll(List.of(args));
            Path log = root.resolve("child-" + name + ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new Child(p, log);
        }

        int exit() throws Exception {
            return process.waitFor();
        }

        String output() throws Exception {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        /** Waits (on the child's progress, not on a clock) until its output has the line, or it exits. */
        void awaitLine(String text) throws Exception {
            while (process.isAlive() && !output().contains(text)) {
                Thread.sleep(10);
            }
        }
    }
}
