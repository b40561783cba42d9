package org.portcullis.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster {@code scripts/cluster.sh} runs (etcd, Patroni, three nodes, HAProxy), driven from
 * a test: start and stop it, signal its parts, and ask HAProxy what it thinks of each node.
 */
public final class Cluster implements AutoCloseable {
    private final Path dir;
    private final Map<String, String> lines;

    private Cluster(Path dir, Map<String, String> lines) {
        this.dir = dir;
        this.lines = lines;
    }

    public static Cluster up() throws Exception {
        Path dir = Files.createTempDirectory("portcullis-cluster");
        return new Cluster(dir, script("up", dir.toString()));
    }

    /** Runs {@code scripts/cluster.sh ARGS}; its PORTCULLIS_CLUSTER_* lines. Fails on a non-zero exit. */
    static Map<String, String> script(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", Projects.root().resolve("scripts/cluster.sh").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, String> out = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                int eq = line.indexOf('=');
                if (line.startsWith("PORTCULLIS_CLUSTER_") && eq > 0) {
                    out.put(line.substring("PORTCULLIS_CLUSTER_".length(), eq), line.substring(eq + 1));
                }
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("scripts/cluster.sh " + String.join(" ", args) + " failed");
        }
        return out;
    }

    /** The HAProxy frontend. */
    public String url() {
        return lines.get("URL");
    }

    public String jdbc() {
        return lines.get("JDBC");
    }

    public Path dir() {
        return dir;
    }

    public String nodeUrl(int n) throws IOException {
        return "http://127.0.0.1:" + Files.readString(dir.resolve("ports/node" + n)).strip();
    }

    /** {@code start}, {@code term} (SIGTERM, waits for the exit) or {@code kill} (SIGKILL) node {@code n}. */
    public void node(String verb, int n) throws Exception {
        script("node", verb, String.valueOf(n), dir.toString());
    }

    /** SIGKILLs the PostgreSQL primary's Patroni and postmaster; returns the member's name. */
    public String killPrimary() throws Exception {
        return script("pg", "kill-primary", "-", dir.toString()).get("KILLED");
    }

    public void startMember(String name) throws Exception {
        script("pg", "start", name, dir.toString());
    }

    /** What HAProxy's checks say of node {@code n}: UP, DOWN, ... (the status column of {@code show stat}). */
    public String balancerStatus(int n) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(dir.resolve("haproxy.sock")));
            ch.write(ByteBuffer.wrap("show stat\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            StringBuilder text = new StringBuilder();
            while (ch.read(buf) > 0) {
                buf.flip();
                text.append(StandardCharsets.US_ASCII.decode(buf));
                buf.clear();
            }
            for (String row : text.toString().split("\n")) {
                String[] f = row.split(",", -1);
                if (f.length > 17 && f[0].equals("nodes") && f[1].equals("node" + n)) {
                    return f[17];
                }
            }
            return "UNKNOWN";
        }
    }

    @Override
    public void close() throws Exception {
        script("down", dir.toString());
    }
}
