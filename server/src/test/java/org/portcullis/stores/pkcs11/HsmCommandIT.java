package org.portcullis.stores.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.ConfigLoader;
import org.portcullis.testing.SoftHsm;

/** {@code portcullis manage hsm gen-mkek|gen-hmac} against a SoftHSM2 token. */
class HsmCommandIT {
    @TempDir
    Path dir;

    @Test
    void createsNonExtractableLabelledKeysAndRefusesToReplaceThem() throws Exception {
        SoftHsm.Env env = SoftHsm.require();
        String prefix = "cmd-" + UUID.randomUUID();
        Path conf = SoftHsm.keysConfig(dir, SoftHsm.storeSection(env, "hsm", true, env.token(), prefix), "hsm");

        SoftHsm.Result mkek = SoftHsm.manage("hsm", "gen-mkek", "--config", conf.toString());
        SoftHsm.Result hmac = SoftHsm.manage("hsm", "gen-hmac", "--config", conf.toString(), "--store", "hsm");

        assertThat(mkek.exit()).as(mkek.err()).isZero();
        assertThat(mkek.out()).contains("created master KEK (AES-256) '" + prefix + "-mkek'")
                .contains("sensitive, not extractable");
        assertThat(hmac.exit()).as(hmac.err()).isZero();

        // Through SunPKCS11: token keys whose value cannot be read.
        var options = ConfigLoader.load(conf).stores().stores().get(0).options();
        Pkcs11Token token = Pkcs11Store.openToken("check", Pkcs11Settings.fromOptions(options), options);
        for (String label : List.of(prefix + "-mkek", prefix + "-hmac")) {
            Key key = token.session().keyStore().getKey(label, null);
            assertThat(key).as(label).isNotNull();
            assertThat(key.getEncoded()).as(label).isNull();
            assertThat(key.toString()).as(label).contains("token object").contains(", sensitive, unextractable");
        }
        // Through an independent PKCS#11 client, when installed (Debian opensc).
        if (Files.isExecutable(Path.of("/usr/bin/pkcs11-tool"))) {
            String objects = pkcs11Tool(env, token.slot(), "--login", "--pin", env.pin(), "--list-objects",
                    "--type", "secrkey");
            assertThat(object(objects, prefix + "-mkek")).startsWith("Secret Key Object; AES length 32\n")
                    .contains("Access:     sensitive, always sensitive, never extractable, local");
            assertThat(object(objects, prefix + "-hmac")).startsWith("Secret Key Object; Generic secret length 32\n")
                    .contains("Access:     sensitive, always sensitive, never extractable, local");
        }

        SoftHsm.Result again = SoftHsm.manage("hsm", "gen-mkek", "--config", conf.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("already holds an object labelled '" + prefix + "-mkek' (mkek_label); "
                + "refusing to replace it");
        SoftHsm.Result hmacAgain = SoftHsm.manage("hsm", "gen-hmac", "--config", conf.toString());
        assertThat(hmacAgain.exit()).isEqualTo(1);
        if (Files.isExecutable(Path.of("/usr/bin/pkcs11-tool"))) { // still exactly one object per label
            String objects = pkcs11Tool(env, token.slot(), "--login", "--pin", env.pin(), "--list-objects",
                    "--type", "secrkey");
            object(objects, prefix + "-mkek");
            object(objects, prefix + "-hmac");
        }
    }

    @Test
    void aConfigurationWithoutAPkcs11StoreIsRefused() throws Exception {
        Path conf = dir.resolve("plain.conf");
        Files.writeString(conf, "[DEFAULT]\nsql_connection = sqlite:///" + dir.resolve("x.sqlite") + "\n"
                + "[simple_crypto_plugin]\nkek_file = " + org.portcullis.testing.TestServer.kek(dir.resolve("kek")) + "\n");

        SoftHsm.Result r = SoftHsm.manage("hsm", "gen-mkek", "--config", conf.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no secret store uses crypto_plugin = p11_crypto");
    }

    /** pkcs11-tool's entry for one object: its type line, label, usage and access lines. */
    private static String object(String listing, String label) {
        int at = listing.indexOf("  label:      " + label + "\n");
        assertThat(at).as("pkcs11-tool lists %s:%n%s", label, listing).isPositive();
        int start = listing.lastIndexOf("Secret Key Object", at);
        int end = listing.indexOf("Secret Key Object", at);
        String entry = listing.substring(start, end < 0 ? listing.length() : end);
        assertThat(listing.indexOf("  label:      " + label + "\n", at + 1)).as("one object labelled %s", label)
                .isNegative();
        return entry;
    }

    private static String pkcs11Tool(SoftHsm.Env env, long slot, String... args) throws Exception {
        // By slot: pkcs11-tool's --token-label also matches longer labels with the same prefix.
        List<String> cmd = new java.util.ArrayList<>(List.of("pkcs11-tool", "--module", env.library().toString(),
                "--slot", Long.toString(slot)));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
