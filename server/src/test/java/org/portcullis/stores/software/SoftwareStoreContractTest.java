package org.portcullis.stores.software;

import java.nio.file.Path;
import org.portcullis.stores.SecretStoreContract;
import org.portcullis.testing.TestServer;

/** The store contract on the software store ({@code store_crypto} + {@code simple_crypto}). */
class SoftwareStoreContractTest extends SecretStoreContract {
    @Override
    protected String storeConfig(Path dir) throws Exception {
        return """
                [secretstore:%s]
                secret_store_plugin = store_crypto
                crypto_plugin = simple_crypto
                global_default = True
                kek_file = %s
                """.formatted(STORE, TestServer.kek(dir.resolve("contract.kek")));
    }

    @Override
    protected boolean deleteDestroysExternalCopy() {
        return false; // the ciphertext is the row; the service erases it
    }
}
