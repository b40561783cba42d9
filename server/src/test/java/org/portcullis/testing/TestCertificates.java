package org.portcullis.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.portcullis.http.tls.PemFiles;

/**
 * Throw-away certificates made by the real {@code openssl} binary: a test CA, a server
 * certificate for 127.0.0.1 and localhost signed by it (key owner-only, in the form asked for),
 * and a client certificate for mutual TLS. Also builds the Java trust material a client needs.
 */
public record TestCertificates(Path dir, Path caCert, Path serverCert, Path serverKey, Path clientCert,
        Path clientKey) {

    /** How the server's private key is written, as operators' tools write them. */
    public enum KeyForm {
        /** {@code openssl genpkey} / certbot: PKCS#8 RSA. */
        RSA_PKCS8,
        /** {@code openssl genrsa -traditional}: PKCS#1 "RSA PRIVATE KEY". */
        RSA_PKCS1,
        /** {@code openssl ecparam -genkey}: SEC1 "EC PRIVATE KEY". */
        EC_SEC1,
        /** PKCS#8 EC P-256. */
        EC_PKCS8
    }

    public static TestCertificates create(Path dir) throws IOException {
        return create(dir, KeyForm.RSA_PKCS8);
    }

    public static TestCertificates create(Path dir, KeyForm form) throws IOException {
        Files.createDirectories(dir);
        Path caKey = dir.resolve("ca.key");
        Path ca = dir.resolve("ca.pem");
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", caKey.toString(), "-out", ca.toString(), "-days", "3", "-subj", "/CN=Portcullis Test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");

        Path serverKey = dir.resolve("server.key");
        switch (form) {
            case RSA_PKCS8 -> openssl(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                    "-out", serverKey.toString());
            case RSA_PKCS1 -> openssl(dir, "genrsa", "-traditional", "-out", serverKey.toString(), "2048");
            case EC_SEC1 -> openssl(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out",
                    serverKey.toString());
            case EC_PKCS8 -> openssl(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-out", serverKey.toString());
        }
        Path server = sign(dir, ca, caKey, serverKey, "server", "/CN=localhost",
                "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        Path clientKey = dir.resolve("client.key");
        openssl(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", clientKey.toString());
        Path client = sign(dir, ca, caKey, clientKey, "client", "/CN=portcullis-test-client",
                "extendedKeyUsage=clientAuth\n");
        for (Path key : List.of(caKey, serverKey, clientKey)) {
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        }
        return new TestCertificates(dir, ca, server, serverKey, client, clientKey);
    }

    private static Path sign(Path dir, Path ca, Path caKey, Path key, String name, String subject, String extensions)
            throws IOException {
        Path csr = dir.resolve(name + ".csr");
        Path ext = dir.resolve(name + ".ext");
        Path cert = dir.resolve(name + ".pem");
        Files.writeString(ext, extensions);
        openssl(dir, "req", "-new", "-key", key.toString(), "-subj", subject, "-out", csr.toString());
        openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-days", "2", "-extfile", ext.toString(), "-out", cert.toString());
        return cert;
    }

    /** Runs {@code openssl ARGS} in {@code dir}; throws with its output when it fails. */
    public static String openssl(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        return run(dir, command, null, 60);
    }

    /** Runs a command, feeding {@code stdin} if not null; returns stdout+stderr; throws on a non-zero exit. */
    public static String run(Path dir, List<String> command, String stdin, int timeoutSeconds) throws IOException {
        ProcessResult r = exec(dir, command, stdin, timeoutSeconds);
        if (r.exit() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + r.exit() + ": " + r.output());
        }
        return r.output();
    }

    /** A finished process: exit code and interleaved output. */
    public record ProcessResult(int exit, String output) {}

    public static ProcessResult exec(Path dir, List<String> command, String stdin, int timeoutSeconds)
            throws IOException {
        return exec(dir, command, java.util.Map.of(), stdin, timeoutSeconds);
    }

    /** As {@link #exec(Path, List, String, int)} with extra environment variables. */
    public static ProcessResult exec(Path dir, List<String> command, java.util.Map<String, String> env, String stdin,
            int timeoutSeconds) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process p = pb.start();
        if (stdin != null) {
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        try (InputStream out = p.getInputStream()) {
            byte[] bytes = out.readAllBytes(); // returns at exit, or when the timeout below kills it
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            return new ProcessResult(p.exitValue(), new String(bytes, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Config lines that turn HTTPS on for a {@link TestServer} (appended after its sections). */
    public List<String> serverConfig(String... more) {
        List<String> lines = new ArrayList<>(List.of("[portcullis]", "tls_cert_file = " + serverCert,
                "tls_key_file = " + serverKey));
        lines.addAll(List.of(more));
        return lines;
    }

    /** A client context that trusts only the test CA. */
    public SSLContext clientContext() throws Exception {
        return context(false);
    }

    /** A client context that trusts the test CA and presents the test client certificate. */
    public SSLContext clientContextWithCertificate() throws Exception {
        return context(true);
    }

    /** A server TLS context from a PKCS#12 key store (a test fake's HTTPS side). */
    public static SSLContext serverContext(Path pkcs12, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pkcs12)) {
            ks.load(in, password.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    private SSLContext context(boolean withClientCertificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caCert)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (withClientCertificate) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            PrivateKey key = PemFiles.privateKey(clientKey);
            List<X509Certificate> chain = PemFiles.certificates(clientCert);
            keys.setKeyEntry("client", key, "x".toCharArray(), chain.toArray(Certificate[]::new));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "x".toCharArray());
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }
}
