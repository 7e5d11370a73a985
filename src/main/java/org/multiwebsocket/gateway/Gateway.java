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
        if (utf8Length(text, config.maxMessageBytes()) > config.maxMessageBytes()) {
            connection.close(new CloseReason(CloseReason.CloseCodes.TOO_BIG,
                    "message exceeds maxMessageBytes (" + config.maxMessageBytes() + ")"));
            return;
        }
        dispatcher.onFrame(connection, text, connection::send);
    }

    /** The UTF-8 length of a text, counted only as far as needed to know whether it exceeds the limit. */
    static long utf8Length(String text, int limit) {
        if (text.length() > limit) {
            return text.length();
        }
        if ((long) text.length() * 3 <= limit) {
            return text.length();
        }
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
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
