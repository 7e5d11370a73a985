package org.multiwebsocket.spi;

/**
 * What the gateway reports as it works, for metrics. The MicroProfile Metrics implementation in
 * {@code org.multiwebsocket.ops} is used where the server has MicroProfile Metrics; otherwise
 * nothing is recorded. Implementations are called on the frame path and must be cheap and thread-safe.
 */
public interface GatewayEvents {

    /** Records nothing. */
    GatewayEvents NONE = new GatewayEvents() {
    };

    /**
     * A call was answered (or, for a notification, ended).
     *
     * @param service the canonical service name, or {@code "(unknown)"} for a method no service has
     * @param code    0 for a result, else the JSON-RPC error code
     * @param nanos   how long it took, from arrival to answer
     */
    default void callFinished(String service, int code, long nanos) {
    }

    /** @param chars characters of JSON received (bytes for ASCII text) */
    default void received(long chars) {
    }

    /** @param chars characters of JSON sent (bytes for ASCII text) */
    default void sent(long chars) {
    }

    /** @param reason why a handshake (or a connection right after it) was refused: origin, token, limit, draining */
    default void handshakeRejected(String reason) {
    }
}
