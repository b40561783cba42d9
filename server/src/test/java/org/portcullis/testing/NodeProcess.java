package org.portcullis.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Portcullis node in its own process (the packaged jar, {@code serve --config}), so a test can
 * send it real signals: SIGTERM through {@link #terminate}, SIGKILL through {@link #kill}.
 */
public final class NodeProcess implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path dir;
    private final int port;
    private Process process;

    private NodeProcess(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Writes the node's configuration (the usual test stores over {@code sqlConnection}) and starts it. */
    public static NodeProcess start(Path dir, String sqlConnection, List<String> extraLines) throws Exception {
        NodeProcess node = new NodeProcess(dir, freePort());
        Path conf = TestServer.writeConfig(dir, sqlConnection, extraLines);
        Files.writeString(conf, Files.readString(conf).replace("bind_port = 0", "bind_port = " + node.port));
        node.launch();
        return node;
    }

    /** Starts the process again on the same port and configuration (a restart). */
    public void launch() throws IOException {
        Path jar = Projects.root().resolve("server/target/portcullis.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; the package phase builds it before the ITs");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        process = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString(), "serve", "--config",
                dir.resolve("portcullis.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                .start();
    }

    /** Waits (generously) until {@code /healthcheck} answers 200, or fails if the process died. */
    public NodeProcess awaitHealthy() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (health() != 200) {
            if (!process.isAlive()) {
                throw new IllegalStateException("node exited with " + process.exitValue() + "; see " + log());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("node not healthy within 180 s; see " + log());
            }
            Thread.sleep(100);
        }
        return this;
    }

    /** The status of {@code GET /healthcheck}, or -1 when nothing answers. */
    public int health() {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(url() + "/healthcheck"))
                    .timeout(Duration.ofSeconds(30)).build();
            return CLIENT.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGTERM: the graceful stop. */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL: no chance to drain. */
    public void kill() {
        process.destroyForcibly();
    }

    /** Waits for the process to end; its exit status. */
    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            throw new IllegalStateException("node did not exit within 180 s; see " + log());
        }
        return process.exitValue();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    public Path log() {
        return dir.resolve("node.log");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(60, TimeUnit.SECONDS);
        }
    }
}
