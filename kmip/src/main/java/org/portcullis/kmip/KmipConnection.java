package org.portcullis.kmip;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One TLS connection to the server, used by one caller at a time (the pool guarantees that).
 * Messages are framed by TTLV itself: the 8-byte header of the Response Message carries the
 * length of the rest. {@code TCP_NODELAY} is set: a request is one small write followed by a
 * wait, which is the case Nagle's algorithm plus delayed ACK turn into a 40 ms stall.
 */
final class KmipConnection implements AutoCloseable {
    /** Responses above this are refused rather than buffered (a Get of a large certificate is ~10 kB). */
    static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

    private final SSLSocket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private boolean used;

    private KmipConnection(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 8192));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
    }

    /** Connects and completes the TLS handshake, so TLS failures surface here, not mid-request. */
    static KmipConnection open(KmipClientConfig config) throws IOException {
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.setKeepAlive(true);
            plain.connect(new InetSocketAddress(config.host(), config.port()), (int) config.connectTimeout().toMillis());
            SSLSocket tls = (SSLSocket) config.tls().getSocketFactory().createSocket(plain, config.host(), config.port(), true);
            tls.setEnabledProtocols(config.tlsProtocols().toArray(String[]::new));
            if (config.verifyHostname()) {
                SSLParameters params = tls.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(params);
            }
            tls.setSoTimeout((int) config.connectTimeout().toMillis());
            tls.startHandshake();
            tls.setSoTimeout((int) config.readTimeout().toMillis());
            return new KmipConnection(tls);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** Whether a request has gone through this connection before (a reused pool connection). */
    boolean used() {
        return used;
    }

    /**
     * Sends one request and reads one response. {@link Stale} means the connection was found
     * closed before any response byte arrived: a pooled connection the server dropped while idle.
     */
    byte[] roundTrip(byte[] request) throws IOException {
        boolean reused = used;
        used = true;
        byte[] header = new byte[8];
        try {
            out.write(request);
            out.flush();
            int first = in.read();
            if (first < 0) {
                throw new EOFException("the server closed the connection without answering");
            }
            header[0] = (byte) first;
        } catch (java.net.SocketTimeoutException e) {
            throw e; // a slow server, not a dropped connection: do not resend
        } catch (IOException e) {
            throw reused ? new Stale(e) : e;
        }
        in.readFully(header, 1, 7);
        int tag = (header[0] & 0xFF) << 16 | (header[1] & 0xFF) << 8 | (header[2] & 0xFF);
        if (tag != Tags.RESPONSE_MESSAGE || header[3] != ItemType.STRUCTURE.code()) {
            throw new KmipProtocolException(String.format("the server's answer does not start with a Response Message "
                    + "(tag 0x%06X, type 0x%02X); is this a KMIP port?", tag, header[3]));
        }
        long length = ((header[4] & 0xFFL) << 24) | ((header[5] & 0xFF) << 16) | ((header[6] & 0xFF) << 8) | (header[7] & 0xFF);
        if (length > MAX_RESPONSE_BYTES) {
            throw new KmipProtocolException("response of " + length + " bytes exceeds the " + MAX_RESPONSE_BYTES + " limit");
        }
        byte[] message = new byte[8 + (int) length];
        System.arraycopy(header, 0, message, 0, 8);
        in.readFully(message, 8, (int) length);
        return message;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a broken connection: nothing left to do
        }
    }

    /** The connection was closed by the peer before the request got any answer. */
    static final class Stale extends IOException {
        Stale(IOException cause) {
            super("pooled connection was closed by the server: " + cause.getMessage(), cause);
        }
    }
}
