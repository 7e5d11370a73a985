package org.multiwebsocket.gateway;

import org.multiwebsocket.discovery.Origin;
import org.multiwebsocket.service.Caller;

import java.util.UUID;

/** One request to the HTTP transport: a channel that lives as long as the request. */
public final class HttpPeer extends Peer {

    /**
     * @param origin    where the client reached this node
     * @param caller the authenticated caller, or null
     */
    public HttpPeer(Origin origin, Caller caller) {
        super(UUID.randomUUID().toString(), origin, caller);
    }

    @Override
    String transport() {
        return "http";
    }
}
