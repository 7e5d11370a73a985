package org.multiwebsocket.gateway;

import org.multiwebsocket.discovery.Origin;

import java.security.Principal;
import java.util.UUID;

/** One request to the HTTP transport: a channel that lives as long as the request. */
public final class HttpPeer extends Peer {

    /**
     * @param origin    where the client reached this node
     * @param principal the authenticated caller, or null
     */
    public HttpPeer(Origin origin, Principal principal) {
        super(UUID.randomUUID().toString(), origin, principal);
    }

    @Override
    String transport() {
        return "http";
    }
}
