package org.multiwebsocket.transport.websocket;

import jakarta.json.JsonValue;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import org.multiwebsocket.discovery.Origin;
import org.multiwebsocket.dispatch.Channel;
import org.multiwebsocket.dispatch.Lane;
import org.multiwebsocket.protocol.JsonRpc;
import org.multiwebsocket.protocol.Protocol;
import org.multiwebsocket.spi.Caller;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.logging.Level;
import java.util.logging.Logger;

/** One WebSocket connection to the gateway: its outbox, heartbeat state and token expiry. */
final class Connection extends Channel {

    private static final Logger LOG = Logger.getLogger(Connection.class.getName());
    private static final ByteBuffer PING = ByteBuffer.allocate(0);
    static final CloseReason TOKEN_EXPIRED = new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "token expired");
    private static final CloseReason UNFINISHED = new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY,
            "a fragmented message was not finished within two heartbeats");
    private static final AtomicIntegerFieldUpdater<Connection> UNANSWERED_PINGS =
            AtomicIntegerFieldUpdater.newUpdater(Connection.class, "unansweredPings");

    private final Session session;
    private final String remote;
    private final Outbox outbox;
    private final TextParts parts = new TextParts();
    private final Runnable idleChanged;
    private final boolean streamsItems;
    private volatile int unansweredPings;
    private final long openedNanos = System.nanoTime();
    private volatile boolean expired;
    private volatile Future<?> expiry;
    /** The session this socket belongs to (PROTOCOL.md section 10), or null. */
    private volatile Channel owner;
    private volatile Runnable detached;

    Connection(String id, Session session, Origin origin, Caller caller, String remote, String traceparent,
               int maxInFlight, Lane lane, int maxOutboundBytes, Runnable idleChanged) {
        super(id, origin, caller, traceparent, maxInFlight, lane);
        this.session = session;
        this.remote = remote;
        this.idleChanged = idleChanged;
        this.streamsItems = Protocol.SUBPROTOCOL.equals(session.getNegotiatedSubprotocol());
        this.outbox = new Outbox(session.getAsyncRemote(), maxOutboundBytes, this::close, idleChanged);
    }

    @Override
    public String transport() {
        return "websocket";
    }

    long openedNanos() {
        return openedNanos;
    }

    /** @return the client's address, or null when unknown */
    String remote() {
        return remote;
    }

    void send(String text) {
        if (text != null) {
            outbox.send(text);
        }
    }

    @Override
    public void reply(String text) {
        send(text);
    }

    @Override
    public void write(String frame, Runnable written) {
        if (written == null) {
            outbox.send(frame);
        } else {
            outbox.send(frame, written);
        }
    }

    @Override
    public synchronized boolean route(Channel to, Runnable onClose) {
        if (owner != null) {
            return false;
        }
        detached = onClose;
        owner = to;
        return true;
    }

    @Override
    public synchronized void unroute(Channel from) {
        if (owner == from) {
            owner = null;
            detached = null;
        }
    }

    @Override
    public String address() {
        return remote;
    }

    /** @return where this socket's frames go: its session, or the connection itself */
    Channel target() {
        Channel to = owner;
        return to == null ? this : to;
    }

    @Override
    public int inFlight() {
        Channel to = owner;
        return super.inFlight() + (to == null ? 0 : to.inFlight());
    }

    @Override
    public void close(int code, String reason) {
        close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
    }

    @Override
    protected void push(String frame) {
        outbox.send(frame);
    }

    @Override
    protected void pushItem(JsonValue id, long index, String itemJson, Runnable written) {
        outbox.send(JsonRpc.item(id, index, itemJson), written);
    }

    @Override
    public boolean canPush() {
        return true;
    }

    @Override
    public boolean streamsItems() {
        return streamsItems;
    }

    /** @return whether no call is in flight and every answer has been written */
    boolean isIdle() {
        return inFlight() == 0 && outbox.isIdle();
    }

    void pong() {
        unansweredPings = 0;
    }

    /** @return the parts of the text message coming in, joined on the read thread */
    TextParts parts() {
        return parts;
    }

    /**
     * Sends a heartbeat ping, or closes the connection when the last two went unanswered, or when a fragmented
     * message has been unfinished for longer than {@code unfinishedLimitNanos} (a client answering pings must
     * not hold a message's buffer open forever).
     */
    void heartbeat(long unfinishedLimitNanos) {
        if (UNANSWERED_PINGS.getAndIncrement(this) >= 2) {
            close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "heartbeat timeout"));
            return;
        }
        if (parts.unfinishedFor(System.nanoTime()) > unfinishedLimitNanos) {
            close(UNFINISHED);
            return;
        }
        try {
            session.getAsyncRemote().sendPing(PING.duplicate());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "ping failed on " + id(), e);
        }
    }

    /** @param task the scheduled {@link #expire()}, cancelled when the connection closes */
    void expiresWith(Future<?> task) {
        this.expiry = task;
    }

    /** The caller's token expired: refuse new calls, and close once the calls in flight are answered. */
    void expire() {
        expired = true;
        afterCall();
    }

    @Override
    public String expired() {
        return expired ? "the token expired" : null;
    }

    @Override
    public void afterCall() {
        if (expired && inFlight() == 0) {
            close(TOKEN_EXPIRED);
        }
        idleChanged.run();
    }

    void close(CloseReason reason) {
        try {
            if (session.isOpen()) {
                session.close(reason);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "close failed on " + id(), e);
        }
        outbox.close();
    }

    /** @param later runs the session's detaching (never inline: the closing thread may hold its locks) */
    void closed(java.util.concurrent.Executor later) {
        Future<?> task = expiry;
        if (task != null) {
            task.cancel(false);
        }
        outbox.close();
        abandon();
        Runnable onClose = detached;
        if (onClose != null) {
            later.execute(onClose);
        }
    }
}
