package org.portcullis.adoption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Barbican's simple_crypto hierarchy, vectors made with python3-cryptography's Fernet (fixed time
 * and IV): project key = bytes 32..63 (urlsafe base64), wrapped under the master key; payload
 * "secret \xff bytes" under the project key, base64 as in encrypted_data.cypher_text.
 */
class SimpleCryptoKeysTest {
    private static final String MASTER = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
    private static final String WRAPPED = "gAAAAABlU_EAAAECAwQFBgcICQoLDA0OD6gP7-jmEHBM49n9P0pnFiLT1a9hyHdqS246nTSJqH_K6eILqyf47GDiRq0ElS2NsVpHmLs8NQgugzpLX5hq8gTjdyMd5yC56UjdQo5Thcom";
    private static final String CYPHER_TEXT = "Z0FBQUFBQmxVX0VCQVFJREJBVUdCd2dKQ2dzTURRNFBFR3drRmtKcFczZS1mbGdaWFpsYlNRa0tBYi1YczNxSHlxTkQ2enlpTnhETERTYzBoLWFUS3pxTVZBNGgtREZTbGc9PQ==";

    private static final BarbicanRows.Encrypted ROW = new BarbicanRows.Encrypted("application/octet-stream",
            CYPHER_TEXT, "kek-1", SimpleCryptoKeys.PLUGIN, null);

    @Test
    void opensAPayloadThroughTheProjectKek() throws Exception {
        SimpleCryptoKeys keys = new SimpleCryptoKeys(Fernet.fromKey(MASTER),
                Map.of("kek-1", WRAPPED.getBytes(StandardCharsets.US_ASCII)));
        byte[] expected = "secret \u00ff bytes".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(keys.payload(ROW)).isEqualTo(expected);
    }

    @Test
    void aWrongMasterKeyOrAMissingKekIsAnInvalidToken() throws Exception {
        SimpleCryptoKeys wrong = new SimpleCryptoKeys(Fernet.fromKey("ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM="),
                Map.of("kek-1", WRAPPED.getBytes(StandardCharsets.US_ASCII)));
        assertThatThrownBy(() -> wrong.payload(ROW)).isInstanceOf(Fernet.InvalidToken.class);
        SimpleCryptoKeys none = new SimpleCryptoKeys(Fernet.fromKey(MASTER), Map.of());
        assertThatThrownBy(() -> none.payload(ROW)).hasMessageContaining("kek-1");
    }

    /** PostgreSQL has been seen to keep plugin_meta as \x-hex text; both forms give the token. */
    @Test
    void readsPluginMetaAsBytesOrAsHexText() throws Exception {
        String hex = java.util.HexFormat.of().formatHex(WRAPPED.getBytes(StandardCharsets.US_ASCII));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
                ResultSet rs = c.createStatement().executeQuery("SELECT '\\x" + hex + "', '" + WRAPPED + "', "
                        + "'2026-12-06 08:08:51.707273', '2030-01-01 00:00:00', '2030-01-01T00:00:00.5'")) {
            rs.next();
            assertThat(new String(BarbicanReader.bytes(rs, 1), StandardCharsets.US_ASCII)).isEqualTo(WRAPPED);
            assertThat(new String(BarbicanReader.bytes(rs, 2), StandardCharsets.US_ASCII)).isEqualTo(WRAPPED);
            assertThat(BarbicanReader.time(rs, 3)).isEqualTo(1796544531707L);
            assertThat(BarbicanReader.time(rs, 4)).isEqualTo(1893456000000L);
            assertThat(BarbicanReader.time(rs, 5)).isEqualTo(1893456000500L);
        }
    }
}
