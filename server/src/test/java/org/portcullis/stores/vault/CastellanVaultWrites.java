package org.portcullis.stores.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.UUID;

/** Vault entries written the way Barbican's vault store (castellan's vault key manager) writes them, for adoption tests. */
public final class CastellanVaultWrites {
    private CastellanVaultWrites() {}

    /** What castellan does for Barbican's store_secret: POST the record under a fresh hex uuid, which it returns. */
    public static String write(FakeVaultServer vault, String token, byte[] payload) throws Exception {
        String keyId = UUID.randomUUID().toString().replace("-", "");
        String body = "{\"data\":{\"type\":\"opaque\",\"value\":\"" + HexFormat.of().formatHex(payload)
                + "\",\"algorithm\":null,\"bit_length\":null,\"name\":null,\"created\":null}}";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(vault.url() + "/v1/secret/data/" + keyId)).header("X-Vault-Token", token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return keyId;
    }
}
