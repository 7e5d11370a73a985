package org.multiwebsocket.gateway;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import org.multiwebsocket.discovery.Origin;
import org.multiwebsocket.security.Handshake;
import org.multiwebsocket.service.Caller;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/** The open WebSocket connections of this node: their limits, heartbeat, expiry and shutdown. */
@ApplicationScoped
public class Gateway {

    private static final Logger LOG = Logger.getLogger(Gateway.class.getName());
    private static final CloseReason TOO_MANY = new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER, "too many connections");
    private static final CloseReason SHUTTING_DOWN = new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "gateway shutting down");

    @Inject
    GatewayConfig config;
    @Inject
    Workers workers;
    @Inject
    Dispatcher dispatcher;
    @Inject
    Telemetry telemetry;

    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private ScheduledFuture<?> heartbeat;

    @PostConstruct
    void start() {
        if (config.heartbeatMs() > 0) {
            heartbeat = workers.every(() -> connections.values().forEach(Connection::heartbeat), config.heartbeatMs());
        }
    }

    /**
     * Admits a new connection, or closes it with 1013 past the limits, or 1008 when its handshake was refused.
     *
     * @return the connection, or null when it was closed
     */
    Connection open(Session session, Origin origin, Handshake handshake, String traceparent) {
        session.setMaxTextMessageBufferSize(config.maxMessageBytes());
        session.setMaxBinaryMessageBufferSize(config.maxMessageBytes());
        TyrusTuning.tune(session, workers.timer());
        Caller caller = handshake == null ? null : handshake.caller();
        String remote = handshake == null ? null : handshake.remote();
        Connection connection = new Connection(UUID.randomUUID().toString(), session, origin, caller, remote,
                traceparent, config.maxOutboundBytes());
        if (handshake != null && handshake.refusal() != null) {
            LOG.info(() -> "connection refused after the handshake: " + handshake.refusal());
            telemetry.events().handshakeRejected(handshake.refusal().startsWith("origin") ? "origin" : "token");
            connection.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, handshake.refusal()));
            return null;
        }
        if (dispatcher.isDraining()) {
            telemetry.events().handshakeRejected("draining");
            connection.close(SHUTTING_DOWN);
            return null;
        }
        AtomicInteger fromRemote = remote == null ? null : perAddress.computeIfAbsent(remote, r -> new AtomicInteger());
        if (connections.size() >= config.maxConnections()
                || (fromRemote != null && fromRemote.get() >= config.maxConnectionsPerAddress())) {
            telemetry.events().handshakeRejected("limit");
            connection.close(TOO_MANY);
            return null;
        }
        if (fromRemote != null) {
            fromRemote.incrementAndGet();
        }
        connections.put(connection.id(), connection);
        if (caller != null && caller.expiresAt() != null) {
            long delayMs = Math.max(0, Duration.between(Instant.now(), caller.expiresAt()).toMillis());
            workers.schedule(connection::expire, delayMs);
        }
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

    void closed(Connection connection, CloseReason reason) {
        if (connections.remove(connection.id()) == null) {
            return;
        }
        if (connection.remote() != null) {
            perAddress.computeIfPresent(connection.remote(), (r, count) -> count.decrementAndGet() <= 0 ? null : count);
        }
        connection.closed();
        telemetry.connectionClosed(connection, reason, connection.openedNanos());
    }

    /** @return the number of open connections */
    public int openConnections() {
        return connections.size();
    }

    /**
     * @param remote a client address
     * @return the open connections from it
     */
    public int connectionsFrom(String remote) {
        AtomicInteger count = remote == null ? null : perAddress.get(remote);
        return count == null ? 0 : count.get();
    }

    /**
     * Closes one connection, for operators (and tests) that must let a client go.
     *
     * @param connectionId the id handlers see as {@code CallContext.connectionId()}
     * @param code         the close code
     * @param reason       the close reason, at most 123 bytes
     * @return whether such a connection was open
     */
    public boolean close(String connectionId, int code, String reason) {
        Connection connection = connections.get(connectionId);
        if (connection == null) {
            return false;
        }
        connection.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
        return true;
    }

    /** @return calls in flight on every open connection, notifications included */
    public int callsInFlight() {
        return connections.values().stream().mapToInt(Peer::inFlight).sum();
    }

    /**
     * The application is stopping (undeploy or server stop), before any of its beans is destroyed: new
     * calls get -32006, calls in flight get the grace period to finish, then every socket closes with 1001.
     */
    void drain(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
        dispatcher.drain();
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        long end = System.nanoTime() + config.shutdownGraceMs() * 1_000_000;
        while (!connections.values().stream().allMatch(Connection::isIdle) && System.nanoTime() < end) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        LOG.info(() -> "gateway shutting down: closing " + connections.size() + " connection(s), "
                + callsInFlight() + " call(s) still in flight");
        connections.values().forEach(c -> c.close(SHUTTING_DOWN));
    }
}
