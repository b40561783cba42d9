package org.portcullis.adoption;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Barbican's simple_crypto key hierarchy: the master {@code kek} (a Fernet key) wraps each
 * project KEK ({@code kek_data.plugin_meta}, a Fernet token whose plaintext is the project's
 * Fernet key); a payload ({@code encrypted_data.cypher_text}) is base64 of a Fernet token under the
 * project KEK. Unwrapped project KEKs are kept for the run only; the import's worker threads share them.
 */
final class SimpleCryptoKeys {
    static final String PLUGIN = "barbican.plugin.crypto.simple_crypto.SimpleCryptoPlugin";

    private final Fernet master;
    private final Map<String, byte[]> wrapped;
    private final Map<String, Fernet> projectKeks = new java.util.concurrent.ConcurrentHashMap<>();

    SimpleCryptoKeys(Fernet master, Map<String, byte[]> wrapped) {
        this.master = master;
        this.wrapped = wrapped;
    }

    /** The project KEK {@code kekId}; InvalidToken when the master KEK does not open it. */
    Fernet projectKek(String kekId) throws Fernet.InvalidToken {
        Fernet kek = projectKeks.get(kekId);
        if (kek == null) {
            byte[] token = wrapped.get(kekId);
            if (token == null) {
                throw new Fernet.InvalidToken("project KEK " + kekId + " has no wrapped key (kek_data.plugin_meta)");
            }
            byte[] key = master.decrypt(token);
            kek = Fernet.fromKey(key);
            java.util.Arrays.fill(key, (byte) 0);
            projectKeks.put(kekId, kek);
        }
        return kek;
    }

    /** The plaintext of one store_crypto payload. */
    byte[] payload(BarbicanRows.Encrypted e) throws Fernet.InvalidToken {
        byte[] token;
        try {
            token = Base64.getDecoder().decode(e.cypherText().strip().getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException ex) {
            throw new Fernet.InvalidToken("cypher_text is not base64");
        }
        return projectKek(e.kekId()).decrypt(token);
    }
}
