package org.multiwebsocket.gateway;

import org.multiwebsocket.protocol.RpcError;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One log line per failed call and per closed connection (never a payload), and the metrics events.
 * Malformed input (-32700, -32600, -32601) is logged at FINE so that garbage cannot flood the log;
 * every other failure at INFO. Unexpected handler failures are logged once, at WARNING, with their
 * error id, by the dispatcher.
 */
@ApplicationScoped
public class Telemetry {

    static final String UNKNOWN_SERVICE = "(unknown)";
    private static final Logger CALLS = Logger.getLogger("org.multiwebsocket.calls");
    private static final Logger CONNECTIONS = Logger.getLogger("org.multiwebsocket.connections");

    @Inject
    Instance<GatewayEvents> implementations;

    private GatewayEvents events = GatewayEvents.NONE;

    @PostConstruct
    void resolve() {
        if (implementations.isResolvable()) {
            events = implementations.get();
        }
    }

    /** @return where metrics events go */
    public GatewayEvents events() {
        return events;
    }

    void callFinished(Peer peer, Object id, String service, int code, String message, long startNanos) {
        long nanos = System.nanoTime() - startNanos;
        events.callFinished(service, code, nanos);
        if (code == 0 || code == RpcError.INTERNAL_ERROR) {
            return;
        }
        Level level = code == RpcError.PARSE_ERROR || code == RpcError.INVALID_REQUEST || code == RpcError.METHOD_NOT_FOUND
                ? Level.FINE : Level.INFO;
        if (CALLS.isLoggable(level)) {
            CALLS.log(level, "call " + id + " to " + service + " on " + peer.transport() + " connection " + peer.id()
                    + " failed: " + code + " " + message + " after " + nanos / 1_000_000 + " ms" + trace(peer));
        }
    }

    void connectionClosed(Connection connection, CloseReason reason, long openedNanos) {
        if (CONNECTIONS.isLoggable(Level.INFO)) {
            CONNECTIONS.info("connection " + connection.id() + (connection.remote() == null ? "" : " from " + connection.remote())
                    + " closed: " + reason.getCloseCode().getCode()
                    + (reason.getReasonPhrase() == null || reason.getReasonPhrase().isEmpty() ? "" : " " + reason.getReasonPhrase())
                    + " after " + (System.nanoTime() - openedNanos) / 1_000_000_000 + " s and " + connection.callsStarted()
                    + " call(s)" + trace(connection));
        }
    }

    private static String trace(Peer peer) {
        return peer.traceparent() == null ? "" : " traceparent=" + peer.traceparent();
    }
}
