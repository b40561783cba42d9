package org.portcullis.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Sends each line as an RFC 5424 syslog message (severity info, the configured facility,
 * APP-NAME {@code portcullis}, MSGID {@code audit}, no structured data, the JSON as MSG) over UDP
 * (RFC 5426: one datagram per message) or TCP (RFC 6587 octet counting).
 *
 * <p>Over TCP a collector that is down or refuses the connection makes the write fail, so the
 * request fails closed. UDP cannot tell a lost datagram from a delivered one: only local errors
 * (no route, unresolvable host, ICMP port-unreachable on a later send) fail the request — use
 * {@code tcp://} or the file sink when every event must be known to have arrived. The syslog
 * stream cannot be read back, so each start of the node begins a new chain (seq 1); a collector
 * that stores MSG as is produces a file {@code audit verify} accepts (it skips any prefix before
 * the JSON).
 */
final class SyslogAuditSink implements AuditSink {
    private static final int SEVERITY_INFO = 6;
    private static final int CONNECT_TIMEOUT_MS = 2_000;

    private final URI address;
    private final int facility;
    private final String hostname;
    private final String procId;
    private final Clock clock;
    private DatagramChannel udp;
    private Socket tcp;
    private OutputStream tcpOut;

    SyslogAuditSink(URI address, int facility, String hostname, Clock clock) throws IOException {
        this.address = address;
        this.facility = facility;
        this.hostname = hostname == null || hostname.isBlank() ? "-" : hostname.replace(' ', '_');
        this.procId = Long.toString(ProcessHandle.current().pid());
        this.clock = clock;
        if (address.getScheme().equals("udp")) {
            udp = DatagramChannel.open();
            udp.connect(new InetSocketAddress(address.getHost(), address.getPort()));
        }
    }

    /** The RFC 5424 message for one line. */
    String message(String line) {
        int pri = facility * 8 + SEVERITY_INFO;
        String time = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.MICROS));
        return "<" + pri + ">1 " + time + " " + hostname + " portcullis " + procId + " audit - " + line;
    }

    @Override
    public void write(List<byte[]> lines) throws IOException {
        for (byte[] line : lines) {
            send(new String(line, StandardCharsets.UTF_8));
        }
    }

    private void send(String line) throws IOException {
        byte[] msg = message(line).getBytes(StandardCharsets.UTF_8);
        if (udp != null) {
            udp.write(ByteBuffer.wrap(msg));
            return;
        }
        for (int attempt = 0; ; attempt++) {
            try {
                if (tcp == null) {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress(address.getHost(), address.getPort()), CONNECT_TIMEOUT_MS);
                    s.setTcpNoDelay(true);
                    tcp = s;
                    tcpOut = s.getOutputStream();
                }
                tcpOut.write((msg.length + " ").getBytes(StandardCharsets.US_ASCII));
                tcpOut.write(msg);
                tcpOut.flush();
                return;
            } catch (IOException e) {
                closeTcp();
                if (attempt > 0) {
                    throw e;
                }
                // one reconnect: the collector may have closed an idle connection
            }
        }
    }

    private void closeTcp() {
        if (tcp != null) {
            try {
                tcp.close();
            } catch (IOException ignored) {
                // already broken
            }
            tcp = null;
            tcpOut = null;
        }
    }

    @Override
    public void sync() {
        // Delivered to the kernel; syslog offers nothing stronger.
    }

    @Override
    public String describe() {
        return "syslog " + address;
    }

    @Override
    public void close() throws IOException {
        closeTcp();
        if (udp != null) {
            udp.close();
        }
    }
}
