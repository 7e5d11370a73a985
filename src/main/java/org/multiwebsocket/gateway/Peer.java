package org.multiwebsocket.gateway;

import org.multiwebsocket.protocol.Traceparent;

import jakarta.json.JsonValue;
import org.multiwebsocket.discovery.Origin;
import org.multiwebsocket.service.Caller;

import java.security.Principal;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One caller's channel to the gateway: a WebSocket connection, or one HTTP request. Holds its calls
 * in flight, by id, so that they can be cancelled, counted and failed when the channel goes away.
 */
public abstract class Peer {

    private final String id;
    private final Origin origin;
    private final Caller caller;
    private final String traceparent;
    final ConcurrentMap<JsonValue, Call> calls = new ConcurrentHashMap<>();
    final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong callsStarted = new AtomicLong();

    protected Peer(String id, Origin origin, Caller caller, String traceparent) {
        this.id = id;
        this.origin = origin;
        this.caller = caller;
        this.traceparent = Traceparent.valid(traceparent);
    }

    /** @return the W3C {@code traceparent} of the handshake or HTTP request, or null */
    String traceparent() {
        return traceparent;
    }

    long callsStarted() {
        return callsStarted.get();
    }

    void callStarted() {
        callsStarted.incrementAndGet();
    }

    /** @return the connection id handlers see in their CallContext */
    public String id() {
        return id;
    }

    /** @return where the client reached this node, for discovery */
    public Origin origin() {
        return origin;
    }

    Optional<Principal> principal() {
        return caller == null ? Optional.empty() : Optional.of(caller.principal());
    }

    /** @return the authenticated caller, or null for an anonymous channel */
    Caller caller() {
        return caller;
    }

    /** @return why calls are refused as unauthenticated on this channel although it has a caller, or null */
    String expired() {
        return null;
    }

    /** A call of this channel has just finished. */
    void afterCall() {
    }

    /** @return {@code "websocket"} or {@code "http"} */
    abstract String transport();

    /** @return calls in flight, notifications included */
    public int inFlight() {
        return inFlight.get();
    }

    /** Cancels every call in flight, sending nothing: the channel has gone away. */
    void abandon() {
        for (Call call : calls.values()) {
            call.abandon();
        }
    }
}
