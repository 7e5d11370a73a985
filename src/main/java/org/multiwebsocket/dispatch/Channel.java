package org.multiwebsocket.dispatch;

import jakarta.json.JsonValue;
import org.multiwebsocket.config.JsonSupport;
import org.multiwebsocket.discovery.Discovery;
import org.multiwebsocket.discovery.Origin;
import org.multiwebsocket.protocol.Traceparent;
import org.multiwebsocket.push.Subscription;
import org.multiwebsocket.push.TopicHub;
import org.multiwebsocket.spi.Caller;

import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Consumer;

/**
 * One caller's channel to the gateway: a WebSocket connection, or one HTTP request. Its calls in
 * flight belong to its {@link CallTable}; transports see only counts and {@link #abandon()}. A node holds
 * many idle connections, so what a channel needs only once used (its subscriptions) is made then.
 */
public abstract class Channel {

    private static final AtomicLongFieldUpdater<Channel> CALLS_STARTED =
            AtomicLongFieldUpdater.newUpdater(Channel.class, "callsStarted");
    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<Channel, Map> SUBSCRIPTIONS =
            AtomicReferenceFieldUpdater.newUpdater(Channel.class, Map.class, "subscriptions");

    private final String id;
    private final Origin origin;
    private final Caller caller;
    private final String traceparent;
    private final CallTable calls;
    private final Lane lane;
    private volatile long callsStarted;
    /** Made by the first subscription. */
    private volatile Map<String, Subscription> subscriptions;
    /** The discovery document as this channel's client sees it, written once for {@code rpc.discover}. */
    private volatile String discovery;
    private volatile long discoveryVersion = -1;

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
        Caller current = caller();
        return current == null ? Optional.empty() : Optional.of(current.principal());
    }

    /** @return the well-formed {@code traceparent} of the handshake or HTTP request, or null */
    public String traceparent() {
        return traceparent;
    }

    /** @return {@code "websocket"} or {@code "http"} */
    public abstract String transport();

    /** @return why calls are refused as unauthenticated although the channel has a caller, or null */
    public String expired() {
        return null;
    }

    /** A call of this channel has released its slot: its handler has returned. */
    public void afterCall() {
    }

    /**
     * Sends the answer to a frame (a response or a batch of them) to the client.
     *
     * @param text the answer, or null when the frame needs none
     */
    public void reply(String text) {
        throw new UnsupportedOperationException(transport() + " channels answer through their request");
    }

    /**
     * Writes a frame to the client's socket as it is, bypassing any session: for a session writing
     * through the socket it is attached to.
     *
     * @param frame   the frame
     * @param written runs once it has been written, or null
     */
    public void write(String frame, Runnable written) {
        throw new UnsupportedOperationException(transport() + " channels have no socket");
    }

    /**
     * From now on this socket's frames go to {@code session} and closing the socket runs
     * {@code detached} (PROTOCOL.md section 10). Only a WebSocket connection without a session can.
     *
     * @param session  the session's channel
     * @param detached runs once when the socket closes
     * @return whether the socket now belongs to the session
     */
    public boolean route(Channel session, Runnable detached) {
        return false;
    }

    /**
     * Undoes {@link #route}: the socket's frames come to it again.
     *
     * @param session the session it was routed to
     */
    public void unroute(Channel session) {
    }

    /** @return the client's address, or null when unknown (per-address limits) */
    public String address() {
        return null;
    }

    /**
     * Closes the channel's socket, if it has one.
     *
     * @param code   the close code
     * @param reason the close reason
     */
    public void close(int code, String reason) {
    }

    /**
     * @return whether the channel outlives its sockets (a session): a call the node cannot take now (it
     *         drains) is then left unanswered and unrecorded, for the client to send again where it resumes
     */
    public boolean resumable() {
        return false;
    }

    /** @return whether a call is in flight or a subscription open: the channel cannot become a session now */
    public boolean busy() {
        Map<String, Subscription> subscribed = subscriptions;
        return inFlight() > 0 || (subscribed != null && !subscribed.isEmpty());
    }

    /**
     * A request with an id of this channel got its answer (before the answer is sent), for sessions that
     * keep track of their calls.
     *
     * @param id the call's id
     */
    protected void answered(JsonValue id) {
    }

    /**
     * A subscription of this channel started, for sessions that keep track of them.
     *
     * @param topic the topic
     * @param state the answer {@code rpc.subscribe} got: {@code {"topic", "offset", "epoch", "recovered"}}
     */
    protected void subscribed(String topic, String state) {
    }

    /** @param topic a topic this channel no longer subscribes to */
    protected void unsubscribed(String topic) {
    }

    /**
     * Subscribes without a request: for a session taking over the subscriptions that a node which left
     * the cluster held for it. Messages after {@code sinceOffset} of that epoch reach the channel.
     *
     * @param topics      the node's topics
     * @param topic       the topic
     * @param sinceEpoch  the epoch of the last message the session got
     * @param sinceOffset the offset of that message
     */
    public void subscribe(TopicHub topics, String topic, String sinceEpoch, long sinceOffset) {
        Subscription subscription = new Subscription(topic, this::push);
        Subscription previous = subscriptions().put(topic, subscription);
        if (previous != null) {
            previous.cancel();
        }
        topics.subscribe(subscription, sinceEpoch, sinceOffset, state -> subscribed(topic, state));
    }

    /**
     * A request with an id was admitted on this {@link #resumable()} channel: a session keeps track of its
     * calls and starts each once it is recorded.
     *
     * @param id    the call's id
     * @param start starts the call's handler, once
     */
    protected void received(JsonValue id, Runnable start) {
        start.run();
    }

    /** @return calls holding a slot (their handler has not returned yet), notifications included */
    public int inFlight() {
        return calls.inFlight();
    }

    /** @return calls started on this channel since it opened */
    public long callsStarted() {
        return callsStarted;
    }

    /**
     * Sends a message the client did not ask for in so many words: a stream's item, a topic's message.
     * Channels that cannot push (an HTTP request) never get one: see {@link #canPush()}.
     *
     * @param frame the message
     */
    protected void push(String frame) {
        throw new UnsupportedOperationException(transport() + " channels cannot push");
    }

    /**
     * Sends one item of a stream (PROTOCOL.md section 8), for channels that {@link #streamsItems()}.
     *
     * @param id       the stream call's id
     * @param index    the item's index, from 1
     * @param itemJson the item, written as JSON
     * @param written  runs once the item has been written, which lets the stream ask for the next
     */
    protected void pushItem(JsonValue id, long index, String itemJson, Runnable written) {
        throw new UnsupportedOperationException(transport() + " channels take no stream items");
    }

    /** @return whether its calls count in metrics and logs (not the warm-up's) */
    protected boolean counted() {
        return true;
    }

    /** @return whether the channel can carry topic messages (a socket can, an HTTP request cannot) */
    public boolean canPush() {
        return false;
    }

    /**
     * @return whether the client negotiated {@code multiwebsocket.v1} and so takes a stream's items one
     *         by one; otherwise they are collected into one array result
     */
    public boolean streamsItems() {
        return false;
    }

    /**
     * Ends the channel's subscriptions, leaving its calls alone: for a session whose subscriptions move to
     * another node.
     *
     * @return the topics it was subscribed to
     */
    public List<String> endSubscriptions() {
        Map<String, Subscription> subscribed = subscriptions;
        if (subscribed == null) {
            return List.of();
        }
        List<String> topics = new ArrayList<>();
        subscribed.forEach((topic, subscription) -> {
            if (subscribed.remove(topic, subscription)) {
                subscription.cancel();
                topics.add(topic);
            }
        });
        return topics;
    }

    /** The channel went away: every call still unanswered is stopped, nobody is answered, subscriptions end. */
    public void abandon() {
        calls.abandonAll();
        Map<String, Subscription> subscribed = subscriptions;
        if (subscribed != null) {
            subscribed.values().forEach(Subscription::cancel);
            subscribed.clear();
        }
    }

    Map<String, Subscription> subscriptions() {
        Map<String, Subscription> subscribed = subscriptions;
        if (subscribed == null) {
            SUBSCRIPTIONS.compareAndSet(this, null, new ConcurrentHashMap<String, Subscription>());
            subscribed = subscriptions;
        }
        return subscribed;
    }

    /** @return the client's share of the worker threads */
    public Lane lane() {
        return lane;
    }

    CallTable calls() {
        return calls;
    }

    /** @return the discovery document as this channel's client sees it, written once per version of the services */
    String discovery(Discovery discovery, JsonSupport json) {
        long version = discovery.version();
        String document = discoveryVersion == version ? this.discovery : null;
        if (document == null) {
            document = json.toJson(discovery.document(origin));
            this.discovery = document;
            discoveryVersion = version;
        }
        return document;
    }

    /** Counts the admitted call and starts it: at once, or through {@link #received} on a session. */
    void callStarted(Call call, Consumer<Call> start) {
        CALLS_STARTED.incrementAndGet(this);
        JsonValue id = call.request().id();
        if (id != null && resumable()) {
            received(id, () -> start.accept(call));
        } else {
            start.accept(call);
        }
    }
}
