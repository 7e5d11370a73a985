package org.multiwebsocket.protocol;

/**
 * The names PROTOCOL.md fixes, shared by the gateway and its clients.
 */
public final class Protocol {

    /** The subprotocol of the gateway socket, and the protocol name in discovery. */
    public static final String SUBPROTOCOL = "multiwebsocket.v1";
    /** Prefix of the subprotocol entry that carries a browser's bearer token. */
    public static final String BEARER_SUBPROTOCOL = "bearer.";
    /** Path of the gateway socket below the context root. */
    public static final String GATEWAY_PATH = "/gateway";
    /** Path of the HTTP transport below the context root. */
    public static final String HTTP_PATH = "/api/rpc";
    /** Path of the OpenRPC document below the context root. */
    public static final String OPENRPC_PATH = "/api/openrpc.json";
    /** Path of the discovery resource below the context root. */
    public static final String DISCOVERY_PATH = "/api/discover";

    private Protocol() {
    }
}
