package org.portcullis.stores.pkcs11;

import java.nio.file.Path;
import org.portcullis.stores.SecretStoreContract;
import org.portcullis.testing.SoftHsm;

/**
 * The store contract on the PKCS#11 store ({@code store_crypto} + {@code p11_crypto}) over a
 * SoftHSM2 token from {@code scripts/softhsm.sh}; each test gets fresh MKEK and HMAC labels made
 * by {@code portcullis manage hsm gen-mkek / gen-hmac}.
 */
class Pkcs11StoreContractIT extends SecretStoreContract {
    @Override
    protected String storeConfig(Path dir) throws Exception {
        return SoftHsm.storeWithKeys(dir, STORE, true);
    }

    @Override
    protected boolean deleteDestroysExternalCopy() {
        return false; // the ciphertext is the row; the service erases it
    }
}
