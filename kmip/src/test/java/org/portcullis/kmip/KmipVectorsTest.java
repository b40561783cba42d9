package org.portcullis.kmip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.portcullis.kmip.Kmip.CryptographicAlgorithm;
import org.portcullis.kmip.Kmip.ObjectType;
import org.portcullis.kmip.Kmip.Operation;
import org.portcullis.kmip.Kmip.ResultReason;
import org.portcullis.kmip.ManagedObject.SymmetricKey;

/**
 * Whole request and response messages against known encodings. Every vector is copied from
 * PyKMIP's unit tests, {@code kmip/tests/unit/core/messages/test_messages.py} (github
 * OpenKMIP/PyKMIP, commit 6cd44b5), which took them from the OASIS "KMIP Test Cases v1.1"
 * document; the section is given per vector. All use Protocol Version 1.1 and one batch item.
 */
class KmipVectorsTest {
    private static final KmipMessages.Version V1_1 = new KmipMessages.Version(1, 1);

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    private static byte[] request(int operation, Ttlv payload) {
        return TtlvCodec.encode(KmipMessages.request(V1_1, null, operation, payload));
    }

    // TestRequestMessage.get (test_messages.py line 328): KMIP Test Cases v1.1 §3.1.1, Get.
    static final String GET_REQUEST = "42007801000000904200770100000038420069010000002042006a02000000040000000100000000"
            + "42006b0200000004000000010000000042000d0200000004000000010000000042000f010000004842005c05000000040000000a"
            + "000000004200790100000030420094070000002434396131636138382d366265612d346662322d623435302d3765353838303263"
            + "3330333800000000";

    // TestRequestMessage.destroy (line 339): KMIP Test Cases v1.1 §3.1.1, Destroy.
    static final String DESTROY_REQUEST = "42007801000000904200770100000038420069010000002042006a0200000004000000010000"
            + "000042006b0200000004000000010000000042000d0200000004000000010000000042000f010000004842005c05000000040000"
            + "0014000000004200790100000030420094070000002466623462356239632d363138382d346336332d383134322d666539633332"
            + "38313239666300000000";

    // TestRequestMessage.create (line 277): KMIP Test Cases v1.1 §3.1.1, Create AES-128 with usage mask
    // Encrypt|Decrypt (0x0C).
    static final String CREATE_REQUEST = "42007801000001204200770100000038420069010000002042006a02000000040000000100000"
            + "00042006b0200000004000000010000000042000d0200000004000000010000000042000f01000000d842005c0500000004000000"
            + "010000000042007901000000c04200570500000004000000020000000042009101000000a8420008010000003042000a0700000017"
            + "43727970746f6772617068696320416c676f726974686d0042000b05000000040000000300000000420008010000003042000a0700"
            + "00001443727970746f67726170686963204c656e6774680000000042000b02000000040000008000000000420008010000003042"
            + "000a070000001843727970746f67726170686963205573616765204d61736b42000b02000000040000000c00000000";

    // TestRequestMessage.locate (line 352): KMIP Test Cases v1.1 §3.1.3, Locate by Object Type and Name "Key1".
    static final String LOCATE_REQUEST = "42007801000000d04200770100000038420069010000002042006a02000000040000000100000"
            + "00042006b0200000004000000010000000042000d0200000004000000010000000042000f010000008842005c0500000004000000"
            + "08000000004200790100000070420008010000002842000a070000000b4f626a6563742054797065000000000042000b05000000"
            + "040000000200000000420008010000003842000a07000000044e616d650000000042000b010000002042005507000000044b6579"
            + "310000000042005405000000040000000100000000";

    // TestResponseMessage.create (line 1376): KMIP Test Cases v1.1 §3.1.1, Create response.
    static final String CREATE_RESPONSE = "42007b01000000c042007a0100000048420069010000002042006a020000000400000001000"
            + "0000042006b020000000400000001000000004200920900000008000000004f9a54e542000d020000000400000001000000004200"
            + "0f010000006842005c0500000004000000010000000042007f0500000004000000000000000042007c0100000040420057050000"
            + "00040000000200000000420094070000002466623462356239632d363138382d346336332d383134322d66653963333238313239"
            + "666300000000";

