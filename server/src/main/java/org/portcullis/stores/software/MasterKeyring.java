package org.portcullis.stores.software;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.portcullis.config.PortcullisConfig.KekSource;
import org.portcullis.config.PortcullisConfig.StoreSettings;
import org.portcullis.stores.MasterKeyCheck;

/**
 * A software store's master KEKs: the current one ({@code kek_file}), which wraps every new or
 * re-wrapped project KEK, and the previous ones ({@code previous_kek_files}), which this node
 * only reads with while a rotation moves project KEKs off them. A reader picks the key by the
 * master key id in the wrapped row ({@link org.portcullis.crypto.WrappedKey}).
 */
public final class MasterKeyring {
    static final String PREVIOUS_OPTION = "previous_kek_files";

    private final MasterKek current;
    private final Map<String, MasterKek> byId = new LinkedHashMap<>();

    public MasterKeyring(MasterKek current, List<MasterKek> previous) {
        this.current = current;
        byId.put(current.keyId(), current);
        for (MasterKek k : previous) {
            byId.putIfAbsent(k.keyId(), k);
        }
    }

    /** Loads the store's {@code kek_file} (or {@code kek}) and each of its {@code previous_kek_files}. */
    public static MasterKeyring load(StoreSettings.Store store) {
        List<MasterKek> previous = new ArrayList<>();
        String where = store.options().origin(PREVIOUS_OPTION);
        for (java.nio.file.Path file : store.options().paths(PREVIOUS_OPTION)) {
            previous.add(MasterKek.load(new KekSource(where, file, null)));
        }
        return new MasterKeyring(MasterKek.load(store.kek()), previous);
    }

    public MasterKek current() {
        return current;
    }

    /** The key with this id (current or previous), if this node holds it. */
    public Optional<MasterKek> byId(String keyId) {
        return Optional.ofNullable(byId.get(keyId));
    }

    /** What {@link MasterKeyCheck} checks against the store's {@code master_keys} record. */
    public MasterKeyCheck.Keys checkKeys() {
        return new MasterKeyCheck.Keys(current.keyId(), "master KEK (fingerprint " + current.keyId() + ", from "
                + current.origin() + ")", byId::containsKey, "master KEK", "kek_file", PREVIOUS_OPTION);
    }

    /** Every key id this node can read with, the current one first. */
    public List<String> keyIds() {
        return List.copyOf(byId.keySet());
    }
}
