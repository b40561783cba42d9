package org.portcullis.stores.pkcs11;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import org.portcullis.config.StoreOptions;
import org.portcullis.crypto.AssociatedData;
import org.portcullis.crypto.Hmac;
import org.portcullis.stores.MasterKeyCheck;
import org.portcullis.stores.StoreException;

/**
 * The (MKEK label, HMAC label) pairs of a PKCS#11 store: the current pair ({@code mkek_label},
 * {@code hmac_label}) wraps new and re-wrapped project KEKs; the previous pairs
 * ({@code previous_mkek_labels}, {@code previous_hmac_labels}, comma-separated, same order) only
 * open rows during a rotation. A pair is named by its master id: HMAC, in the token under the
 * pair's HMAC key, of a constant and the MKEK label ({@link org.portcullis.crypto.TokenWrappedKey}
 * carries it), so a reader picks the pair by the row.
 */
final class HsmKeyring {
    static final String PREVIOUS_MKEKS = "previous_mkek_labels";
    static final String PREVIOUS_HMACS = "previous_hmac_labels";

    /** One pair and its master id (hex). */
    record Pair(String mkekLabel, String hmacLabel, String masterId) {}

    private final Pair current;
    private final Map<String, Pair> byId = new LinkedHashMap<>();

    private HsmKeyring(Pair current, List<Pair> previous) {
        this.current = current;
        byId.put(current.masterId(), current);
        previous.forEach(p -> byId.putIfAbsent(p.masterId(), p));
    }

    /** The current pair and the configured previous ones, each checked to exist in the token. */
    static HsmKeyring open(Pkcs11Token token, StoreOptions options) {
        Pkcs11Settings settings = token.settings();
        Pair current = pair(token, settings.mkekLabel(), settings.hmacLabel());
        List<String> mkeks = list(options, PREVIOUS_MKEKS);
        List<String> hmacs = list(options, PREVIOUS_HMACS);
        if (mkeks.size() != hmacs.size()) {
            throw options.invalid(PREVIOUS_HMACS, "must name as many labels as " + PREVIOUS_MKEKS + " (one HMAC key "
                    + "per previous MKEK, in the same order)");
        }
        List<Pair> previous = new java.util.ArrayList<>();
        for (int i = 0; i < mkeks.size(); i++) {
            for (String label : List.of(mkeks.get(i), hmacs.get(i))) {
                if (key(token.session(), label) == null) {
                    throw options.invalid(label.equals(mkeks.get(i)) ? PREVIOUS_MKEKS : PREVIOUS_HMACS, "names '" + label
                            + "', which is not a secret key in " + settings.tokenDescription());
                }
            }
            previous.add(pair(token, mkeks.get(i), hmacs.get(i)));
        }
        return new HsmKeyring(current, previous);
    }

    private static List<String> list(StoreOptions options, String key) {
        return Arrays.stream(options.string(key, "").split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static Pair pair(Pkcs11Token token, String mkekLabel, String hmacLabel) {
        try {
            byte[] full = token.call("computing the master key id", s -> Hmac.inToken(require(key(s, hmacLabel),
                    hmacLabel), s.provider()).mac(AssociatedData.of("portcullis p11 master id v1", mkekLabel)));
            return new Pair(mkekLabel, hmacLabel, HexFormat.of().formatHex(full, 0, HsmProjectKeys.MASTER_ID_BYTES));
        } catch (AEADBadTagException e) {
            throw new IllegalStateException(e); // HMAC does not authenticate anything
        }
    }

    /** The key labelled {@code label} in the session's token, or null. */
    static SecretKey key(Pkcs11Token.Session s, String label) {
        try {
            return s.keyStore().getKey(label, null) instanceof SecretKey k ? k : null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("reading '" + label + "' from the token failed: " + e.getMessage(), e);
        }
    }

    static SecretKey require(SecretKey key, String label) {
        if (key == null) {
            throw new StoreException("the token no longer holds the key labelled '" + label + "': secrets wrapped by "
                    + "it cannot be decrypted until it is restored to the token", null);
        }
        return key;
    }

    /** What {@link MasterKeyCheck} checks against the store's {@code master_keys} record. */
    MasterKeyCheck.Keys checkKeys() {
        return new MasterKeyCheck.Keys(current.masterId(), "MKEK/HMAC pair (master id " + current.masterId()
                + ", labels '" + current.mkekLabel() + "' / '" + current.hmacLabel() + "')", byId::containsKey,
                "MKEK/HMAC pair", "mkek_label/hmac_label", PREVIOUS_MKEKS + "/" + PREVIOUS_HMACS);
    }

    Pair current() {
        return current;
    }

    Optional<Pair> byId(String masterId) {
        return Optional.ofNullable(byId.get(masterId));
    }

    List<String> ids() {
        return List.copyOf(byId.keySet());
    }
}
