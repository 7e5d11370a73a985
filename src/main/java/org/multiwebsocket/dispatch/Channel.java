package org.multiwebsocket.dispatch;

import org.multiwebsocket.discovery.Origin;
import org.multiwebsocket.protocol.Traceparent;
import org.multiwebsocket.spi.Caller;

import java.security.Principal;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One caller's channel to the gateway: a WebSocket connection, or one HTTP request. Its calls in
 * flight belong to its {@link CallTable}; transports see only counts and {@link #abandon()}.
 */
public abstract class Channel {

    private final String id;
    private final Origin origin;
    private final Caller caller;
    private final String traceparent;
    private final CallTable calls;
    private final Lane lane;
    private final AtomicLong callsStarted = new AtomicLong();
    /** The discovery document as this channel's client sees it, written once for {@code rpc.discover}. */
    private volatile String discovery;

    /**
     * @param id          the id handlers see as {@code CallContext.connectionId()}
     * @param origin      where the client reached this node
     * @param caller      the authenticated caller, or null
     * @param traceparent the W3C {@code traceparent} of the handshake or request, kept only when well-formed
     * @param maxInFlight calls this channel may have in flight
     * @param lane        the client's share of the worker threads ({@link Admission})
     */
    protected Channel(String id, Origin origin, Caller caller, String traceparent, int maxInFlight, Lane lane) {
        this.id = id;
        this.origin = origin;
        this.caller = caller;
        this.traceparent = Traceparent.valid(traceparent);
        this.calls = new CallTable(maxInFlight, this::afterCall);
        this.lane = lane;
    }

    /** @return the connection id handlers see in their CallContext */
    public String id() {
        return id;
    }

    /** @return where the client reached this node, for discovery */
    public Origin origin() {
        return origin;
    }

    /** @return the authenticated caller, or null for an anonymous channel */
    public Caller caller() {
        return caller;
    }

    Optional<Principal> principal() {
        return caller == null ? Optional.empty() : Optional.of(caller.principal());
    }

    /** @return the well-formed {@code traceparent} of the handshake or HTTP request, or null */
    public String traceparent() {
        return traceparent;
    }

    /** @return {@code "websocket"} or {@code "http"} */
    public abstract String transport();

    /** @return why calls are refused as unauthenticated although the channel has a caller, or null */
    protected String expired() {
        return null;
    }

    /** A call of this channel has released its slot: its handler has returned. */
    protected void afterCall() {
    }

    /** @return calls holding a slot (their handler has not returned yet), notifications included */
    public int inFlight() {
        return calls.inFlight();
    }

    /** @return calls started on this channel since it opened */
    public long callsStarted() {
        return callsStarted.get();
    }

    /** The channel went away: every call still unanswered is stopped, and nobody is answered. */
    public void abandon() {
        calls.abandonAll();
    }

    /** @return the client's share of the worker threads */
    public Lane lane() {
        return lane;
    }

    CallTable calls() {
        return calls;
    }

    String discovery() {
        return discovery;
    }

    void discovery(String json) {
        discovery = json;
    }

    void callStarted() {
        callsStarted.incrementAndGet();
    }
}
