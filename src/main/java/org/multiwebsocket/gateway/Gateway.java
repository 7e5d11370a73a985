package org.multiwebsocket.gateway;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import org.multiwebsocket.discovery.Origin;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

/** The open WebSocket connections of this node, and their heartbeat. */
@ApplicationScoped
public class Gateway {

    @Inject
    GatewayConfig config;
    @Inject
    Workers workers;
    @Inject
    Dispatcher dispatcher;

    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private ScheduledFuture<?> heartbeat;

    @PostConstruct
    void start() {
        if (config.heartbeatMs() > 0) {
            heartbeat = workers.every(() -> connections.values().forEach(Connection::heartbeat), config.heartbeatMs());
        }
    }

    Connection open(Session session, Origin origin) {
        session.setMaxTextMessageBufferSize(config.maxMessageBytes());
        session.setMaxBinaryMessageBufferSize(config.maxMessageBytes());
        session.setMaxIdleTimeout(0);
        Connection connection = new Connection(UUID.randomUUID().toString(), session, origin);
        connections.put(connection.id(), connection);
        return connection;
    }

    void onFrame(Connection connection, String text) {
        dispatcher.onFrame(connection, text, connection::send);
    }

    void closed(Connection connection) {
        connections.remove(connection.id());
        connection.closed();
    }

    /** @return the number of open connections */
    public int openConnections() {
        return connections.size();
    }

    @PreDestroy
    void stop() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        CloseReason goingAway = new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "gateway shutting down");
        connections.values().forEach(c -> c.close(goingAway));
    }
}
