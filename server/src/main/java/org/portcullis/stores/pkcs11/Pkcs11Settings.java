package org.portcullis.stores.pkcs11;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.portcullis.config.StoreOptions;

/**
 * The options of one PKCS#11 store, from Barbican's {@code [p11_crypto_plugin]} overlaid by the
 * store's {@code [secretstore:NAME]} section. Every Barbican key is accepted; those that select
 * behaviour Portcullis does not offer are checked so a configuration cannot silently ask for
 * something else than it gets:
 *
 * <ul>
 *   <li>{@code library_path} (required), the vendor PKCS#11 library.
 *   <li>Token: {@code token_labels} / {@code token_label} (first label that matches),
 *       {@code token_serial_number}, or {@code slot_id}. Labels and serials are resolved to a slot
 *       at start; when none of them is set, {@code slot_id} (Barbican's default 1) is used as is.
 *   <li>{@code login} (required): the user PIN. Never logged.
 *   <li>{@code mkek_label}, {@code hmac_label} (required): the token's master KEK and HMAC key,
 *       made by {@code portcullis manage hsm gen-mkek|gen-hmac}. {@code mkek_length} and
 *       {@code pkek_length} must be 32 (AES-256).
 *   <li>{@code encryption_mechanism}: only {@code CKM_AES_GCM}; Barbican's default
 *       ({@code CKM_AES_CBC}, used when unset) is replaced by AES-GCM, which authenticates.
 *   <li>{@code aes_gcm_generate_iv} / {@code generate_iv} (default True): take IVs and project
 *       KEKs from the token's random generator; False takes them from the JVM's SecureRandom.
 *   <li>{@code seed_file} + {@code seed_length}: bytes fed to the token's generator at start
 *       (C_SeedRandom), as Barbican does.
 *   <li>{@code pkek_cache_ttl} (seconds, default 900) and {@code pkek_cache_limit} (default 100):
 *       the cache of unwrapped project KEKs.
 *   <li>{@code os_locking_ok} (default False): True refuses a library that cannot use OS locking
 *       (SunPKCS11 otherwise falls back to single-threaded access).
 *   <li>{@code session_pool_size} (Portcullis' own, default 16): how many HSM operations may run at
 *       once. SunPKCS11 keeps its own session pool, bounded by the token's session limit; this
 *       bounds concurrent operations (and so sessions) below what the token allows.
 *   <li>Accepted and without effect, because the key types and mechanisms are fixed:
 *       {@code hmac_key_type}, {@code hmac_keygen_mechanism}, {@code hmac_mechanism} /
 *       {@code hmac_keywrap_mechanism} (HMAC is CKM_SHA256_HMAC), {@code key_wrap_mechanism},
 *       {@code key_wrap_generate_iv} (project KEKs are wrapped by AES-GCM in the token),
 *       {@code rw_session} (SunPKCS11 opens read-write sessions when the token allows),
 *       {@code always_set_cka_sensitive} (generated keys are always sensitive), {@code plugin_name}.
 * </ul>
 */
