package org.portcullis.auth.keystone;

import java.time.Duration;
import java.time.Instant;
import org.portcullis.config.PortcullisConfig.KeystoneSettings;
import org.portcullis.health.Finding;

/** {@code manage doctor}'s look at Keystone: a real login with the service credentials of {@code [keystone_authtoken]}. */
public final class KeystoneDoctor {
    private KeystoneDoctor() {}

    public static Finding check(KeystoneSettings settings) {
        String check = "keystone";
        try {
            KeystoneClient.ServiceToken token = new KeystoneClient(settings).login();
            Duration left = Duration.between(Instant.now(), token.expiresAt());
            return Finding.pass(check, "service user " + settings.username() + " logged in at " + settings.identityUri()
                    + " (token valid " + left.toMinutes() + " min)");
        } catch (KeystoneUnavailableException e) {
            return Finding.fail(check, e.getMessage() + ": every API request would be answered 503",
                    "check [keystone_authtoken] www_authenticate_uri/auth_url, username, password and that Keystone "
                            + "at " + settings.identityUri() + " is up");
        }
    }
}
