package org.portcullis.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.portcullis.testing.Api;
import org.portcullis.testing.NodePerClass;
import org.portcullis.testing.TestDatabases;

/**
 * A ciphertext altered in the database, or copied into another secret's row, is refused with a
 * 500 that says the secret failed its integrity check, and the payload is never returned.
 */
class TamperedPayloadIT extends NodePerClass {
    @Override
    protected TestDatabases.Kind database() {
        return TestDatabases.Kind.SQLITE;
    }

    @Test
    void alteredCiphertextIsRefusedAsAnIntegrityFailure() {
        Api api = new Api(server.url(), "tamper-project");
        String id = api.createText("do not leak me");
        server.app().database().write(h -> h.createUpdate(
                "UPDATE secrets SET payload = :p WHERE id = :id").bind("id", id)
                .bind("p", flipLastByte(h.createQuery("SELECT payload FROM secrets WHERE id = :id")
                        .bind("id", id).mapTo(byte[].class).one())).execute());

        Api.Response r = api.get("/v1/secrets/" + id + "/payload", "Accept", "text/plain");

        assertThat(r.status()).isEqualTo(500);
        assertThat(r.json().get("description").asText()).contains("failed its integrity check");
        assertThat(r.body()).doesNotContain("do not leak me");
    }

    @Test
    void ciphertextCopiedIntoAnotherRowDoesNotOpen() {
        Api api = new Api(server.url(), "tamper-project");
        String victim = api.createText("the victim's secret");
        String attacker = api.createText("something else");
        server.app().database().write(h -> h.createUpdate(
                "UPDATE secrets SET payload = (SELECT payload FROM secrets WHERE id = :from) WHERE id = :to")
                .bind("from", victim).bind("to", attacker).execute());

        Api.Response r = api.get("/v1/secrets/" + attacker + "/payload", "Accept", "text/plain");

        assertThat(r.status()).isEqualTo(500);
        assertThat(r.body()).doesNotContain("the victim's secret");
    }

    private static byte[] flipLastByte(byte[] b) {
        byte[] copy = b.clone();
        copy[copy.length - 1] ^= 1;
        return copy;
    }
}
