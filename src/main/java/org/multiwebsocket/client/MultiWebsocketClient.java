package org.multiwebsocket.client;

import jakarta.json.JsonValue;
import jakarta.websocket.ContainerProvider;
import org.multiwebsocket.protocol.Protocol;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Java client of a MultiWebsocket gateway: discovery over HTTP, then one WebSocket over which
 * every service is called by name, each call answered through a {@link CompletableFuture}, each
 * stream through a {@link Flow.Publisher} ({@link #stream}); topics are subscribed to with
 * {@link #subscribe}. {@link #proxy} turns an interface of {@link ServiceName}-annotated methods into
 * such calls and streams.
 *
 * <pre>{@code
 * public class ExampleClient extends MultiWebsocketClient {
 *     public ExampleClient() { config().put("service-discovery-url", "http://localhost:8080/api/discover"); }
 *     public CompletableFuture<JsonValue> helloWorld() { return callService("/helloworld/", Map.of()); }
 * }
 * ExampleClient client = new ExampleClient();
 * client.onReady(() -> client.helloWorld().thenAccept(System.out::println));
 * client.connect();
 * }</pre>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Calls made before the client is ready (even before {@link #connect()}), while it reconnects,
 *   or beyond the gateway's {@code maxInFlight}, wait in a bounded queue
 *   ({@link ClientOptions#MAX_QUEUED_CALLS}); past the bound they fail at once. The in-flight bound
 *   holds over the socket and the HTTP fallback alike.</li>
 *   <li>A call to a service that discovery did not list fails at once with a
 *   {@link ServiceCallException} of code -32601, and one larger than the gateway's
 *   {@code maxMessageBytes} with code -32600; no frame is sent.</li>
 *   <li>Every call has a deadline (discovery's {@code callTimeoutMs} unless configured or given per
 *   call), counted from when it was made. Past it the future fails with {@link CallTimeoutException} and the gateway is sent
 *   {@code rpc.cancel}; {@code future.cancel(true)} sends {@code rpc.cancel} too.</li>
 *   <li>A JSON-RPC error fails the future with a {@link ServiceCallException} carrying code, message
 *   and data.</li>
 *   <li>Sessions (PROTOCOL.md section 10), on by default where discovery announces them
 *   ({@code limits.sessionTtlMs}; {@link ClientOptions#SESSIONS} turns them off): the first frame on every
 *   socket is {@code rpc.session}, and when the socket drops, calls and streams in flight wait for the next
 *   one, where the client resumes the session: the gateway delivers what the client missed, exactly once
 *   (duplicates are dropped by their seq), and the client sends again only the calls the gateway never got,
 *   so that each call runs once; topic subscriptions carry on without subscribing again. Deadlines keep
 *   running meanwhile. When the gateway cannot resume the session (expired, overflowed, unknown), every call
 *   and stream that was in flight fails with {@link SessionLostException} (code -32007; never sent again, as
 *   it may have run), {@link ClientListener#onSessionLost} is told, and the client opens a new session and
 *   subscribes its topics again as after any reconnection.</li>
 *   <li>Without a session, when the socket drops, every call in flight fails at once with
 *   {@link ConnectionLostException} (never replayed). Either way the client reconnects with exponential
 *   backoff and jitter, trying each gateway of discovery's {@code gateways} in turn and running
 *   discovery again before each round. The backoff starts over only after a socket stayed up
 *   {@link ClientOptions#RECONNECT_RESET_AFTER_MS}; a {@code Retry-After} on a 503 from discovery or
 *   the handshake is waited out. A heartbeat of pings detects connections that die silently.</li>
 *   <li>When no gateway socket can be opened but discovery's HTTP transport answers, calls go over
 *   HTTP with the same futures and errors until a socket opens again
 *   ({@link ClientOptions#HTTP_FALLBACK} turns this off); asynchronously, no thread waits per call.</li>
 *   <li>Futures complete on a client thread, never on the socket's read thread.</li>
 *   <li>The client is thread-safe. It starts no thread before {@link #connect()};
 *   {@link #close()} fails whatever is pending and ends every thread it started.</li>
 * </ul>
 * The socket comes from {@link ContainerProvider#getWebSocketContainer()} (the Tyrus standalone
 * client at run time) and offers the subprotocol {@code multiwebsocket.v1}. This class is a facade
 * over package-private parts of this package.
 */
public class MultiWebsocketClient implements AutoCloseable {

    /** The subprotocol the client offers. */
    public static final String SUBPROTOCOL = Protocol.SUBPROTOCOL;

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Map<String, Object> config = new ConcurrentHashMap<>();
    private final Engine engine = new Engine("multiwebsocket-client-" + INSTANCES.incrementAndGet(), config);

    /** A client whose configuration is set later, through {@link #config()}, before {@link #connect()}. */
    public MultiWebsocketClient() {
    }

    /**
     * A client for the gateway whose discovery resource is at the given URL.
     *
     * @param serviceDiscoveryUrl for example {@code http://localhost:8080/api/discover}
     */
    public MultiWebsocketClient(URI serviceDiscoveryUrl) {
        config.put(ClientOptions.SERVICE_DISCOVERY_URL, serviceDiscoveryUrl.toString());
    }

    /**
     * The client's options, keyed by the constants of {@link ClientOptions}; {@code
     * "service-discovery-url"} is required. {@link #connect()} reads them once; later changes have no
     * effect on this client.
     *
     * @return the live, thread-safe option map
     */
    protected Map<String, Object> config() {
        return config;
    }

    /**
     * Adds a listener for ready, disconnected, reconnected and error events.
     *
     * @param listener the listener
     */
    public void addListener(ClientListener listener) {
        engine.addListener(listener);
    }

    /**
     * Runs the listener once, when the client is next ready (at once, on the caller's thread, if it
     * is ready now).
     *
     * @param listener what to run
     */
    public void onReady(Runnable listener) {
        engine.onReady(listener);
    }

    /** @return whether calls are being sent now (over the socket or the HTTP fallback) */
    public boolean isReady() {
        return engine.transport() != null;
    }

    /** @return {@code "websocket"}, {@code "http"} (fallback), or null while not ready */
    public String transport() {
        return engine.transport();
    }

    /**
     * Reads the options, starts the client's threads, runs discovery, then opens the gateway socket.
     * Calling it again returns the state of the same client: a completed future when ready, otherwise
     * one that completes at the next ready. No thread is started before the first call of it.
     *
     * @return completes when the client is ready; fails when this connection attempt fails (the
     *         client then goes on retrying in the background until closed)
     * @throws IllegalStateException when {@code service-discovery-url} is missing, an option is not
     *                               valid, or the client is closed
     */
    public CompletableFuture<Void> connect() {
        return engine.connect();
    }

    /**
     * Calls a service; the result is the JSON value the service answered.
     *
     * @param service the service name, any form ({@code "/helloworld/"}, {@code "helloworld"})
     * @param payload the params: a record, bean, {@code Map}, {@code List}, array or JSON-P
     *                structure (serialised with JSON-B); null sends none
     * @return the result
     * @throws IllegalArgumentException when the service name is empty or the payload does not
     *                                  serialise to a JSON object or array
     */
    public CompletableFuture<JsonValue> callService(String service, Object payload) {
        return callService(service, payload, JsonValue.class);
    }

    /**
     * Calls a service and binds its result to a type with JSON-B.
     *
     * @param service    the service name
     * @param payload    the params, or null
     * @param resultType the type of the result ({@code JsonValue.class} for the raw JSON)
     * @param <T>        the result type
     * @return the result
     * @throws IllegalArgumentException as {@link #callService(String, Object)}
     */
    public <T> CompletableFuture<T> callService(String service, Object payload, Class<T> resultType) {
        return engine.requests.call(service, payload, resultType, 0);
    }

    /**
     * Calls a service with its own deadline.
     *
     * @param service    the service name
     * @param payload    the params, or null
     * @param resultType the type of the result
     * @param timeoutMs  the call's deadline in milliseconds, from now
     * @param <T>        the result type
     * @return the result
     * @throws IllegalArgumentException as {@link #callService(String, Object)}, or when
     *                                  {@code timeoutMs} is not positive
     */
    public <T> CompletableFuture<T> callService(String service, Object payload, Class<T> resultType, long timeoutMs) {
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("timeoutMs must be positive, was " + timeoutMs);
        }
        return engine.requests.call(service, payload, resultType, timeoutMs);
    }

    /**
     * Calls a stream service (PROTOCOL.md section 8, {@code "stream": true} in discovery): its items,
     * bound to a type with JSON-B, go to each subscriber of the publisher returned.
     * <ul>
     *   <li>Nothing is sent until a subscriber subscribes; each subscriber gets a call of its own, queued
     *   and refused as calls are, and its signals on a client thread, one at a time.</li>
     *   <li>The gateway sends at most discovery's {@code streamWindow} items ahead; the client buffers
     *   them until requested. A subscriber over four {@code streamWindow}s behind gets {@code onError},
     *   and the stream is cancelled.</li>
     *   <li>{@code cancel()} sends {@code rpc.cancel}. The stream's end is {@code onComplete}; a JSON-RPC
     *   error (after the items before it) {@code onError} with a {@link ServiceCallException} or
     *   {@link CallTimeoutException}; a dropped connection, with a session, nothing (the stream goes on once the
     *   session is resumed) or {@link SessionLostException}, without one {@link ConnectionLostException} (never
     *   replayed).</li>
     *   <li>The call's deadline (as for calls) starts over with each item.</li>
     *   <li>Over the HTTP fallback the whole stream comes as one array within one deadline: its elements
     *   are delivered as items, then {@code onComplete}.</li>
     * </ul>
     *
     * @param service  the service name
     * @param payload  the params, or null
     * @param itemType the type of an item ({@code JsonValue.class} for the raw JSON)
     * @param <T>      the item type
     * @return a cold publisher: one call per subscriber
     * @throws IllegalArgumentException as {@link #callService(String, Object)}
     */
    public <T> Flow.Publisher<T> stream(String service, Object payload, Class<T> itemType) {
        if (service == null || service.isBlank() || itemType == null) {
            throw new IllegalArgumentException("a service name and an item type are required");
        }
        return engine.requests.stream(service, payload, itemType);
    }

    /**
     * A typed view of the gateway's services: each method of the interface calls the service its
     * {@link ServiceName} names, as that annotation states. Every method is checked against the discovery
     * document at hand, so the client must have read one: make proxies once {@link #connect()} completed (or
     * in {@link #onReady}); a mistake then fails here, where the proxy is made, not at some later call. The
     * bindings stay as made; a service a later discovery no longer lists fails its calls with -32601, as with
     * {@link #callService}.
     *
     * @param api an interface whose abstract methods are each annotated with {@link ServiceName}
     * @param <A> the interface
     * @return a thread-safe proxy of the interface
     * @throws IllegalStateException    before discovery was read (before {@link #connect()} completed)
     * @throws IllegalArgumentException when {@code api} is no interface, or naming each method that breaks the
     *                                  contract of {@link ServiceName} and why: no annotation, more than one
     *                                  argument, a service discovery does not list, a {@code CompletableFuture}
     *                                  for a stream service or a {@code Flow.Publisher} for one that is not
     */
    public <A> A proxy(Class<A> api) {
        Discovered known = engine.discovered;
        if (known == null) {
            throw new IllegalStateException("proxy() checks the interface against the gateway's services: "
                    + "call it once connect() has completed");
        }
        return TypedProxy.create(api, known, engine);
    }

    /**
     * Subscribes to a topic (PROTOCOL.md section 9): the listener hears its messages bound to a type
     * with JSON-B, as {@link TopicListener} states. Sent at once on a socket; made before the client is
     * ready (even before {@link #connect()}) or while it reconnects, sent once a socket opens. It lives
     * across reconnections: on each new socket the client subscribes again from the offset and epoch of
     * the last message delivered, and the gateway replays what was missed ({@link TopicListener#onGap}
     * when its history no longer holds it all). Topics need the socket: on the HTTP fallback a
     * subscription the gateway never confirmed ends with {@link TopicListener#onError}; a confirmed one
     * waits for the next socket.
     *
     * @param topic       the topic's name, e.g. {@code "chat"} or {@code "prices/ACME"}
     * @param messageType the type of a message's data ({@code JsonValue.class} for the raw JSON)
     * @param listener    hears the messages
     * @param <T>         the message type
     * @return the subscription; {@link TopicSubscription#close()} ends it
     * @throws IllegalArgumentException when the topic is empty, or the type or listener null
     * @throws IllegalStateException    when the client holds a subscription to the topic already
     */
    public <T> TopicSubscription subscribe(String topic, Class<T> messageType, TopicListener<? super T> listener) {
        if (topic == null || topic.isBlank() || messageType == null || listener == null) {
            throw new IllegalArgumentException("a topic name, a message type and a listener are required");
        }
        return engine.requests.subscribe(topic, messageType, listener);
    }

    /**
     * Acknowledges what the session delivered ({@code rpc.ack}), closes the socket, fails every queued and
     * in-flight call (and stream) with {@link ConnectionLostException}, ends every topic subscription
     * likewise, and ends every thread the client started. Idempotent.
     */
    @Override
    public void close() {
        engine.close();
    }
}
