package org.portcullis.stores.pkcs11;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.Callable;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import org.portcullis.config.ConfigException;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.PortcullisConfig;
import org.portcullis.config.PortcullisConfig.StoreSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis manage hsm gen-mkek|gen-hmac --config FILE [--store NAME]}: creates the PKCS#11
 * store's master KEK (AES-256) or HMAC key (HmacSHA256, 256 bits) in the token, under the label the
 * configuration names, as a token object that is sensitive and never extractable. An existing
 * object with that label is never replaced: replacing the master KEK would make every secret of
 * the store unreadable.
 *
 * <p>Exit status: 0 created, 1 refused (the label exists), 2 configuration or token error.
 */
@Command(name = "hsm", mixinStandardHelpOptions = true, description = "Create the PKCS#11 store's keys in the HSM.",
        subcommands = {HsmCommand.GenMkek.class, HsmCommand.GenHmac.class})
public final class HsmCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    abstract static class Gen implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, required = true, description = "configuration file")
        Path config;

        @Option(names = "--store", description = "the [secretstore:NAME] to use when several use p11_crypto")
        String store;

        abstract boolean mkek();

        @Override
        public Integer call() {
            try {
                return generate();
            } catch (ConfigException e) {
                System.err.println("portcullis: " + e.getMessage());
                return 2;
            }
        }

        private int generate() {
            PortcullisConfig conf = ConfigLoader.load(config);
            StoreSettings.Store target = pick(conf.stores().stores());
            Pkcs11Settings settings = Pkcs11Settings.fromOptions(target.options());
            String option = mkek() ? "mkek_label" : "hmac_label";
            String label = mkek() ? settings.mkekLabel() : settings.hmacLabel();
            Pkcs11Token token = Pkcs11Store.openToken(target.name(), settings, target.options());
            KeyStore ks = token.session().keyStore();
            String where = settings.tokenDescription() + " (slot " + token.slot() + ")";
            try {
                if (ks.containsAlias(label)) {
                    System.err.println("portcullis: " + where + " already holds an object labelled '" + label + "' ("
                            + option + "); refusing to replace it, because secrets may depend on it. Set another "
                            + option + " to create a new key.");
                    return 1;
                }
                KeyGenerator gen = KeyGenerator.getInstance(mkek() ? "AES" : "HmacSHA256", token.session().provider());
                gen.init(256);
                SecretKey sessionKey = gen.generateKey();
                // C_CopyObject into a token object labelled `label`; the provider's template made
                // the key sensitive and non-extractable, and the copy keeps that.
                ks.setEntry(label, new KeyStore.SecretKeyEntry(sessionKey), null);
                ks.load(null, settings.pin());
                if (!(ks.getKey(label, null) instanceof SecretKey)) {
                    throw new IllegalStateException("the key was stored but cannot be read back");
                }
            } catch (Exception e) {
                System.err.println("portcullis: creating '" + label + "' in " + where + " failed: "
                        + Pkcs11Errors.explain(e));
                return 2;
            }
            System.out.println("created " + (mkek() ? "master KEK (AES-256)" : "HMAC key (HmacSHA256, 256 bits)")
                    + " '" + label + "' in " + where + ": token object, sensitive, not extractable");
            return 0;
        }

        private StoreSettings.Store pick(List<StoreSettings.Store> stores) {
            List<StoreSettings.Store> p11 = stores.stream().filter(s -> "p11_crypto".equals(s.cryptoPlugin())).toList();
            if (store != null) {
                return p11.stream().filter(s -> s.name().equals(store)).findFirst()
                        .orElseThrow(() -> new ConfigException(config + ": no secret store '" + store + "' uses "
                                + "crypto_plugin = p11_crypto (those that do: " + names(p11) + ")"));
            }
            if (p11.size() != 1) {
                throw new ConfigException(config + ": " + (p11.isEmpty() ? "no secret store uses crypto_plugin = "
                        + "p11_crypto" : "several secret stores use p11_crypto (" + names(p11) + "); pick one with --store"));
            }
            return p11.get(0);
        }

        private static String names(List<StoreSettings.Store> stores) {
            return stores.isEmpty() ? "none" : String.join(", ", stores.stream().map(StoreSettings.Store::name).toList());
        }
    }

    @Command(name = "gen-mkek", mixinStandardHelpOptions = true,
            description = "Create the master KEK (AES-256) named by mkek_label, if absent.")
    static final class GenMkek extends Gen {
        @Override
        boolean mkek() {
            return true;
        }
    }

    @Command(name = "gen-hmac", mixinStandardHelpOptions = true,
            description = "Create the HMAC key (HmacSHA256) named by hmac_label, if absent.")
    static final class GenHmac extends Gen {
        @Override
        boolean mkek() {
            return false;
        }
    }
}
