package org.multiwebsocket.client;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.multiwebsocket.protocol.JsonRpc;
import org.multiwebsocket.protocol.Response;
import org.multiwebsocket.protocol.RpcError;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The client's side of a PROTOCOL.md section 10 session, which outlives its sockets: the first frame on
 * each socket is {@code rpc.session} (new, or resuming the session with the last seq processed), and
 * nothing else goes out until its answer. Every message of the session carries a seq: one not past the
 * last processed is a duplicate and is dropped; {@code rpc.ack} goes out after {@value #ACK_EVERY}
 * messages or {@value #ACK_AFTER_MS} ms after the first unacknowledged one, and before the client closes.
 * On a resume, the calls in flight on the previous socket move to the new one, and those the gateway does
 * not list as {@code known} are sent again (same id, same frame); topic subscriptions move without
 * subscribing again. A resume the gateway refuses fails those calls with {@link SessionLostException}
 * (never sending them again) and a new session is requested. The token is a secret: never logged.
 */
final class SessionLink {

    /** What the answer to {@code rpc.session} leaves to the engine. */
    enum Step { CARRY, WAIT }

    /** The id of {@code rpc.session}: a string, which no call's (numeric) id equals. */
    static final String REQUEST_ID = "rpc.session";
    static final int ACK_EVERY = 32;
    static final long ACK_AFTER_MS = 1_000;
    private static final JsonValue REQUEST_ID_JSON = JsonRpc.JSON.createValue(REQUEST_ID);

    private final PendingCalls calls;
    private final TopicFeeds topics;
    private final Events events;
    private final Executor workers;

    // set once, by start()
    private boolean wanted;
    private ScheduledExecutorService timer;

    // guarded by this
    private String id;
    private String token;
    private long lastSeq;
    private long ackedSeq;
    private int unacked;
    private Future<?> ackTimer;
    private Transport carrier; // the socket the session is on, or was on last
    private boolean resuming;

    SessionLink(PendingCalls calls, TopicFeeds topics, Events events, Executor workers) {
        this.calls = calls;
        this.topics = topics;
        this.events = events;
        this.workers = workers;
    }

    /** @param sessionsWanted the client's {@link ClientOptions#SESSIONS} */
    synchronized void start(boolean sessionsWanted, ScheduledExecutorService timerThread) {
        wanted = sessionsWanted;
        timer = timerThread;
    }

    /**
     * A socket just opened: @return whether it must carry a session first, in which case {@code rpc.session}
     * was sent on it and {@link #answered} takes the answer. Without sessions (off, or none in discovery), a
     * session the client held is lost.
     */
    boolean handshake(SocketTransport socket, Discovered found) {
        if (!wanted) {
            return false;
        }
        if (!found.sessions()) {
            if (holds()) {
                workers.execute(() -> lose(new SessionLostException("the gateway no longer offers sessions", null)));
            }
            return false;
        }
        socket.sendText(request());
        return true;
    }

    private synchronized boolean holds() {
        return id != null;
    }

    private synchronized String request() {
        resuming = id != null;
        String params = !resuming ? "{}" : "{\"resume\":{\"session\":" + JsonRpc.quote(id) + ",\"token\":"
                + JsonRpc.quote(token) + ",\"ack\":" + lastSeq + "}}";
        ackedSeq = lastSeq;
        unacked = 0;
        return JsonRpc.request(REQUEST_ID_JSON, "rpc.session", params);
    }

    /**
     * A frame on a socket whose session is not settled yet.
     *
     * @return null when it is not the answer to {@code rpc.session} (read it as any frame); CARRY when the
     *         socket carries calls now (with a session, or without one where the gateway has none); WAIT when
     *         a new session was requested because the old one could not be resumed
     */
    Step answered(SocketTransport socket, String text) {
        if (!(JsonRpc.read(text) instanceof JsonObject answer) || !REQUEST_ID_JSON.equals(answer.get("id"))) {
            return null;
        }
        Response response = Response.of(answer);
        boolean wasResuming;
        Transport was;
        String held;
        synchronized (this) {
            wasResuming = resuming;
            was = carrier;
            held = id;
        }
        if (response.error() == null && response.result() instanceof JsonObject result
                && result.get("session") instanceof JsonString session && result.get("token") instanceof JsonString secret) {
            boolean resumed = wasResuming && JsonValue.TRUE.equals(result.get("resumed")) && session.getString().equals(held);
            if (wasResuming && !resumed) {
                lose(new SessionLostException("the gateway started a new session instead of resuming the client's", null));
            }
            synchronized (this) {
                if (!resumed) {
                    id = session.getString();
                    token = secret.getString();
                    lastSeq = 0;
                    ackedSeq = 0;
                }
                carrier = socket;
            }
            if (resumed) {
                resume(was, socket, known(result));
            }
            return Step.CARRY;
        }
        RpcError error = response.error() != null ? response.error()
                : new RpcError(RpcError.INTERNAL_ERROR, "the gateway answered rpc.session with " + response.result(), null);
        boolean unsupported = error.code() == RpcError.METHOD_NOT_FOUND;
        if (wasResuming) {
            lose(new SessionLostException("the session was lost: the gateway could not resume it (" + error.code() + " "
                    + error.message() + ")", error.data() instanceof JsonValue data ? data : null));
            if (!unsupported) {
                socket.sendText(request());
                return Step.WAIT;
            }
        } else if (!unsupported) {
            events.error(new MultiWebsocketException("the gateway refused a session (" + error.code() + " " + error.message()
                    + "); the client goes on without one on this socket"));
        }
        return Step.CARRY;
    }

    private static Set<String> known(JsonObject result) {
        Set<String> known = new HashSet<>();
        if (result.get("known") instanceof JsonArray ids) {
            ids.forEach(listed -> known.add(listed instanceof JsonString s ? s.getString() : listed.toString()));
        }
        return known;
    }

    /** The session moved from socket {@code was} to {@code now}: what was in flight carries on there. */
    private void resume(Transport was, SocketTransport now, Set<String> known) {
        topics.movedTo(was, now);
        calls.waiting().stream().filter(call -> call.only == was).forEach(call -> call.only = now);
        Set<String> pending = new HashSet<>();
        for (PendingCall<?> call : calls.inFlight(call -> call.via == was)) {
            pending.add(call.key);
            if (call.only == was) {
                call.only = now;
            }
            call.via = now;
            if (!known.contains(call.key)) {
                now.send(call); // the gateway never got it: it cannot have run
            }
        }
        known.stream().filter(key -> !pending.contains(key) && !key.equals(REQUEST_ID))
                .forEach(key -> now.sendText(JsonRpc.cancel(key.matches("\\d+") ? JsonRpc.JSON.createValue(Long.parseLong(key))
                        : JsonRpc.JSON.createValue(key)))); // abandoned meanwhile (timed out, cancelled)
        events.sessionResumed();
    }

    /** Forgets the session, failing every call in flight on it; tells the listeners. */
    private void lose(SessionLostException reason) {
        Transport was;
        synchronized (this) {
            was = carrier;
            id = null;
            token = null;
            lastSeq = 0;
            ackedSeq = 0;
            carrier = null;
            stopAckTimer();
        }
        List<PendingCall<?>> failed = was == null ? List.of() : calls.remove(call -> call.via == was);
        failed.forEach(call -> workers.execute(() -> call.completeExceptionally(reason)));
        events.sessionLost(reason);
    }

    /** The socket was lost: @return whether the session keeps its calls in flight, to resume them on the next socket */
    synchronized boolean keeps(Transport lost) {
        stopAckTimer();
        return id != null && lost == carrier;
    }

    /**
     * A message of the gateway, on the read thread: @return false when it is a duplicate (its seq not past the
     * last processed), to be dropped
     */
    boolean fresh(JsonObject message) {
        if (!(message.get("seq") instanceof JsonNumber number)) {
            return true;
        }
        long seq = number.longValue();
        boolean ackNow;
        synchronized (this) {
            if (id == null) {
                return true;
            }
            if (seq <= lastSeq) {
                return false;
            }
            lastSeq = seq;
            ackNow = ++unacked >= ACK_EVERY;
            if (!ackNow && ackTimer == null && timer != null) {
                ackTimer = timer.schedule(this::ack, ACK_AFTER_MS, TimeUnit.MILLISECONDS);
            }
        }
        if (ackNow) {
            ack();
        }
        return true;
    }

    /** Before the client closes: sends {@code rpc.ack} and waits a little for it to be written, as the socket closes next. */
    void ackBeforeClosing() {
        Future<Void> written = ack();
        try {
            if (written != null) {
                written.get(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // the socket is closing anyway; the gateway forgets the session after its TTL
        }
    }

    /**
     * Sends {@code rpc.ack} with the last seq processed, unless acknowledged already or no socket holds the session.
     *
     * @return done once written; null when nothing was sent
     */
    Future<Void> ack() {
        Transport on;
        long seq;
        synchronized (this) {
            stopAckTimer();
            if (id == null || lastSeq <= ackedSeq || !(carrier instanceof SocketTransport socket) || !socket.isOpen()) {
                return null;
            }
            on = carrier;
            seq = lastSeq;
            ackedSeq = seq;
            unacked = 0;
        }
        return ((SocketTransport) on).sendText(JsonRpc.request(null, "rpc.ack", "{\"seq\":" + seq + "}"));
    }

    private void stopAckTimer() {
        if (ackTimer != null) {
            ackTimer.cancel(false);
            ackTimer = null;
        }
    }
}