    // TestResponseMessage.get (line 1403): KMIP Test Cases v1.1 §3.1.1 (modified by PyKMIP): a Triple-DES
    // 168-bit symmetric key in Raw format.
    static final String GET_RESPONSE = "42007b010000012842007a0100000048420069010000002042006a0200000004000000010000000"
            + "042006b020000000400000001000000004200920900000008000000004f9a54e742000d0200000004000000010000000042000f01"
            + "000000d042005c05000000040000000a0000000042007f0500000004000000000000000042007c01000000a84200570500000004"
            + "0000000200000000420094070000002434396131636138382d366265612d346662322d623435302d376535383830326333303338"
            + "0000000042008f0100000060420040010000005842004205000000040000000100000000420045010000002042004308000000187"
            + "367578051012a6d134a855e25c8cd5e4ca131455729d3c84200280500000004000000020000000042002a0200000004000000a800"
            + "000000";

    // TestResponseMessage.destroy (line 1424): KMIP Test Cases v1.1 §3.1.1, Destroy response.
    static final String DESTROY_RESPONSE = "42007b01000000b042007a0100000048420069010000002042006a02000000040000000100"
            + "00000042006b020000000400000001000000004200920900000008000000004f9a54e542000d0200000004000000010000000042"
            + "000f010000005842005c0500000004000000140000000042007f0500000004000000000000000042007c01000000304200940700"
            + "00002466623462356239632d363138382d346336332d383134322d66653963333238313239666300000000";

    // TestResponseMessage.locate (line 1438): KMIP Test Cases v1.1 §3.1.3, Locate response with one identifier.
    static final String LOCATE_RESPONSE = "42007b01000000b042007a0100000048420069010000002042006a020000000400000001000"
            + "0000042006b020000000400000001000000004200920900000008000000004f9a54e642000d020000000400000001000000004200"
            + "0f010000005842005c0500000004000000080000000042007f0500000004000000000000000042007c0100000030420094070000"
            + "002434396131636138382d366265612d346662322d623435302d37653538383032633330333800000000";

    // TestResponseMessage.invalid_message_response (line 1467): PyKMIP's own failure response,
    // Result Status Operation Failed, Result Reason Invalid Message, no Operation.
    static final String FAILURE_RESPONSE = "42007b01000000b042007a0100000048420069010000002042006a02000000040000000100"
            + "00000042006b0200000004000000010000000042009209000000080000000056fa43bd42000d0200000004000000010000000042"
            + "000f010000005842007f0500000004000000010000000042007e0500000004000000040000000042007d070000002a4465666175"
            + "6c7420726573706f6e73652e204e6f206f7065726174696f6e7320737570706f727465642e000000000000";

    @Test
    void getRequestMatchesTheTestCase() {
        assertThat(request(Operation.GET, KmipClient.uidPayload("49a1ca88-6bea-4fb2-b450-7e58802c3038")))
                .isEqualTo(hex(GET_REQUEST));
    }

    @Test
    void destroyRequestMatchesTheTestCase() {
        assertThat(request(Operation.DESTROY, KmipClient.uidPayload("fb4b5b9c-6188-4c63-8142-fe9c328129fc")))
                .isEqualTo(hex(DESTROY_REQUEST));
    }

    @Test
    void createRequestMatchesTheTestCase() {
        assertThat(request(Operation.CREATE, KmipClient.createPayload(CryptographicAlgorithm.AES, 128, List.of())))
                .isEqualTo(hex(CREATE_REQUEST));
    }

    @Test
    void locateRequestMatchesTheTestCase() {
        Ttlv payload = KmipClient.locatePayload(List.of(
                Attribute.enumeration(Attribute.OBJECT_TYPE, ObjectType.SYMMETRIC_KEY), Attribute.name("Key1")), 0);
        assertThat(request(Operation.LOCATE, payload)).isEqualTo(hex(LOCATE_REQUEST));
    }

    @Test
    void requestsDecodeAndReencodeUnchanged() {
        for (String v : List.of(GET_REQUEST, DESTROY_REQUEST, CREATE_REQUEST, LOCATE_REQUEST)) {
            assertThat(TtlvCodec.encode(TtlvCodec.decode(hex(v)))).isEqualTo(hex(v));
        }
    }

