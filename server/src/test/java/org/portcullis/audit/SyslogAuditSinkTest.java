package org.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.portcullis.audit.Lines.event;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.http.ApiException;

/** The syslog sink against real sockets on the loopback: a UDP listener and a TCP collector. */
class SyslogAuditSinkTest {
    private static final AuditKey KEY = AuditKey.of(new byte[32], "zero key");

    @TempDir
    Path dir;

    private void assertChainVerifies(List<String> messages) throws IOException {
        List<String> msgs = new ArrayList<>();
        for (String m : messages) {
            assertThat(m).matches("<86>1 \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z host-a portcullis \\d+ audit - \\{.*\\}");
            msgs.add(m);
        }
        Path file = dir.resolve("collected.log");
        Lines.write(file, msgs); // as a collector storing the whole message would
        AuditVerifier.Report r = AuditVerifier.verify(List.of(file), Map.of(KEY.keyId(), KEY));
        assertThat(r.intact()).as(r.message()).isTrue();
        assertThat(r.events()).isEqualTo(messages.size());
    }

    @Test
    void udpDatagramsCarryRfc5424MessagesThatVerify() throws Exception {
        try (DatagramSocket listener = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(5_000);
            URI address = URI.create("udp://127.0.0.1:" + listener.getLocalPort());
            AuditTrail trail = AuditTrail.over(new SyslogAuditSink(address, 10, "host-a", Clock.systemUTC()), KEY,
                    Clock.systemUTC(), "portcullis@host-a");
            trail.write(event("alice", AuditAction.READ, "s1"), false);
            trail.write(event("bob", AuditAction.DELETE, "s1"), true);
            List<String> received = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                DatagramPacket p = new DatagramPacket(new byte[65_536], 65_536);
                listener.receive(p);
                received.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
            }
            trail.close();
            assertThat(received.get(0)).contains("\"action\":\"start\"");
            assertThat(received.get(1)).contains("\"id\":\"alice\"");
            assertChainVerifies(received);
        }
    }

    @Test
    void tcpUsesOctetCountingAndFailsClosedWhenTheCollectorIsGone() throws Exception {
        ServerSocket collector = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        CompletableFuture<List<String>> frames = CompletableFuture.supplyAsync(() -> {
            List<String> out = new ArrayList<>();
            try (Socket s = collector.accept(); DataInputStream in = new DataInputStream(s.getInputStream())) {
                for (int i = 0; i < 3; i++) {
                    StringBuilder len = new StringBuilder();
                    for (int c = in.read(); c != ' '; c = in.read()) {
                        len.append((char) c);
                    }
                    byte[] msg = new byte[Integer.parseInt(len.toString())];
                    in.readFully(msg);
                    out.add(new String(msg, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return out;
        });
        URI address = URI.create("tcp://127.0.0.1:" + collector.getLocalPort());
        AuditTrail trail = AuditTrail.over(new SyslogAuditSink(address, 10, "host-a", Clock.systemUTC()), KEY,
                Clock.systemUTC(), "portcullis@host-a");
        trail.write(event("alice", AuditAction.READ, "s1"), false);
        trail.write(event("alice", AuditAction.CREATE, "s2"), true);
        assertChainVerifies(frames.get(10, java.util.concurrent.TimeUnit.SECONDS));

        collector.close(); // the collector is gone: connection reset, then refused
        assertThatThrownBy(() -> {
            for (int i = 0; i < 5; i++) {
                trail.write(event("alice", AuditAction.READ, "s3"), false);
            }
        }).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
        trail.close();
    }
}
