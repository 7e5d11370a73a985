package org.multiwebsocket.transport.websocket;

import org.multiwebsocket.discovery.Origin;
import org.multiwebsocket.spi.Caller;

/**
 * What the handshake established about a connection: the caller (null when anonymous), the remote
 * address, or why the connection must be refused.
 *
 * @param origin  where the client reached this node
 * @param caller  the authenticated caller, or null
 * @param remote  the client's address, or null when unknown
 * @param refusal why the connection must be closed with 1008 at once, or null
 */
record Handshake(Origin origin, Caller caller, String remote, String refusal) {
}