    @Test
    void createResponseYieldsTheIdentifier() {
        Ttlv payload = KmipMessages.responsePayload(Operation.CREATE, TtlvCodec.decode(hex(CREATE_RESPONSE)));
        assertThat(payload.child(Tags.OBJECT_TYPE).intValue()).isEqualTo(ObjectType.SYMMETRIC_KEY);
        assertThat(payload.child(Tags.UNIQUE_IDENTIFIER).textValue()).isEqualTo("fb4b5b9c-6188-4c63-8142-fe9c328129fc");
    }

    @Test
    void getResponseYieldsTheKey() {
        Ttlv response = TtlvCodec.decode(hex(GET_RESPONSE));
        Ttlv header = response.child(Tags.RESPONSE_HEADER);
        assertThat(header.child(Tags.TIME_STAMP).type()).isEqualTo(ItemType.DATE_TIME);
        assertThat(header.child(Tags.TIME_STAMP).longValue()).isEqualTo(0x4F9A54E7L); // 2012-04-27T08:12:23Z

        ManagedObject key = KmipClient.parseGet(KmipMessages.responsePayload(Operation.GET, response));

        assertThat(key).isEqualTo(new SymmetricKey(CryptographicAlgorithm.TRIPLE_DES, 168,
                hex("7367578051012a6d134a855e25c8cd5e4ca131455729d3c8")));
        assertThat(TtlvCodec.encode(response)).isEqualTo(hex(GET_RESPONSE));
    }

    @Test
    void destroyAndLocateResponses() {
        Ttlv destroyed = KmipMessages.responsePayload(Operation.DESTROY, TtlvCodec.decode(hex(DESTROY_RESPONSE)));
        assertThat(destroyed.child(Tags.UNIQUE_IDENTIFIER).textValue()).isEqualTo("fb4b5b9c-6188-4c63-8142-fe9c328129fc");

        Ttlv located = KmipMessages.responsePayload(Operation.LOCATE, TtlvCodec.decode(hex(LOCATE_RESPONSE)));
        assertThat(located.all(Tags.UNIQUE_IDENTIFIER)).extracting(Ttlv::textValue)
                .containsExactly("49a1ca88-6bea-4fb2-b450-7e58802c3038");
    }

    @Test
    void failureResponseBecomesAnOperationException() {
        Ttlv response = TtlvCodec.decode(hex(FAILURE_RESPONSE));

        assertThatThrownBy(() -> KmipMessages.responsePayload(Operation.GET, response))
                .isInstanceOf(KmipOperationException.class)
                .hasMessage("Get failed: INVALID_MESSAGE (Default response. No operations supported.)")
                .satisfies(e -> {
                    KmipOperationException k = (KmipOperationException) e;
                    assertThat(k.reason()).isEqualTo(ResultReason.INVALID_MESSAGE);
                    assertThat(k.resultMessage()).isEqualTo("Default response. No operations supported.");
                });
    }

    @Test
    void responseToAnotherOperationIsAProtocolError() {
        Ttlv response = TtlvCodec.decode(hex(DESTROY_RESPONSE));
        assertThatThrownBy(() -> KmipMessages.responsePayload(Operation.GET, response))
                .isInstanceOf(KmipProtocolException.class).hasMessageContaining("sent Get");
    }

    @Test
    void requestWithCredentialCarriesAuthenticationBeforeBatchCount() {
        Ttlv message = KmipMessages.request(V1_1, new Credential("alice", "s3cret"), Operation.GET,
                KmipClient.uidPayload("1"));
        Ttlv header = message.child(Tags.REQUEST_HEADER);

        assertThat(header.children()).extracting(Ttlv::tag)
                .containsExactly(Tags.PROTOCOL_VERSION, Tags.AUTHENTICATION, Tags.BATCH_COUNT);
        Ttlv credential = header.child(Tags.AUTHENTICATION).child(Tags.CREDENTIAL);
        assertThat(credential.child(Tags.CREDENTIAL_TYPE).intValue()).isEqualTo(1);
        assertThat(credential.child(Tags.CREDENTIAL_VALUE).child(Tags.USERNAME).textValue()).isEqualTo("alice");
        assertThat(credential.child(Tags.CREDENTIAL_VALUE).child(Tags.PASSWORD).textValue()).isEqualTo("s3cret");
        assertThat(new Credential("alice", "s3cret").toString()).doesNotContain("s3cret");
    }
}
