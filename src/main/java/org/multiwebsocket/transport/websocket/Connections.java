package org.multiwebsocket.transport.websocket;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import org.multiwebsocket.config.GatewayConfig;
import org.multiwebsocket.config.Unproxied;
import org.multiwebsocket.discovery.Origin;
import org.multiwebsocket.dispatch.Admission;
import org.multiwebsocket.dispatch.Channel;
import org.multiwebsocket.dispatch.ClientLog;
import org.multiwebsocket.dispatch.Dispatcher;
import org.multiwebsocket.dispatch.SessionMethods;
import org.multiwebsocket.dispatch.Telemetry;
import org.multiwebsocket.dispatch.Workers;
import org.multiwebsocket.spi.Caller;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The open WebSocket connections of this node: their limits, heartbeat, expiry and shutdown. */
@ApplicationScoped
public class Connections implements Unproxied<Connections> {

    private static final Logger LOG = Logger.getLogger(Connections.class.getName());
    private static final ClientLog CONNECTIONS = new ClientLog("org.multiwebsocket.connections", 50);
    private static final CloseReason TOO_MANY = new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER, "too many connections");
    private static final CloseReason SHUTTING_DOWN = new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "gateway shutting down");
    private static final long DRAIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    @Inject
    GatewayConfig config;
    @Inject
    Workers workers;
    @Inject
    Dispatcher dispatcher;
    @Inject
    Admission admission;
    @Inject
    Telemetry telemetry;
    @Inject
    Instance<SessionMethods> sessions;

    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final ReentrantLock idleLock = new ReentrantLock();
    /** One for every connection, rather than a method reference made per connection. */
    private final Runnable idleChanged = this::idleChanged;
    private final Condition idle = idleLock.newCondition();
    private ConnectionLimits limits;
    private CloseReason tooBig;
    private ScheduledFuture<?> heartbeat;
    private int maxMessageBytes;
    private TyrusWorkarounds.NothingScheduled scheduler;

    @PostConstruct
    void start() {
        dispatcher = dispatcher.unproxied().get();
        workers = workers.unproxied().get();
        admission = admission.unproxied().get();
        telemetry = telemetry.unproxied().get();
        maxMessageBytes = config.maxMessageBytes();
        scheduler = new TyrusWorkarounds.NothingScheduled(workers.timer());
        limits = new ConnectionLimits(config.maxConnections(), config.maxConnectionsPerAddress());
        tooBig = new CloseReason(CloseReason.CloseCodes.TOO_BIG,
                "message exceeds maxMessageBytes (" + config.maxMessageBytes() + ")");
        if (config.heartbeatMs() > 0) {
            long unfinishedLimitNanos = TimeUnit.MILLISECONDS.toNanos(2L * config.heartbeatMs());
            heartbeat = workers.every(() -> connections.values().forEach(c -> c.heartbeat(unfinishedLimitNanos)),
                    config.heartbeatMs());
        }
    }

    /** @return whether a handshake from this address would be refused for the connection limits now */
    boolean full(String remote) {
        return limits.full(remote);
    }

    /**
     * Admits a new connection whose handshake was vetted, or closes it: 1008 when the handshake was
     * refused, 1001 while the node drains, 1013 past the connection limits.
     *
     * @return the connection, or null when it was closed
     */
    Connection open(Session session, Origin origin, Handshake handshake, String traceparent) {
        TyrusWorkarounds.tune(session, scheduler);
        Caller caller = handshake.caller();
        String remote = handshake.remote();
        Connection connection = new Connection(UUID.randomUUID().toString(), session, origin, caller, remote,
                traceparent, config.maxInFlight(), admission.newLane(), config.maxOutboundBytes(), idleChanged);
        if (handshake.refusal() != null) {
            CONNECTIONS.log(Level.INFO, () -> "connection refused after the handshake: " + handshake.refusal());
            telemetry.events().handshakeRejected(handshake.refusal().startsWith("origin") ? "origin" : "token");
            connection.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, handshake.refusal()));
            return null;
        }
        if (admission.isDraining()) {
            telemetry.events().handshakeRejected("draining");
            connection.close(SHUTTING_DOWN);
            return null;
        }
        if (!limits.tryAcquire(remote)) {
            telemetry.events().handshakeRejected("limit");
            connection.close(TOO_MANY);
            return null;
        }
        connections.put(connection.id(), connection);
        if (handshake.inbound() != null) {
            handshake.inbound().onExceeded(() -> connection.close(tooBig));
        }
        if (caller != null && caller.expiresAt() != null) {
            long delayMs = Math.max(0, Duration.between(Instant.now(), caller.expiresAt()).toMillis());
            connection.expiresWith(workers.schedule(connection::expire, delayMs));
        }
        return connection;
    }

    /** The largest text message accepted, in UTF-8 bytes. */
    int maxMessageBytes() {
        return maxMessageBytes;
    }

    void onFrame(Connection connection, String text) {
        if (MessageSize.utf8Length(text, maxMessageBytes) > maxMessageBytes) {
            connection.close(tooBig);
            return;
        }
        Channel target = connection.target();
        dispatcher.onFrame(target, text, target::reply);
    }

    /** Runs a closed connection's detaching on the timer, never on the closing thread; not once the timer has stopped. */
    private void detachLater(Runnable task) {
        try {
            workers.schedule(task, 0);
        } catch (RejectedExecutionException stopped) {
            CONNECTIONS.log(Level.FINE,
                    () -> "a connection closed after the gateway's timer stopped: its session is not detached here");
        }
    }

    void closed(Connection connection, CloseReason reason) {
        if (connections.remove(connection.id()) == null) {
            return;
        }
        limits.release(connection.remote());
        connection.closed(this::detachLater);
        CONNECTIONS.log(Level.INFO, () -> "connection " + connection.id() + (connection.remote() == null ? "" : " from " + connection.remote())
                    + " closed: " + reason.getCloseCode().getCode()
                    + (reason.getReasonPhrase() == null || reason.getReasonPhrase().isEmpty() ? ""
                            : " " + ClientLog.clip(reason.getReasonPhrase()))
                    + " after " + (System.nanoTime() - connection.openedNanos()) / 1_000_000_000 + " s and "
                    + connection.callsStarted() + " call(s)"
                    + (connection.traceparent() == null ? "" : " traceparent=" + connection.traceparent()));
        idleChanged();
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
        return limits.from(remote);
    }

    /** @return remote addresses with at least one open connection */
    public int addresses() {
        return limits.addresses();
    }

    /**
     * Closes one connection.
     *
     * @param connectionId the id handlers see as {@code CallContext.connectionId()}
     * @param code         the close code
     * @param reason       the close reason, at most 123 bytes
     * @return whether such a connection was open
     */
    public boolean close(String connectionId, int code, String reason) {
        Connection connection = connections.get(connectionId);
        if (connection == null) {
            Channel session = connections.values().stream().map(Connection::target)
                    .filter(target -> target.id().equals(connectionId)).findFirst().orElse(null);
            if (session != null) {
                session.close(code, reason);
            }
            return session != null;
        }
        connection.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
        return true;
    }

    /** @return calls in flight on every open connection, notifications included */
    public int callsInFlight() {
        return connections.values().stream().mapToInt(Channel::inFlight).sum();
    }

    /** A call was released, an outbox emptied or a connection closed: a drain may be waiting for that. */
    private void idleChanged() {
        if (admission.isDraining()) {
            idleLock.lock();
            try {
                idle.signalAll();
            } finally {
                idleLock.unlock();
            }
        }
    }

    private boolean allIdle() {
        return connections.values().stream().allMatch(Connection::isIdle)
                && (!sessions.isResolvable() || sessions.get().inFlight() == 0);
    }

    /**
     * The application is stopping (undeploy or server stop), before any of its beans is destroyed: new
     * calls get -32006, calls in flight get the grace period to finish, then every socket closes with 1001.
     */
    void drain(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
        admission.drain();
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.shutdownGraceMs());
        idleLock.lock();
        try {
            // calls of sessions without a socket signal nothing here: look again now and then
            for (long left = end - System.nanoTime(); !allIdle() && left > 0; left = end - System.nanoTime()) {
                idle.awaitNanos(Math.min(left, DRAIN_POLL_NANOS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            idleLock.unlock();
        }
        LOG.info(() -> "gateway shutting down: closing " + connections.size() + " connection(s), "
                + callsInFlight() + " call(s) still in flight");
        connections.values().forEach(c -> c.close(SHUTTING_DOWN));
    }
}
