package org.multiwebsocket.gateway;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.multiwebsocket.dispatch.Admission;
import org.multiwebsocket.transport.websocket.Connections;

/**
 * This gateway node as operators, health checks and handlers may see and steer it. Inject it into any
 * bean:
 * <pre>{@code
 * @Inject Gateway gateway;
 * ...
 * gateway.close(call.connectionId(), 1008, "banned");
 * }</pre>
 */
@ApplicationScoped
public class Gateway {

    @Inject
    Connections connections;
    @Inject
    Admission admission;

    /** @return the number of open WebSocket connections on this node */
    public int openConnections() {
        return connections.openConnections();
    }

    /** @return calls in flight on every open WebSocket connection, notifications included */
    public int callsInFlight() {
        return connections.callsInFlight();
    }

    /** @return whether the node takes new calls and connections (false once it drains for shutdown) */
    public boolean isAccepting() {
        return !admission.isDraining();
    }

    /**
     * Closes one WebSocket connection; its calls in flight are stopped and answer nobody.
     *
     * @param connectionId the id handlers see as {@code CallContext.connectionId()}
     * @param code         the close code (RFC 6455), e.g. 1000 or 1008
     * @param reason       the close reason, at most 123 bytes of UTF-8
     * @return whether such a connection was open on this node
     */
    public boolean close(String connectionId, int code, String reason) {
        return connections.close(connectionId, code, reason);
    }
}
