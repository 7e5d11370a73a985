package org.multiwebsocket.gateway;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import org.multiwebsocket.discovery.Origin;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/** One WebSocket connection to the gateway. */
final class Connection extends Peer {

    private static final Logger LOG = Logger.getLogger(Connection.class.getName());
    private static final ByteBuffer PING = ByteBuffer.allocate(0);

    private final Session session;
    private final Outbox outbox;
    private final AtomicInteger unansweredPings = new AtomicInteger();

    Connection(String id, Session session, Origin origin) {
        super(id, origin, session.getUserPrincipal());
        this.session = session;
        this.outbox = new Outbox(session.getAsyncRemote());
    }

    @Override
    String transport() {
        return "websocket";
    }

    void send(String text) {
        if (text != null) {
            outbox.send(text);
        }
    }

    void pong() {
        unansweredPings.set(0);
    }

    /**
     * Sends a heartbeat ping, or closes the connection when the last two went unanswered.
     */
    void heartbeat() {
        if (unansweredPings.getAndIncrement() >= 2) {
            close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "heartbeat timeout"));
            return;
        }
        try {
            session.getAsyncRemote().sendPing(PING.duplicate());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "ping failed on " + id(), e);
        }
    }

    void close(CloseReason reason) {
        outbox.close();
        try {
            if (session.isOpen()) {
                session.close(reason);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "close failed on " + id(), e);
        }
    }

    void closed() {
        outbox.close();
        abandon();
    }
}
