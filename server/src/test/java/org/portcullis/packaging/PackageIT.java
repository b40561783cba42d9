package org.portcullis.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.portcullis.testing.Api;

/**
 * The Debian package on this machine: built with scripts/package-deb.sh from the jar, installed
 * with {@code dpkg -i}, its unit checked by {@code systemd-analyze verify}, the server started as
 * the {@code portcullis} user with the unit's own ExecStart (runuser; no systemd runs here), a
 * secret stored and read, then removed (the data directory stays) and purged (it goes). Needs
 * root and a machine without Portcullis installed: it changes nothing that was there before and
 * leaves the machine as it found it (the system user too); otherwise it is skipped.
 */
class PackageIT {
    private static final Path ETC = Path.of("/etc/portcullis");
    private static final Path DATA = Path.of("/var/lib/portcullis");
    private static final Path UNIT = Path.of("/lib/systemd/system/portcullis.service");
    private static final Duration GIVE_UP = Duration.ofMinutes(3);

    private static Result run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }

    private record Result(int exit, String output) {
        Result ok() {
            assertThat(exit).as(output).isZero();
            return this;
        }
    }

    private static boolean installed() throws Exception {
        return run("dpkg-query", "-W", "-f=${Status}", "portcullis").output().contains("install ok installed");
    }

    @Test
    void packageInstallsRunsAndRemoves() throws Exception {
        assumeTrue(run("id", "-u").output().strip().equals("0"), "installing a package needs root");
        for (String tool : List.of("/usr/bin/dpkg", "/usr/bin/dpkg-deb", "/usr/sbin/runuser", "/usr/bin/systemd-analyze")) {
            assumeTrue(Files.isExecutable(Path.of(tool)), tool + " is missing");
        }
        assumeTrue(!installed() && !Files.exists(ETC) && !Files.exists(DATA),
                "Portcullis is already installed here (or its directories exist); not touching them");
        boolean userExisted = run("getent", "passwd", "portcullis").exit() == 0;
        Path work = Files.createTempDirectory("portcullis-deb-it");
        Path jar = Path.of("target", "portcullis.jar").toAbsolutePath();
        String deb = run("../scripts/package-deb.sh", jar.toString(), work.toString()).ok().output().lines()
                .filter(l -> l.endsWith(".deb")).reduce((a, b) -> b).orElseThrow();
        Process server = null;
        try {
            run("dpkg", "-i", deb).ok();
            assertInstalledLayout();

            Result verify = run("systemd-analyze", "verify", UNIT.toString());
            assertThat(verify.exit()).as(verify.output()).isZero();
            assertThat(verify.output()).doesNotContain("portcullis.service:");
            List<String> unit = Files.readAllLines(UNIT);
            assertThat(unit).contains("ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "NoNewPrivileges=yes",
                    "CapabilityBoundingSet=", "ReadWritePaths=/var/lib/portcullis", "Restart=on-failure",
                    "User=portcullis");
            assertThat(unit).noneMatch(l -> l.startsWith("MemoryDenyWriteExecute"));

            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path conf = ETC.resolve("portcullis.conf");
            Files.writeString(conf, Files.readString(conf).replace("bind_port = 9311", "bind_port = " + port));
            String execStart = unit.stream().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow()
                    .substring("ExecStart=".length());
            List<String> command = new ArrayList<>(List.of("runuser", "-u", "portcullis", "--"));
            command.addAll(Arrays.asList(execStart.split(" ")));
            server = new ProcessBuilder(command).directory(Path.of("/").toFile()).redirectErrorStream(true)
                    .redirectOutput(work.resolve("server.log").toFile()).start();
            String url = "http://127.0.0.1:" + port;
            awaitServing(server, url, work.resolve("server.log"));

            Api api = new Api(url, "pkg-" + UUID.randomUUID());
            String id = api.createText("from the package");
            assertThat(api.get("/v1/secrets/" + id + "/payload", "Accept", "text/plain").body())
                    .isEqualTo("from the package");
            stop(server);
            assertThat(Files.readAttributes(DATA.resolve("portcullis.sqlite"), PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).owner().getName()).isEqualTo("portcullis");

            run("dpkg", "-r", "portcullis").ok();
            assertThat(Path.of("/usr/bin/portcullis")).doesNotExist();
            assertThat(DATA.resolve("portcullis.sqlite")).exists();
            assertThat(ETC.resolve("kek")).exists();

            run("dpkg", "-P", "portcullis").ok();
            assertThat(DATA).doesNotExist();
            assertThat(ETC).doesNotExist();
        } finally {
            if (server != null) {
                stop(server);
            }
            if (installed() || Files.exists(DATA)) {
                run("dpkg", "-P", "portcullis");
            }
            if (!userExisted) {
                run("userdel", "portcullis");
            }
        }
    }

    private static void assertInstalledLayout() throws IOException {
        PosixFileAttributes data = Files.readAttributes(DATA, PosixFileAttributes.class);
        assertThat(PosixFilePermissions.toString(data.permissions())).isEqualTo("rwx------");
        assertThat(data.owner().getName()).isEqualTo("portcullis");
        PosixFileAttributes conf = Files.readAttributes(ETC.resolve("portcullis.conf"), PosixFileAttributes.class);
        assertThat(PosixFilePermissions.toString(conf.permissions())).isEqualTo("rw-r-----");
        assertThat(conf.owner().getName()).isEqualTo("root");
        assertThat(conf.group().getName()).isEqualTo("portcullis");
        PosixFileAttributes kek = Files.readAttributes(ETC.resolve("kek"), PosixFileAttributes.class);
        assertThat(PosixFilePermissions.toString(kek.permissions())).isEqualTo("r--------");
        assertThat(kek.owner().getName()).isEqualTo("portcullis");
    }

    /** Polls until the node answers; fails at once if it exits. */
    private static void awaitServing(Process server, String url, Path log) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(GIVE_UP);
        while (true) {
            assertThat(server.isAlive()).as("the server exited: %s", Files.readString(log)).isTrue();
            try {
                if (client.send(HttpRequest.newBuilder(URI.create(url + "/")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() < 500) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            assertThat(Instant.now()).as("the server never answered: %s", Files.readString(log)).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    /** Stops runuser and the JVM it started (by their process ids). */
    private static void stop(Process server) throws InterruptedException {
        List<ProcessHandle> children = server.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        server.destroy();
        server.waitFor();
        children.forEach(p -> p.onExit().join());
    }
}
