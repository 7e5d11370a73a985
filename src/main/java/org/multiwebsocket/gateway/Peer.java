package org.multiwebsocket.gateway;

import jakarta.json.JsonValue;
import org.multiwebsocket.discovery.Origin;

import java.security.Principal;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One caller's channel to the gateway: a WebSocket connection, or one HTTP request. Holds its calls
 * in flight, by id, so that they can be cancelled, counted and failed when the channel goes away.
 */
public abstract class Peer {

    private final String id;
    private final Origin origin;
    private final Principal principal;
    final ConcurrentMap<JsonValue, Call> calls = new ConcurrentHashMap<>();
    final AtomicInteger inFlight = new AtomicInteger();

    protected Peer(String id, Origin origin, Principal principal) {
        this.id = id;
        this.origin = origin;
        this.principal = principal;
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
        return Optional.ofNullable(principal);
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
