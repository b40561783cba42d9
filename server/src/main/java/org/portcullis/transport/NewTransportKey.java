package org.portcullis.transport;

/** A validated {@code POST /v1/transport_keys} body. */
record NewTransportKey(String pluginName, String transportKey) {}
