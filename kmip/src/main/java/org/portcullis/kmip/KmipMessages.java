package org.portcullis.kmip;

import java.util.ArrayList;
import java.util.List;
import org.portcullis.kmip.Kmip.ResultStatus;

/**
 * Request and response messages (spec §7), usually with one batch item; a Get with its
 * attributes goes as two items in one message, so it costs one round trip. A request is {@code RequestMessage{RequestHeader{ProtocolVersion, [Authentication],
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
        return request(version, credential, List.of(new Item(operation, payload)));
    }

    /** One operation of a (possibly batched) request. */
    record Item(int operation, Ttlv payload) {}

    /** A request with several batch items, which the server processes in order. */
    static Ttlv request(Version version, Credential credential, List<Item> items) {
        List<Ttlv> header = new ArrayList<>();
        header.add(version.encode());
        if (credential != null) {
            header.add(credential.encode());
        }
        header.add(Ttlv.integer(Tags.BATCH_COUNT, items.size()));
        List<Ttlv> message = new ArrayList<>();
        message.add(Ttlv.structure(Tags.REQUEST_HEADER, header));
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            // More than one item: each needs a Unique Batch Item ID (spec §6.4), here its index.
            message.add(items.size() == 1
                    ? Ttlv.structure(Tags.BATCH_ITEM, Ttlv.enumeration(Tags.OPERATION, item.operation()), item.payload())
                    : Ttlv.structure(Tags.BATCH_ITEM, Ttlv.enumeration(Tags.OPERATION, item.operation()),
                            Ttlv.bytes(Tags.UNIQUE_BATCH_ITEM_ID, new byte[] {(byte) i}), item.payload()));
        }
        return Ttlv.structure(Tags.REQUEST_MESSAGE, message);
    }

    static Ttlv payload(List<Ttlv> fields) {
        return Ttlv.structure(Tags.REQUEST_PAYLOAD, fields);
    }

    /**
     * The response payload of a one-item response to {@code operation}, or the server's failure
     * as a {@link KmipOperationException}. An operation that returns nothing yields an empty payload.
     */
    static Ttlv responsePayload(int operation, Ttlv response) {
        return responsePayloads(List.of(operation), response).get(0);
    }

    /**
     * The response payloads of a batched request, in order; the first failed item is thrown as a
     * {@link KmipOperationException}.
     */
    static List<Ttlv> responsePayloads(List<Integer> operations, Ttlv response) {
        if (response.tag() != Tags.RESPONSE_MESSAGE) {
            throw new KmipProtocolException("expected a RESPONSE_MESSAGE, got " + Tags.name(response.tag()));
        }
        List<Ttlv> items = response.all(Tags.BATCH_ITEM);
        if (items.size() != operations.size()) {
            // A server that cannot parse a request answers with a single failed item.
            if (items.size() == 1) {
                check(operations.get(0), items.get(0));
            }
            throw new KmipProtocolException("expected " + operations.size() + " batch items in the response, got "
                    + items.size());
        }
        List<Ttlv> payloads = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Ttlv item = items.get(i);
            if (items.size() > 1 && !java.util.Arrays.equals(item.find(Tags.UNIQUE_BATCH_ITEM_ID).map(Ttlv::bytesValue)
                    .orElse(null), new byte[] {(byte) i})) {
                throw new KmipProtocolException("batch item " + i + " of the response does not carry its Unique Batch "
                        + "Item ID");
            }
            payloads.add(check(operations.get(i), item));
        }
        return payloads;
    }

    private static Ttlv check(int operation, Ttlv item) {
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
