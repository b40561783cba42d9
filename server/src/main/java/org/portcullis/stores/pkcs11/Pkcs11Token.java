package org.portcullis.stores.pkcs11;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import org.portcullis.stores.StoreException;
import org.portcullis.stores.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logged-in SunPKCS11 provider on the configured token, and the gate every HSM call passes.
 *
 * <p><b>Sessions.</b> SunPKCS11 keeps its own pool of PKCS#11 sessions (it opens them on demand,
 * up to the token's {@code ulMaxRwSessionCount}, or 32 when the token does not say, and reuses
 * idle ones); its configuration has no pool size. {@code session_pool_size} therefore bounds how
 * many HSM operations run at once — a {@link Semaphore} — and so how many sessions SunPKCS11
 * needs. A call that waits longer than {@link #ACQUIRE_TIMEOUT_SECONDS} for a permit fails as
 * unavailable, instead of queueing without bound behind a slow HSM.
 *
 * <p><b>Recovery.</b> PKCS#11 login state belongs to the process and the token: a token reset,
 * or another application calling C_Logout, leaves every session logged out and every private key
 * handle invalid. A call that fails that way (CKR_USER_NOT_LOGGED_IN, a stale handle, a token
 * SunPKCS11 declared removed) logs in again, reloads the keys by label — recreating the provider
 * when the old one is unusable — and is retried once. Failures that remain are reported as a
 * {@link StoreUnavailableException} (the secrets are intact) with the library's reason.
 */
final class Pkcs11Token {
    private static final Logger LOG = LoggerFactory.getLogger(Pkcs11Token.class);
    static final int ACQUIRE_TIMEOUT_SECONDS = 30;

    /** An HSM operation on the current provider and keys. */
    interface Op<T> {
        T run(Session s) throws GeneralSecurityException;
    }

    /** The provider, its keystore and the two master keys, replaced as a whole on reconnect. */
    record Session(Provider provider, KeyStore keyStore, SecretKey mkek, SecretKey hmac, SecureRandom random) {}

    private final String storeName;
    private final Pkcs11Settings settings;
    private final long slot;
    private final Semaphore permits;
    private volatile Session session;
    private volatile String lastFailure;

    private Pkcs11Token(String storeName, Pkcs11Settings settings, long slot, Session session) {
        this.storeName = storeName;
        this.settings = settings;
        this.slot = slot;
        this.permits = new Semaphore(settings.sessionPoolSize(), true);
        this.session = session;
    }

    /**
     * Loads the library, finds the token, logs in and loads the keys named by {@code mkek_label}
     * and {@code hmac_label} (either may be absent: see {@link Session}).
     *
     * @throws OpenFailed naming the option at fault
     */
    static Pkcs11Token open(String storeName, Pkcs11Settings s) {
        long slot;
        try {
            slot = TokenDirectory.resolve(s);
        } catch (TokenDirectory.LookupFailed e) {
            throw new OpenFailed(s.tokenLabels().isEmpty() ? "token_serial_number" : "token_labels", e.getMessage(), e);
        }
        return new Pkcs11Token(storeName, s, slot, connect(storeName, s, slot));
    }

    private static Session connect(String storeName, Pkcs11Settings s, long slot) {
        Provider provider;
        try {
            provider = Security.getProvider("SunPKCS11").configure("--" + providerConfig(storeName, s, slot));
        } catch (RuntimeException e) {
            String explained = Pkcs11Errors.explain(e);
            if (Pkcs11Errors.returnCode(e).isEmpty() && String.valueOf(e.getMessage()).contains("does not exist")) {
                throw new OpenFailed("library_path", "cannot be loaded: " + explained, e);
            }
            String key = s.tokenLabels().isEmpty() && s.tokenSerial() == null ? "slot_id" : "token_labels";
            throw new OpenFailed(key, "(" + s.tokenDescription() + ", slot " + slot + "): the token cannot be used: "
                    + explained, e);
        }
        KeyStore ks;
        try {
            ks = KeyStore.getInstance("PKCS11", provider);
            ks.load(null, s.pin());
        } catch (Exception e) {
            if (Pkcs11Errors.kind(e) == Pkcs11Errors.Kind.PIN) {
                throw new OpenFailed("login", "was refused by " + s.tokenDescription() + ": "
                        + Pkcs11Errors.explain(e) + "; set the token's user PIN (no secret is affected)", e);
            }
            throw new OpenFailed("login", "could not log in to " + s.tokenDescription() + ": "
                    + Pkcs11Errors.explain(e), e);
        }
        try {
            if (s.seedFile().isPresent()) {
                seed(provider, s);
            }
            SecureRandom random = s.tokenRandom() ? SecureRandom.getInstance("PKCS11", provider) : new SecureRandom();
            return new Session(provider, ks, secretKey(ks, s.mkekLabel()), secretKey(ks, s.hmacLabel()), random);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new OpenFailed("login", "the token's keys cannot be read: " + Pkcs11Errors.explain(e), e);
        }
    }

    private static void seed(Provider provider, Pkcs11Settings s) throws GeneralSecurityException, java.io.IOException {
        byte[] seed = new byte[s.seedLength()];
        try (var in = java.nio.file.Files.newInputStream(s.seedFile().get())) {
            int n = in.readNBytes(seed, 0, seed.length);
            SecureRandom.getInstance("PKCS11", provider).setSeed(java.util.Arrays.copyOf(seed, n)); // C_SeedRandom
        } finally {
            java.util.Arrays.fill(seed, (byte) 0);
        }
    }

    static String providerConfig(String storeName, Pkcs11Settings s, long slot) {
        // Keys generated through this provider (only by `manage hsm gen-*`) never leave the token.
        return "name = portcullis-" + storeName.replaceAll("[^A-Za-z0-9_.-]", "_") + "\n"
                + "library = " + s.library() + "\n"
                + "slot = " + slot + "\n"
                + "allowSingleThreadedModules = " + !s.requireOsLocking() + "\n"
                + "attributes(generate, CKO_SECRET_KEY, *) = {\n"
                + "  CKA_SENSITIVE = true\n"
                + "  CKA_EXTRACTABLE = false\n"
                + "}\n";
    }

    private static SecretKey secretKey(KeyStore ks, String label) throws GeneralSecurityException {
        Key key = ks.getKey(label, null);
        return key instanceof SecretKey secret ? secret : null;
    }

    Pkcs11Settings settings() {
        return settings;
    }

    long slot() {
        return slot;
    }

    Session session() {
        return session;
    }

    /** The last failure an operation reported, or null once one succeeded again. */
    String lastFailure() {
        return lastFailure;
    }

    /**
     * Runs one HSM operation under a permit, logging in again and retrying once when the session
     * was lost. An authentication failure ({@link AEADBadTagException}) is the caller's to judge.
     */
    <T> T call(String what, Op<T> op) throws AEADBadTagException {
        acquire(what);
        try {
            Session used = session;
            try {
                T result = op.run(used);
                lastFailure = null;
                return result;
            } catch (AEADBadTagException | StoreException e) {
                throw e;
            } catch (GeneralSecurityException | RuntimeException e) {
                if (!recoverable(e)) {
                    throw failure(what, e);
                }
                LOG.warn("secret store '{}': {} failed ({}); logging in to the token again", storeName, what,
                        Pkcs11Errors.explain(e));
                reconnect(used);
                try {
                    T result = op.run(session);
                    lastFailure = null;
                    return result;
                } catch (AEADBadTagException | StoreException again) {
                    throw again;
                } catch (GeneralSecurityException | RuntimeException again) {
                    throw failure(what, again);
                }
            }
        } finally {
            permits.release();
        }
    }

    private void acquire(String what) {
        try {
            if (!permits.tryAcquire(ACQUIRE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                String m = "HSM busy: " + what + " waited " + ACQUIRE_TIMEOUT_SECONDS + " s for one of "
                        + settings.sessionPoolSize() + " session_pool_size slots; no secret is lost, retry later";
                lastFailure = m;
                throw new StoreUnavailableException(m, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for the HSM", e);
        }
    }

    private static boolean recoverable(Throwable e) {
        Pkcs11Errors.Kind kind = Pkcs11Errors.kind(e);
        return kind == Pkcs11Errors.Kind.LOGGED_OUT || kind == Pkcs11Errors.Kind.STALE_HANDLE
                || kind == Pkcs11Errors.Kind.UNAVAILABLE;
    }

    /** Logs in again (and reloads the keys), unless another thread already replaced {@code failed}. */
    private synchronized void reconnect(Session failed) {
        if (session != failed) {
            return;
        }
        try {
            failed.keyStore().load(null, settings.pin());
            session = new Session(failed.provider(), failed.keyStore(), secretKey(failed.keyStore(), settings.mkekLabel()),
                    secretKey(failed.keyStore(), settings.hmacLabel()), failed.random());
            return;
        } catch (Exception e) {
            LOG.warn("secret store '{}': logging in again failed ({}); reopening the token", storeName,
                    Pkcs11Errors.explain(e));
        }
        try {
            session = connect(storeName, settings, slot);
        } catch (OpenFailed e) {
            throw failure("logging in to the token again", e.getCause() == null ? e : e.getCause());
        }
    }

    /** A failed operation, as the API and the health check report it. */
    private StoreException failure(String what, Throwable e) {
        Pkcs11Errors.Kind kind = Pkcs11Errors.kind(e);
        String explained = Pkcs11Errors.explain(e);
        StoreException mapped = switch (kind) {
            case UNAVAILABLE, LOGGED_OUT, STALE_HANDLE -> new StoreUnavailableException("HSM unreachable (" + explained
                    + ") during " + what + ": no secret is lost, reads and writes fail until it returns", e);
            case PIN -> new StoreUnavailableException("HSM login failed (" + explained + ") during " + what
                    + ": no secret is lost; fix [p11_crypto_plugin] login, then requests succeed again", e);
            case OTHER -> new StoreException("HSM operation failed during " + what + ": " + explained
                    + "; existing secrets are not changed", e);
        };
        lastFailure = mapped.getMessage();
        return mapped;
    }

    /** The token could not be opened; {@code key} is the option to fix. */
    static final class OpenFailed extends RuntimeException {
        private final String key;

        OpenFailed(String key, String message, Throwable cause) {
            super(message, cause);
            this.key = key;
        }

        String key() {
            return key;
        }
    }
}
