package org.multiwebsocket.session;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.multiwebsocket.protocol.JsonRpc;
import org.multiwebsocket.push.TopicHub;
import org.multiwebsocket.dispatch.Channel;
import org.multiwebsocket.dispatch.Lane;
import org.multiwebsocket.spi.Caller;

import java.security.MessageDigest;
import java.util.concurrent.Future;

/**
 * One session (PROTOCOL.md section 10) on this node: a channel that outlives its sockets. Its calls,
 * streams and subscriptions go on while no socket is attached; everything it sends passes through its
 * {@link SessionLog}, which numbers it, keeps it until acknowledged and writes it to the socket.
 */
final class Session extends Channel implements SessionLog.Subscriber {

    /** What becomes of a session, for the table that holds it. */
    interface Lifecycle {
        /** The session lost its socket: it may be resumed until its time to live has passed. */
        Future<?> detached(Session session);

        /** The session is over on this node. */
        void lost(Session session);
    }

    private final String sessionId;
    private final byte[] tokenHash;
    private final String principal;
    private final boolean streamsItems;
    private final SessionLog log;
    private final Lifecycle lifecycle;
    private final TopicHub topics;
    private boolean ended;
    private Future<?> expiry;
    /** The address this node counts the session against, or null. */
    private volatile String countedAddress;
    /** The caller of the socket attached last: roles follow the newest token. */
    private volatile Caller caller;

    /**
     * @param channelId the id its handlers see as the connection's, the same on every node
     * @param first     the socket that opened or resumed it here
     * @param principal the name of the caller it belongs to, or null for an anonymous one
     */
    Session(String channelId, Channel first, String principal, int maxInFlight, Lane lane, String sessionId,
            byte[] tokenHash, SessionLog log, TopicHub topics, Lifecycle lifecycle) {
        super(channelId, first.origin(), first.caller(), first.traceparent(), maxInFlight, lane);
        this.sessionId = sessionId;
        this.tokenHash = tokenHash;
        this.principal = principal;
        this.streamsItems = first.streamsItems();
        this.log = log;
        this.topics = topics;
        this.lifecycle = lifecycle;
        this.caller = first.caller();
        log.owner(this);
    }

    static String principalOf(Caller caller) {
        return caller == null || caller.principal() == null ? null : caller.principal().getName();
    }

    String sessionId() {
        return sessionId;
    }

    String countedAddress() {
        return countedAddress;
    }

    void countedAddress(String address) {
        this.countedAddress = address;
    }

    /** @return whether the token's hash is this session's (in constant time) */
    boolean holds(byte[] hash) {
        return MessageDigest.isEqual(tokenHash, hash);
    }

    /** @return whether the caller is the one the session was opened by (anonymous for anonymous) */
    boolean belongsTo(Caller caller) {
        String name = principalOf(caller);
        return principal == null ? name == null : principal.equals(name);
    }

    /**
     * Attaches a socket (see {@link SessionLog#attach}); a socket of this node still attached is closed.
     *
     * @param answer writes the answer, given the known call ids as a JSON array
     * @return null when attached, else why the session cannot be resumed
     */
    String attach(Channel channel, long ack, java.util.function.Consumer<String> answer) {
        Channel previous;
        synchronized (this) {
            if (ended) {
                return "unknown or expired session";
            }
            if (log.overflowed()) {
                return "the session's kept messages exceeded sessionBufferBytes";
            }
            if (!channel.route(this, () -> detach(channel))) {
                return "this connection cannot hold a session";
            }
            Future<?> pending = expiry;
            expiry = null;
            previous = log.socket();
            String refused = log.attach(channel, ack, answer);
            if (refused != null) {
                channel.unroute(this);
                expiry = pending;
                return refused;
            }
            if (pending != null) {
                pending.cancel(false);
            }
            caller = channel.caller();
        }
        if (previous != null && previous != channel) {
            previous.close(1008, "session resumed on another connection");
        }
        return null;
    }

    /** The socket closed; the session waits for a resume, or ends when it can no longer be resumed. */
    void detach(Channel channel) {
        boolean lost;
        synchronized (this) {
            if (ended || !log.detach(channel)) {
                return;
            }
            lost = log.overflowed();
            if (!lost) {
                expiry = lifecycle.detached(this);
            }
        }
        if (lost) {
            end();
        }
    }

    /**
     * Its time to live without a socket has passed here: it ends, unless it lives on on another node and
     * calls of it still run here.
     */
    void expire() {
        synchronized (this) {
            if (ended || log.socket() != null) {
                return;
            }
            if (inFlight() > 0 && log.livesElsewhere()) {
                expiry = lifecycle.detached(this);
                return;
            }
            ended = true;
        }
        finish();
    }

    /** The session is over here: its calls are stopped unanswered, its subscriptions and streams end. */
    void end() {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            if (expiry != null) {
                expiry.cancel(false);
            }
        }
        finish();
    }

    private void finish() {
        log.end();
        abandon();
        lifecycle.lost(this);
    }

    /** The application closed the session's connection ({@code Gateway.close}): the session ends with it. */
    @Override
    public void close(int code, String reason) {
        Channel socket = log.socket();
        end();
        if (socket != null) {
            socket.close(code, reason);
        }
    }

    @Override
    public Caller caller() {
        return caller;
    }

    @Override
    public String address() {
        Channel socket = log.socket();
        return socket == null ? null : socket.address();
    }

    /** The client received everything up to {@code ack}. */
    void acknowledge(long ack) {
        log.acknowledge(ack);
    }

    private void send(String frame, Runnable written) {
        log.append(frame, written);
        if (log.overflowed() && log.socket() == null) {
            end();
        }
    }

    @Override
    public void subscribe(String topic, String epoch, long offset) {
        subscribe(topics, topic, epoch, offset);
    }

    @Override
    public java.util.List<String> release() {
        return endSubscriptions();
    }

    @Override
    protected void subscribed(String topic, String state) {
        JsonValue answer = JsonRpc.read(state);
        if (answer instanceof JsonObject object && object.get("offset") instanceof JsonNumber offset) {
            log.subscribed(topic, object.getString("epoch", ""), offset.longValue());
        }
    }

    @Override
    protected void unsubscribed(String topic) {
        log.unsubscribed(topic);
    }

    @Override
    protected void received(JsonValue id, Runnable start) {
        log.received(id.toString(), start);
    }

    @Override
    protected void answered(JsonValue id) {
        log.completed(id.toString());
    }

    @Override
    public String transport() {
        return "websocket";
    }

    @Override
    public void reply(String text) {
        if (text != null) {
            send(text, null);
        }
    }

    @Override
    protected void push(String frame) {
        send(frame, null);
    }

    @Override
    protected void pushItem(JsonValue id, long index, String itemJson, Runnable written) {
        send(JsonRpc.item(id, index, itemJson), written);
    }

    @Override
    public boolean resumable() {
        return true;
    }

    @Override
    public boolean canPush() {
        return true;
    }

    @Override
    public boolean streamsItems() {
        return streamsItems;
    }

    @Override
    public String expired() {
        Channel socket = log.socket();
        return socket == null ? null : socket.expired();
    }

    @Override
    public void afterCall() {
        Channel socket = log.socket();
        if (socket != null) {
            socket.afterCall();
        }
    }
}
