package org.multiwebsocket.transport.websocket;

import org.multiwebsocket.discovery.Origin;
import org.multiwebsocket.spi.Caller;

/**
 * What the handshake established about a connection: the caller (null when anonymous), the remote
 * address, or why the connection must be refused, and the limit its input is held to.
 *
 * @param origin  where the client reached this node
 * @param caller  the authenticated caller, or null
 * @param remote  the client's address, or null when unknown
 * @param refusal why the connection must be closed with 1008 at once, or null
 * @param inbound the limit on the connection's input, or null when the handshake bypassed the filter
 */
record Handshake(Origin origin, Caller caller, String remote, String refusal, InboundLimit inbound) {

    Handshake(Origin origin, Caller caller, String remote, String refusal) {
        this(origin, caller, remote, refusal, null);
    }

    Handshake limitedBy(InboundLimit limit) {
        return new Handshake(origin, caller, remote, refusal, limit);
    }
}
