package org.multiwebsocket.session;

import jakarta.json.JsonValue;
import org.multiwebsocket.discovery.Origin;
import org.multiwebsocket.dispatch.Channel;
import org.multiwebsocket.dispatch.Lane;
import org.multiwebsocket.spi.Caller;

import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One session (PROTOCOL.md section 10): a channel that outlives its sockets. Its calls, streams and
 * subscriptions go on while no socket is attached; what it sends is numbered with {@code seq} and kept
 * until the client acknowledges it, so that a client resuming with the last seq it received gets the
 * rest in order.
 */
final class Session extends Channel {

    /** What becomes of a session, for the table that holds it. */
    interface Lifecycle {
        /** The session lost its socket: it may be resumed until its time to live has passed. */
        Future<?> detached(Session session);

        /** The session can no longer be resumed. */
        void lost(Session session);
    }

    /** A message as sent, until the client acknowledges it. */
    private record Kept(long last, String frame, Runnable written) {
    }

    private final String sessionId;
    private final byte[] tokenHash;
    private final String principal;
    private final boolean streamsItems;
    private final long bufferChars;
    private final Lifecycle lifecycle;
    private final ArrayDeque<Kept> kept = new ArrayDeque<>();
    /** Ids (as JSON) of calls received and not yet acknowledged answered: 0 while running, else the seq of the answer. */
    private final Map<String, Long> known = new HashMap<>();
    private long seq;
    /** The highest seq the client acknowledged: what it may no longer ask for again. */
    private long acked;
    private long keptChars;
    private boolean overflowed;
    private boolean ended;
    private Channel socket;
    private Future<?> expiry;

    Session(String channelId, Channel first, int maxInFlight, Lane lane, String sessionId, byte[] tokenHash,
            long bufferChars, Lifecycle lifecycle) {
        super(channelId, first.origin(), first.caller(), first.traceparent(), maxInFlight, lane);
        this.sessionId = sessionId;
        this.tokenHash = tokenHash;
        this.principal = principalOf(first.caller());
        this.streamsItems = first.streamsItems();
        this.bufferChars = bufferChars;
        this.lifecycle = lifecycle;
    }

    static String principalOf(Caller caller) {
        return caller == null || caller.principal() == null ? null : caller.principal().getName();
    }

    String sessionId() {
        return sessionId;
    }

    /** @return whether the token is this session's (in constant time) */
    boolean holds(byte[] hash) {
        return MessageDigest.isEqual(tokenHash, hash);
    }

    /** @return whether the caller is the one the session was opened by (anonymous for anonymous) */
    boolean belongsTo(Caller caller) {
        String name = principalOf(caller);
        return principal == null ? name == null : principal.equals(name);
    }

    /**
     * Attaches a socket: the answer to {@code rpc.session} first, then every kept message after
     * {@code ack}, then live messages. A socket still attached is closed.
     *
     * @return null when attached, else why the session cannot be resumed
     */
    String attach(Channel channel, long ack, Runnable answer) {
        Channel previous;
        synchronized (this) {
            if (ended || overflowed) {
                return overflowed ? "the session's kept messages exceeded sessionBufferBytes" : "unknown or expired session";
            }
            if (ack > seq) {
                return "ack " + ack + " is past the session's last message (" + seq + ")";
            }
            if (ack < acked) {
                return "ack " + ack + " is before the " + acked + " acknowledged already";
            }
            if (!channel.route(this, () -> detach(channel))) {
                return "this connection cannot hold a session";
            }
            acknowledge(ack);
            if (expiry != null) {
                expiry.cancel(false);
                expiry = null;
            }
            previous = socket == channel ? null : socket;
            socket = null;
            answer.run();
            for (Kept message : kept) {
                channel.write(message.frame(), message.written());
            }
            socket = channel;
        }
        if (previous != null) {
            previous.close(1008, "session resumed on another connection");
        }
        return null;
    }

    /** The socket closed; the session waits for a resume. */
    void detach(Channel channel) {
        boolean lost;
        synchronized (this) {
            if (socket != channel || ended) {
                return;
            }
            socket = null;
            lost = overflowed;
            if (!lost) {
                expiry = lifecycle.detached(this);
            }
        }
        if (lost) {
            end();
        }
    }

    /** The session is over: its calls are stopped unanswered, its subscriptions and streams end. */
    void end() {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            kept.clear();
            known.clear();
            if (expiry != null) {
                expiry.cancel(false);
            }
        }
        abandon();
        lifecycle.lost(this);
    }

    /** @return the ids of the calls the client need not send again, as a JSON array */
    synchronized String known() {
        StringJoiner ids = new StringJoiner(",", "[", "]");
        known.keySet().forEach(ids::add);
        return ids.toString();
    }

    /** The client received everything up to {@code ack}: it is forgotten. */
    synchronized void acknowledge(long ack) {
        acked = Math.max(acked, Math.min(ack, seq));
        while (!kept.isEmpty() && kept.peekFirst().last() <= ack) {
            keptChars -= kept.pollFirst().frame().length();
        }
        known.values().removeIf(answeredAt -> answeredAt != 0 && answeredAt <= ack);
    }

    /** Numbers, keeps and (when a socket is attached) writes one message or batch answer. */
    private void send(String frame, Runnable written) {
        boolean lost = false;
        synchronized (this) {
            if (ended) {
                return;
            }
            long first = seq + 1;
            seq += SeqFrames.count(frame);
            long last = seq;
            String stamped = SeqFrames.stamp(frame, first, id -> {
                if (!overflowed && !"null".equals(id)) {
                    known.put(id, last);
                }
            });
            Runnable once = written == null ? null : once(written);
            if (!overflowed) {
                kept.addLast(new Kept(last, stamped, once));
                keptChars += stamped.length();
                if (keptChars > bufferChars) {
                    overflowed = true;
                    kept.clear();
                    known.clear();
                    keptChars = 0;
                }
            }
            if (socket != null) {
                socket.write(stamped, once);
            } else {
                lost = overflowed;
            }
        }
        if (lost) {
            end();
        }
    }

    private static Runnable once(Runnable task) {
        AtomicBoolean ran = new AtomicBoolean();
        return () -> {
            if (ran.compareAndSet(false, true)) {
                task.run();
            }
        };
    }

    @Override
    protected synchronized void received(JsonValue id) {
        if (!overflowed) {
            known.put(id.toString(), 0L);
        }
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
        send("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.item\",\"params\":{\"id\":" + id + ",\"index\":" + index
                + ",\"item\":" + itemJson + "}}", written);
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
    public synchronized String expired() {
        return socket == null ? null : socket.expired();
    }

    @Override
    public void afterCall() {
        Channel attached;
        synchronized (this) {
            attached = socket;
        }
        if (attached != null) {
            attached.afterCall();
        }
    }
}
