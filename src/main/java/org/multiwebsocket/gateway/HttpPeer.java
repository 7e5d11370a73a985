package org.multiwebsocket.gateway;

import org.multiwebsocket.discovery.Origin;
import org.multiwebsocket.service.Caller;

import java.util.UUID;

/** One request to the HTTP transport: a channel that lives as long as the request. */
public final class HttpPeer extends Peer {

    /**
     * @param origin    where the client reached this node
     * @param caller      the authenticated caller, or null
     * @param traceparent the request's W3C {@code traceparent} header, or null
     */
    public HttpPeer(Origin origin, Caller caller, String traceparent) {
        super(UUID.randomUUID().toString(), origin, caller, traceparent);
    }

    @Override
    String transport() {
        return "http";
    }
}