public record Pkcs11Settings(Path library, List<String> tokenLabels, String tokenSerial, Long slotId,
        char[] pin, String mkekLabel, String hmacLabel, boolean tokenRandom, Optional<Path> seedFile, int seedLength,
        int pkekCacheTtlSeconds, int pkekCacheLimit, boolean requireOsLocking, int sessionPoolSize) {

    public static Pkcs11Settings fromOptions(StoreOptions o) {
        String lib = o.required("library_path");
        Path library = o.path("library_path").orElseThrow();
        if (!Files.isRegularFile(library)) {
            throw o.invalid("library_path", "names " + lib + ", which does not exist (for SoftHSM2 on Debian: "
                    + "apt-get install softhsm2; library /usr/lib/softhsm/libsofthsm2.so)");
        }
        List<String> labels = new ArrayList<>();
        o.string("token_labels").ifPresent(v -> {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    labels.add(part.strip());
                }
            }
        });
        o.string("token_label").map(String::strip).filter(l -> !labels.contains(l)).ifPresent(labels::add);
        String serial = o.string("token_serial_number").map(String::strip).orElse(null);
        Long slot = o.has("slot_id") ? (long) o.integer("slot_id", 1, 0, Integer.MAX_VALUE) : null;
        if (labels.isEmpty() && serial == null && slot == null) {
            slot = 1L; // Barbican's default
        }
        String pin = o.required("login");
        String mkek = o.required("mkek_label");
        String hmac = o.required("hmac_label");
        if (mkek.equals(hmac)) {
            throw o.invalid("hmac_label", "must differ from mkek_label ('" + mkek + "')");
        }
        for (String key : List.of("mkek_length", "pkek_length")) {
            int n = o.integer(key, 32, 1, 1024);
            if (n != 32) {
                throw o.invalid(key, "must be 32: Portcullis uses AES-256 keys (got " + n + ")");
            }
        }
        String mechanism = o.string("encryption_mechanism").or(() -> o.string("algorithm")).orElse("CKM_AES_GCM");
        if (!mechanism.strip().toUpperCase(Locale.ROOT).equals("CKM_AES_GCM")) {
            String key = o.has("encryption_mechanism") ? "encryption_mechanism" : "algorithm";
            throw o.invalid(key, "must be CKM_AES_GCM: Portcullis seals payloads only with AES-GCM, which also "
                    + "authenticates them (got '" + mechanism + "')");
        }
        boolean tokenRandom = o.has("aes_gcm_generate_iv") ? o.bool("aes_gcm_generate_iv", true)
                : o.bool("generate_iv", true);
        Optional<Path> seedFile = o.path("seed_file");
        int seedLength = o.integer("seed_length", 32, 1, 4096);
        seedFile.ifPresent(f -> {
            if (!Files.isReadable(f)) {
                throw o.invalid("seed_file", "names " + f + ", which is not readable");
            }
        });
        for (String key : List.of("hmac_mechanism", "hmac_keywrap_mechanism")) {
            o.string(key).ifPresent(v -> {
                if (!v.strip().equalsIgnoreCase("CKM_SHA256_HMAC")) {
                    throw o.invalid(key, "must be CKM_SHA256_HMAC, the only HMAC Portcullis uses (got '" + v + "')");
                }
            });
        }
        for (String key : List.of("hmac_key_type", "hmac_keygen_mechanism", "key_wrap_mechanism")) {
            o.string(key).ifPresent(v -> {
                if (!v.strip().matches("(?i)CK[KM]_[A-Z0-9_]+")) {
                    throw o.invalid(key, "expected a PKCS#11 name such as CKM_AES_KEY_GEN (got '" + v + "')");
                }
            });
        }
        for (String key : List.of("rw_session", "key_wrap_generate_iv", "always_set_cka_sensitive")) {
            o.bool(key, true); // validated; see the class comment for why they change nothing
        }
        return new Pkcs11Settings(library, List.copyOf(labels), serial, slot, pin.toCharArray(), mkek, hmac,
                tokenRandom, seedFile, seedLength, o.integer("pkek_cache_ttl", 900, 0, 86_400 * 7),
                o.integer("pkek_cache_limit", 100, 1, 10_000_000), o.bool("os_locking_ok", false),
                o.integer("session_pool_size", 16, 1, 4096));
    }

    /** How the token is selected, for messages. */
    public String tokenDescription() {
        if (!tokenLabels.isEmpty()) {
            return "token labelled " + String.join(" or ", tokenLabels.stream().map(l -> "'" + l + "'").toList());
        }
        if (tokenSerial != null) {
            return "token with serial number " + tokenSerial;
        }
        return "slot " + slotId;
    }

    @Override
    public String toString() {
        return "Pkcs11Settings[" + library + ", " + tokenDescription() + ", mkek_label=" + mkekLabel + ", hmac_label="
                + hmacLabel + ", login=***]";
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
