package org.multiwebsocket.transport.http;

import org.multiwebsocket.discovery.Origin;
import org.multiwebsocket.dispatch.Channel;
import org.multiwebsocket.spi.Caller;

import java.util.UUID;

/** One request to the HTTP transport: a channel that lives as long as the request. */
final class HttpChannel extends Channel {

    /**
     * @param origin      where the client reached this node
     * @param caller      the authenticated caller, or null
     * @param traceparent the request's W3C {@code traceparent} header, or null
     * @param maxInFlight calls one request may run at once (a batch's requests)
     */
    HttpChannel(Origin origin, Caller caller, String traceparent, int maxInFlight) {
        super(UUID.randomUUID().toString(), origin, caller, traceparent, maxInFlight);
    }

    @Override
    public String transport() {
        return "http";
    }
}
