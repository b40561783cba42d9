package org.portcullis.kmip;

import java.util.ArrayList;
import java.util.List;
import org.portcullis.kmip.Kmip.ResultStatus;

/**
 * Request and response messages (spec §7): one batch item per message, which is all this client
 * sends. A request is {@code RequestMessage{RequestHeader{ProtocolVersion, [Authentication],
 * BatchCount=1}, BatchItem{Operation, RequestPayload}}}; a response is
 * {@code ResponseMessage{ResponseHeader{ProtocolVersion, TimeStamp, BatchCount},
 * BatchItem{Operation, ResultStatus, [ResultReason], [ResultMessage], [ResponsePayload]}}}.
 */
final class KmipMessages {
    private KmipMessages() {}

    /** Protocol Version: KMIP 1.0 to 1.4 share this message layout. */
    record Version(int major, int minor) {
        Ttlv encode() {
            return Ttlv.structure(Tags.PROTOCOL_VERSION, Ttlv.integer(Tags.PROTOCOL_VERSION_MAJOR, major),
                    Ttlv.integer(Tags.PROTOCOL_VERSION_MINOR, minor));
        }
    }

    static Ttlv request(Version version, Credential credential, int operation, Ttlv payload) {
        List<Ttlv> header = new ArrayList<>();
        header.add(version.encode());
        if (credential != null) {
            header.add(credential.encode());
        }
        header.add(Ttlv.integer(Tags.BATCH_COUNT, 1));
        return Ttlv.structure(Tags.REQUEST_MESSAGE, Ttlv.structure(Tags.REQUEST_HEADER, header),
                Ttlv.structure(Tags.BATCH_ITEM, Ttlv.enumeration(Tags.OPERATION, operation), payload));
    }

    static Ttlv payload(List<Ttlv> fields) {
        return Ttlv.structure(Tags.REQUEST_PAYLOAD, fields);
    }

    /**
     * The response payload of a one-item response to {@code operation}, or the server's failure
     * as a {@link KmipOperationException}. An operation that returns nothing yields an empty payload.
     */
    static Ttlv responsePayload(int operation, Ttlv response) {
        if (response.tag() != Tags.RESPONSE_MESSAGE) {
            throw new KmipProtocolException("expected a RESPONSE_MESSAGE, got " + Tags.name(response.tag()));
        }
        List<Ttlv> items = response.all(Tags.BATCH_ITEM);
        if (items.size() != 1) {
            throw new KmipProtocolException("expected one batch item in the response, got " + items.size());
        }
        Ttlv item = items.get(0);
        int status = item.child(Tags.RESULT_STATUS).intValue();
        // A failure may omit Operation (PyKMIP does for messages it cannot parse), so check it after.
        if (status != ResultStatus.SUCCESS) {
            int reason = item.find(Tags.RESULT_REASON).map(Ttlv::intValue).orElse(Kmip.ResultReason.GENERAL_FAILURE.code());
            String message = item.find(Tags.RESULT_MESSAGE).map(Ttlv::textValue).orElse(null);
            if (status == ResultStatus.OPERATION_PENDING) {
                message = "the server answered asynchronously (Operation Pending), which this client does not support";
            }
            throw KmipOperationException.of(operation, reason, message);
        }
        int answered = item.child(Tags.OPERATION).intValue();
        if (answered != operation) {
            throw new KmipProtocolException("sent " + Kmip.Operation.name(operation) + " but the response is for "
                    + Kmip.Operation.name(answered));
        }
        return item.find(Tags.RESPONSE_PAYLOAD).orElse(Ttlv.structure(Tags.RESPONSE_PAYLOAD));
    }
}
