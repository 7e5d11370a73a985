package org.multiwebsocket.client;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.lang.reflect.Type;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Java client of a MultiWebsocket gateway: discovery over HTTP, then one WebSocket over which
 * every service is called by name, each call answered through a {@link CompletableFuture}.
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
 *   <li>Calls made before the client is ready, while it reconnects, or beyond the gateway's
 *   {@code maxInFlight}, wait in a bounded queue ({@link ClientOptions#MAX_QUEUED_CALLS}); past the
 *   bound they fail at once.</li>
 *   <li>A call to a service that discovery did not list fails at once with a
 *   {@link ServiceCallException} of code -32601, and one larger than the gateway's
 *   {@code maxMessageBytes} with code -32600; no frame is sent.</li>
 *   <li>Every call has a deadline (discovery's {@code callTimeoutMs} unless configured or given per
 *   call). Past it the future fails with {@link CallTimeoutException} and the gateway is sent
 *   {@code rpc.cancel}; {@code future.cancel(true)} sends {@code rpc.cancel} too.</li>
 *   <li>A JSON-RPC error fails the future with a {@link ServiceCallException} carrying code, message
 *   and data.</li>
 *   <li>When the socket drops, every call in flight fails at once with
 *   {@link ConnectionLostException} (never replayed), and the client reconnects with exponential
 *   backoff and jitter, trying each gateway of discovery's {@code gateways} in turn and running
 *   discovery again before each round. A heartbeat of pings detects connections that die silently.</li>
 *   <li>When no gateway socket can be opened but discovery's HTTP transport answers, calls go over
 *   HTTP with the same futures and errors until a socket opens again
 *   ({@link ClientOptions#HTTP_FALLBACK} turns this off).</li>
 *   <li>Futures complete on a client thread, never on the socket's read thread.</li>
 *   <li>The client is thread-safe. {@link #close()} fails whatever is pending and ends every thread
 *   it started.</li>
 * </ul>
 * The socket comes from {@link ContainerProvider#getWebSocketContainer()} (the Tyrus standalone
 * client at run time) and offers the subprotocol {@code multiwebsocket.v1}.
 */
public class MultiWebsocketClient implements AutoCloseable {

    /** The subprotocol the client offers. */
    public static final String SUBPROTOCOL = "multiwebsocket.v1";

    private static final Logger LOG = Logger.getLogger(MultiWebsocketClient.class.getName());
    private static final JsonProvider JSON = JsonProvider.provider();
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private enum State { NEW, CONNECTING, SOCKET, HTTP, DISCONNECTED, CLOSED }

    private final Map<String, Object> config = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, PendingCall<?>> inFlight = new ConcurrentHashMap<>();
    private final List<ClientListener> listeners = new CopyOnWriteArrayList<>();
    private final String name = "multiwebsocket-client-" + INSTANCES.incrementAndGet();

    // guarded by lock
    private final Deque<PendingCall<?>> queue = new ArrayDeque<>();
    private final List<Runnable> readyCallbacks = new ArrayList<>();
    private State state = State.NEW;
    private boolean everReady;
    private boolean attemptRunning;
    private int failedAttempts;
    private CompletableFuture<Void> nextReady = new CompletableFuture<>();
    private Session session;
    private Future<?> heartbeat;
    private Future<?> retry;
    private ScheduledExecutorService scheduler;
    private ExecutorService worker;
    private WebSocketContainer container;
    private Jsonb jsonb;

    private volatile Discovered discovered;
    private volatile long lastPongNanos;

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
     * "service-discovery-url"} is required. Changes after {@link #connect()} apply to the next
     * connection attempt at the earliest.
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
        listeners.add(listener);
    }

    /**
     * Runs the listener once, when the client is next ready (at once, on the caller's thread, if it
     * is ready now).
     *
     * @param listener what to run
     */
    public void onReady(Runnable listener) {
        synchronized (lock) {
            if (state != State.SOCKET && state != State.HTTP) {
                readyCallbacks.add(listener);
                return;
            }
        }
        listener.run();
    }

    /** @return whether calls are being sent now (over the socket or the HTTP fallback) */
    public boolean isReady() {
        synchronized (lock) {
            return state == State.SOCKET || state == State.HTTP;
        }
    }

    /** @return {@code "websocket"}, {@code "http"} (fallback), or null while not ready */
    public String transport() {
        synchronized (lock) {
            return state == State.SOCKET ? "websocket" : state == State.HTTP ? "http" : null;
        }
    }

    /**
     * Runs discovery, then opens the gateway socket. Calling it again returns the state of the same
     * client: a completed future when ready, otherwise one that completes at the next ready.
     *
     * @return completes when the client is ready; fails when this connection attempt fails (the
     *         client then goes on retrying in the background until closed)
     * @throws IllegalStateException when {@code service-discovery-url} is missing or the client is closed
     */
    public CompletableFuture<Void> connect() {
        discoveryUri();
        synchronized (lock) {
            switch (state) {
                case CLOSED -> throw new IllegalStateException("the client is closed");
                case SOCKET, HTTP -> {
                    return CompletableFuture.completedFuture(null);
                }
                case NEW -> {
                    state = State.CONNECTING;
                    startThreads();
                    startAttempt();
                }
                default -> {
                    if (!attemptRunning && retry == null) {
                        startAttempt();
                    }
                }
            }
            return nextReady;
        }
    }

    /**
     * Calls a service; the result is the JSON value the service answered.
     *
     * @param service the service name, any form ({@code "/helloworld/"}, {@code "helloworld"})
     * @param payload the params: a record, bean, {@code Map}, {@code List}, array or JSON-P
     *                structure (serialised with JSON-B); null sends none
     * @return the result
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
     */
    public <T> CompletableFuture<T> callService(String service, Object payload, Class<T> resultType) {
        return call(service, payload, resultType, -1);
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
     */
    public <T> CompletableFuture<T> callService(String service, Object payload, Class<T> resultType, long timeoutMs) {
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("timeoutMs must be positive, was " + timeoutMs);
        }
        return call(service, payload, resultType, timeoutMs);
    }

    private <T> CompletableFuture<T> call(String service, Object payload, Type resultType, long timeoutMs) {
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException("service name is empty");
        }
        String params = params(payload);
        String id = Long.toString(ids.incrementAndGet());
        String frame = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":" + JSON.createValue(service)
                + (params == null ? "" : ",\"params\":" + params) + "}";
        long deadline = timeoutMs > 0 ? timeoutMs : callTimeoutMs();
        PendingCall<T> call = new PendingCall<>(this, id, service, frame, resultType, deadline);
        ServiceCallException refused = refused(discovered, call);
        if (refused != null) {
            call.completeExceptionally(refused);
            return call;
        }
        synchronized (lock) {
            if (state == State.CLOSED) {
                call.completeExceptionally(new ConnectionLostException("the client is closed"));
                return call;
            }
            if (scheduler == null) {
                startThreads();
            }
            call.timer = scheduler.schedule(() -> timedOut(call), deadline, TimeUnit.MILLISECONDS);
            route(call);
        }
        return call;
    }

    /** Sends the call, or queues it; under the lock. */
    private void route(PendingCall<?> call) {
        if (state == State.SOCKET && inFlight.size() < maxInFlight()) {
            send(call);
        } else if (state == State.HTTP) {
            sendHttp(call);
        } else if (queue.size() < intOption(ClientOptions.MAX_QUEUED_CALLS, 10_000)) {
            queue.add(call);
        } else {
            fail(call, new MultiWebsocketException("the call queue is full ("
                    + intOption(ClientOptions.MAX_QUEUED_CALLS, 10_000) + " calls); try again later"));
        }
    }

    /** Why the gateway would refuse the call outright, or null. */
    private static ServiceCallException refused(Discovered known, PendingCall<?> call) {
        if (known == null) {
            return null;
        }
        if (!known.lists(call.method)) {
            return unknown(call.method);
        }
        int bytes = call.frame.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > known.maxMessageBytes()) {
            return new ServiceCallException(-32600, "the request to " + call.method + " is " + bytes
                    + " bytes, more than the gateway accepts (maxMessageBytes " + known.maxMessageBytes() + ")",
                    JSON.createObjectBuilder().add("bytes", bytes).add("maxMessageBytes", known.maxMessageBytes()).build());
        }
        return null;
    }

    private void send(PendingCall<?> call) {
        ServiceCallException refused = refused(discovered, call);
        if (refused != null) {
            fail(call, refused);
            return;
        }
        Session current = session;
        call.route = PendingCall.Route.SOCKET;
        inFlight.put(call.id, call);
        try {
            current.getAsyncRemote().sendText(call.frame, result -> {
                if (!result.isOK()) {
                    lostCall(call, result.getException());
                }
            });
        } catch (RuntimeException e) {
            lostCall(call, e);
        }
    }

    private void lostCall(PendingCall<?> call, Throwable cause) {
        if (inFlight.remove(call.id, call)) {
            fail(call, new ConnectionLostException("the connection failed while sending the call", cause));
        }
    }

    private void sendHttp(PendingCall<?> call) {
        Discovered known = discovered;
        ServiceCallException refused = refused(known, call);
        if (refused != null) {
            fail(call, refused);
            return;
        }
        call.route = PendingCall.Route.HTTP;
        inFlight.put(call.id, call);
        worker.execute(() -> {
            try {
                String answer = post(URI.create(known.http()), call.frame, (int) call.timeoutMs + 1_000);
                if (answer != null) {
                    received(answer);
                }
            } catch (IOException | RuntimeException e) {
                if (inFlight.remove(call.id, call)) {
                    fail(call, new ConnectionLostException("the HTTP transport failed", e));
                }
            }
        });
    }

    /** Moves queued calls into flight while there is room; under the lock. */
    private void pump() {
        while (!queue.isEmpty() && (state == State.HTTP || (state == State.SOCKET && inFlight.size() < maxInFlight()))) {
            PendingCall<?> next = queue.poll();
            if (!next.isDone()) {
                route(next);
            }
        }
    }

    private void timedOut(PendingCall<?> call) {
        if (call.completeExceptionally(new CallTimeoutException(
                "no answer from " + call.method + " within " + call.timeoutMs + " ms", null))) {
            abandoned(call, false);
        }
    }

    /** The call's future is done without an answer (timeout, cancel): forget it and tell the gateway. */
    void abandoned(PendingCall<?> call, boolean cancelled) {
        Future<?> timer = call.timer;
        if (cancelled && timer != null) {
            timer.cancel(false);
        }
        boolean wasInFlight = inFlight.remove(call.id, call);
        synchronized (lock) {
            queue.remove(call);
            if (wasInFlight && call.route == PendingCall.Route.SOCKET && session != null) {
                try {
                    session.getAsyncRemote().sendText(
                            "{\"jsonrpc\":\"2.0\",\"method\":\"rpc.cancel\",\"params\":{\"id\":" + call.id + "}}");
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "rpc.cancel not sent", e);
                }
            }
            pump();
        }
    }

    /** A frame from the gateway (or an HTTP answer): one response or a batch of them. */
    private void received(String text) {
        JsonValue value;
        try (JsonReader reader = JSON.createReader(new StringReader(text))) {
            value = reader.readValue();
        } catch (RuntimeException e) {
            notifyError(new MultiWebsocketException("unreadable frame from the gateway", e));
            return;
        }
        if (value instanceof JsonArray array) {
            array.forEach(this::response);
        } else {
            response(value);
        }
        synchronized (lock) {
            pump();
        }
    }

    private void response(JsonValue value) {
        if (!(value instanceof JsonObject response)) {
            return;
        }
        JsonValue id = response.get("id");
        String key = id instanceof JsonNumber n ? n.toString() : id instanceof JsonString s ? s.getString() : null;
        PendingCall<?> call = key == null ? null : inFlight.remove(key);
        if (call == null) {
            if (response.get("error") instanceof JsonObject error && (id == null || id == JsonValue.NULL)) {
                notifyError(failure(error));
            }
            return;
        }
        Future<?> timer = call.timer;
        if (timer != null) {
            timer.cancel(false);
        }
        try {
            worker.execute(() -> complete(call, response));
        } catch (RuntimeException rejected) {
            complete(call, response);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void complete(PendingCall call, JsonObject response) {
        if (response.get("error") instanceof JsonObject error) {
            call.completeExceptionally(failure(error));
            return;
        }
        JsonValue result = response.getOrDefault("result", JsonValue.NULL);
        try {
            call.complete(convert(result, call.resultType));
        } catch (RuntimeException e) {
            call.completeExceptionally(new MultiWebsocketException(
                    "the result of " + call.method + " cannot be read as " + call.resultType.getTypeName(), e));
        }
    }

    private Object convert(JsonValue result, Type type) {
        if (type == JsonValue.class || (type instanceof Class<?> c && JsonValue.class.isAssignableFrom(c) && c.isInstance(result))) {
            return result;
        }
        if (result == JsonValue.NULL) {
            return null;
        }
        return jsonb().fromJson(result.toString(), type);
    }

    private static ServiceCallException failure(JsonObject error) {
        int code = error.get("code") instanceof JsonNumber n ? n.intValue() : -32603;
        String message = error.get("message") instanceof JsonString s ? s.getString() : "error";
        JsonValue data = error.get("data");
        return code == CallTimeoutException.CODE ? new CallTimeoutException(message, data)
                : new ServiceCallException(code, message, data);
    }

    private static ServiceCallException unknown(String service) {
        return new ServiceCallException(-32601, "Method not found: discovery lists no service '" + service + "'",
                JSON.createObjectBuilder().add("method", service).build());
    }

    private void fail(PendingCall<?> call, Throwable failure) {
        Future<?> timer = call.timer;
        if (timer != null) {
            timer.cancel(false);
        }
        ExecutorService executor = worker;
        if (executor != null && !executor.isShutdown()) {
            try {
                executor.execute(() -> call.completeExceptionally(failure));
                return;
            } catch (RuntimeException rejected) {
                // shutting down: complete here
            }
        }
        call.completeExceptionally(failure);
    }

    // ---- connection lifecycle ----

    private void startThreads() {
        scheduler = new ScheduledThreadPoolExecutor(1, daemon(name + "-timer"));
        ((ScheduledThreadPoolExecutor) scheduler).setRemoveOnCancelPolicy(true);
        worker = Executors.newCachedThreadPool(daemon(name + "-worker"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Under the lock. */
    private void startAttempt() {
        attemptRunning = true;
        retry = null;
        worker.execute(this::attempt);
    }

    private void attempt() {
        Throwable failure;
        try {
            Discovered found = discover();
            discovered = found;
            failQueuedUnknown(found);
            failure = null;
            for (String gateway : found.gateways()) {
                try {
                    opened(open(URI.create(gateway)), found);
                    return;
                } catch (Exception e) {
                    failure = e;
                    LOG.log(Level.FINE, "gateway " + gateway + " refused", e);
                }
            }
            if (bool(ClientOptions.HTTP_FALLBACK, true) && found.http() != null && httpAnswers(found)) {
                httpMode();
                return;
            }
            failure = new MultiWebsocketException("no gateway of " + found.gateways() + " could be opened"
                    + (bool(ClientOptions.HTTP_FALLBACK, true) ? ", nor the HTTP transport" : ""), failure);
        } catch (Exception e) {
            failure = e instanceof MultiWebsocketException ? e
                    : new MultiWebsocketException("discovery at " + config.get(ClientOptions.SERVICE_DISCOVERY_URL) + " failed", e);
        }
        attemptFailed(failure);
    }

    private void attemptFailed(Throwable failure) {
        CompletableFuture<Void> failed = null;
        synchronized (lock) {
            attemptRunning = false;
            if (state == State.CLOSED) {
                return;
            }
            if (state != State.HTTP) {
                failed = nextReady;
                nextReady = new CompletableFuture<>();
            }
            scheduleRetry();
        }
        if (failed != null) {
            failed.completeExceptionally(failure);
        }
        notifyError(failure);
    }

    /** Under the lock. */
    private void scheduleRetry() {
        long initial = longOption(ClientOptions.RECONNECT_INITIAL_DELAY_MS, 250);
        long max = longOption(ClientOptions.RECONNECT_MAX_DELAY_MS, 10_000);
        long delay = Math.min(max, initial << Math.min(failedAttempts++, 20));
        long jittered = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        retry = scheduler.schedule(() -> {
            synchronized (lock) {
                if (state != State.CLOSED && state != State.SOCKET) {
                    startAttempt();
                }
            }
        }, jittered, TimeUnit.MILLISECONDS);
    }

    private void opened(Session opened, Discovered found) {
        Becoming becoming;
        synchronized (lock) {
            attemptRunning = false;
            if (state == State.CLOSED) {
                closeQuietly(opened);
                return;
            }
            boolean wasHttp = state == State.HTTP;
            session = opened;
            state = State.SOCKET;
            failedAttempts = 0;
            lastPongNanos = System.nanoTime();
            long heartbeatMs = longOption(ClientOptions.HEARTBEAT_MS, found.heartbeatMs());
            if (heartbeatMs > 0) {
                heartbeat = scheduler.scheduleWithFixedDelay(() -> heartbeat(opened, heartbeatMs),
                        heartbeatMs, heartbeatMs, TimeUnit.MILLISECONDS);
            }
            pump();
            if (wasHttp) {
                return;
            }
            becoming = becameReady();
        }
        becoming.announce();
    }

    /** What to tell once the client has become ready; taken under the lock, told outside it. */
    private final class Becoming {
        private final boolean reconnected = everReady;
        private final List<Runnable> callbacks = new ArrayList<>(readyCallbacks);
        private final CompletableFuture<Void> ready = nextReady;

        void announce() {
            announceReady(reconnected, callbacks, ready);
        }
    }

    /** Under the lock. */
    private Becoming becameReady() {
        Becoming becoming = new Becoming();
        everReady = true;
        readyCallbacks.clear();
        nextReady = new CompletableFuture<>();
        return becoming;
    }

    private void httpMode() {
        Becoming becoming;
        synchronized (lock) {
            attemptRunning = false;
            if (state == State.CLOSED) {
                return;
            }
            boolean already = state == State.HTTP;
            state = State.HTTP;
            pump();
            scheduleRetry();
            if (already) {
                return;
            }
            becoming = becameReady();
        }
        LOG.info(() -> name + ": no gateway socket could be opened; calls go over HTTP meanwhile");
        becoming.announce();
    }

    private void announceReady(boolean reconnected, List<Runnable> callbacks, CompletableFuture<Void> ready) {
        ready.complete(null);
        for (ClientListener listener : listeners) {
            try {
                if (reconnected) {
                    listener.onReconnected();
                } else {
                    listener.onReady();
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a client listener failed", e);
            }
        }
        for (Runnable callback : callbacks) {
            try {
                callback.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "an onReady callback failed", e);
            }
        }
    }

    /** The socket went away: fail what it carried, tell listeners, reconnect. */
    private void lost(Session which, Throwable reason) {
        synchronized (lock) {
            if (session != which || state != State.SOCKET) {
                return;
            }
            session = null;
            state = State.DISCONNECTED;
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
            scheduleRetry();
        }
        ConnectionLostException lostException = new ConnectionLostException("the connection to the gateway was lost", reason);
        for (PendingCall<?> call : inFlight.values()) {
            if (call.route == PendingCall.Route.SOCKET && inFlight.remove(call.id, call)) {
                fail(call, lostException);
            }
        }
        for (ClientListener listener : listeners) {
            try {
                listener.onDisconnected(reason);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a client listener failed", e);
            }
        }
        worker.execute(() -> closeQuietly(which));
    }

    private void heartbeat(Session which, long heartbeatMs) {
        long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastPongNanos);
        if (silentMs > 2 * heartbeatMs + heartbeatMs / 2) {
            lost(which, new ConnectionLostException("heartbeat: no answer to pings for " + silentMs + " ms"));
            return;
        }
        try {
            which.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
        } catch (IOException | RuntimeException e) {
            lost(which, e);
        }
    }

    private Session open(URI gateway) throws Exception {
        ClientEndpointConfig endpointConfig = ClientEndpointConfig.Builder.create()
                .preferredSubprotocols(List.of(SUBPROTOCOL))
                .configurator(new ClientEndpointConfig.Configurator() {
                    @Override
                    public void beforeRequest(Map<String, List<String>> headers) {
                        String token = token();
                        if (token != null) {
                            headers.put("Authorization", List.of("Bearer " + token));
                        }
                    }
                })
                .build();
        WebSocketContainer webSockets;
        synchronized (lock) {
            if (container == null) {
                container = ContainerProvider.getWebSocketContainer();
            }
            webSockets = container;
        }
        webSockets.setDefaultMaxTextMessageBufferSize(16 * 1024 * 1024);
        return webSockets.connectToServer(new Endpoint() {
            @Override
            public void onOpen(Session opened, EndpointConfig ignored) {
                opened.addMessageHandler(String.class, (MessageHandler.Whole<String>) MultiWebsocketClient.this::received);
                opened.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) pong ->
                        lastPongNanos = System.nanoTime());
            }

            @Override
            public void onClose(Session closed, CloseReason reason) {
                lost(closed, new ConnectionLostException("closed by the gateway: " + reason.getCloseCode().getCode()
                        + (reason.getReasonPhrase() == null || reason.getReasonPhrase().isEmpty() ? "" : " " + reason.getReasonPhrase())));
            }

            @Override
            public void onError(Session failed, Throwable error) {
                lost(failed, error);
            }
        }, endpointConfig, gateway);
    }

    private Discovered discover() throws IOException {
        HttpURLConnection http = (HttpURLConnection) discoveryUri().toURL().openConnection();
        http.setConnectTimeout(connectTimeoutMs());
        http.setReadTimeout(connectTimeoutMs());
        http.setRequestProperty("Accept", "application/json");
        authorize(http);
        int status = http.getResponseCode();
        if (status != 200) {
            throw new IOException("discovery answered HTTP " + status);
        }
        try (InputStream in = http.getInputStream(); JsonReader reader = JSON.createReader(in)) {
            return Discovered.of(reader.readObject());
        } catch (RuntimeException e) {
            throw new IOException("discovery answered a document the client cannot read", e);
        }
    }

    private boolean httpAnswers(Discovered found) {
        try {
            String answer = post(URI.create(found.http()), "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"rpc.ping\"}",
                    connectTimeoutMs());
            return answer != null && answer.contains("pong");
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "the HTTP transport does not answer either", e);
            return false;
        }
    }

    /** POSTs a JSON-RPC body; returns the answer, or null for 204. */
    private String post(URI uri, String body, int readTimeoutMs) throws IOException {
        HttpURLConnection http = (HttpURLConnection) uri.toURL().openConnection();
        http.setConnectTimeout(connectTimeoutMs());
        http.setReadTimeout(readTimeoutMs);
        http.setRequestMethod("POST");
        http.setDoOutput(true);
        http.setRequestProperty("Content-Type", "application/json");
        authorize(http);
        try (OutputStream out = http.getOutputStream()) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
        int status = http.getResponseCode();
        if (status == 204) {
            return null;
        }
        InputStream in = status >= 400 ? http.getErrorStream() : http.getInputStream();
        if (in == null) {
            throw new IOException("the HTTP transport answered " + status);
        }
        try (in) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private void authorize(HttpURLConnection http) {
        String token = token();
        if (token != null) {
            http.setRequestProperty("Authorization", "Bearer " + token);
        }
    }

    /** Queued calls to services the new discovery does not list fail now. */
    private void failQueuedUnknown(Discovered found) {
        synchronized (lock) {
            queue.removeIf(call -> {
                if (!found.lists(call.method)) {
                    fail(call, unknown(call.method));
                    return true;
                }
                return false;
            });
        }
    }

    /**
     * Closes the socket, fails every queued and in-flight call with {@link ConnectionLostException},
     * and ends every thread the client started. Idempotent.
     */
    @Override
    public void close() {
        Session open;
        List<PendingCall<?>> pending;
        CompletableFuture<Void> ready;
        ScheduledExecutorService timerThreads;
        ExecutorService workerThreads;
        WebSocketContainer webSockets;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            open = session;
            session = null;
            pending = new ArrayList<>(queue);
            queue.clear();
            ready = nextReady;
            timerThreads = scheduler;
            workerThreads = worker;
            webSockets = container;
        }
        pending.addAll(inFlight.values());
        inFlight.clear();
        ConnectionLostException closed = new ConnectionLostException("the client was closed");
        pending.forEach(call -> call.completeExceptionally(closed));
        ready.completeExceptionally(closed);
        if (open != null) {
            closeQuietly(open);
        }
        if (timerThreads != null) {
            timerThreads.shutdownNow();
            workerThreads.shutdownNow();
            try {
                timerThreads.awaitTermination(2, TimeUnit.SECONDS);
                workerThreads.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        shutdown(webSockets);
        Jsonb binder;
        synchronized (lock) {
            binder = jsonb;
            jsonb = null;
        }
        if (binder != null) {
            try {
                binder.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "closing JSON-B failed", e);
            }
        }
    }

    /** Tyrus's client container owns threads; it has a shutdown method outside the standard API. */
    private static void shutdown(WebSocketContainer webSockets) {
        if (webSockets == null) {
            return;
        }
        try {
            webSockets.getClass().getMethod("shutdown").invoke(webSockets);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.FINE, "the WebSocket container has no shutdown method", e);
        }
    }

    private static void closeQuietly(Session which) {
        try {
            if (which.isOpen()) {
                which.close();
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "closing the socket failed", e);
        }
    }

    private void notifyError(Throwable error) {
        for (ClientListener listener : listeners) {
            try {
                listener.onError(error);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a client listener failed", e);
            }
        }
    }

    // ---- options and JSON ----

    private String params(Object payload) {
        if (payload == null) {
            return null;
        }
        String json = payload instanceof JsonValue value ? value.toString() : jsonb().toJson(payload);
        char first = json.isEmpty() ? ' ' : json.charAt(0);
        if (first != '{' && first != '[') {
            throw new IllegalArgumentException("params must serialise to a JSON object or array, not " + json);
        }
        return json;
    }

    private Jsonb jsonb() {
        synchronized (lock) {
            if (jsonb == null) {
                jsonb = JsonbBuilder.create();
            }
            return jsonb;
        }
    }

    private URI discoveryUri() {
        Object url = config.get(ClientOptions.SERVICE_DISCOVERY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new IllegalStateException("config \"" + ClientOptions.SERVICE_DISCOVERY_URL + "\" is not set");
        }
        return URI.create(url.toString());
    }

    private String token() {
        Object token = config.get(ClientOptions.BEARER_TOKEN);
        return token == null || token.toString().isBlank() ? null : token.toString();
    }

    private long callTimeoutMs() {
        Discovered known = discovered;
        return longOption(ClientOptions.CALL_TIMEOUT_MS, known == null ? 30_000 : known.callTimeoutMs());
    }

    private int maxInFlight() {
        Discovered known = discovered;
        return known == null ? 256 : known.maxInFlight();
    }

    private int connectTimeoutMs() {
        return intOption(ClientOptions.CONNECT_TIMEOUT_MS, 10_000);
    }

    private long longOption(String key, long defaultValue) {
        Object value = config.get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("config \"" + key + "\" must be a whole number, was '" + value + "'");
        }
    }

    private int intOption(String key, int defaultValue) {
        return (int) Math.min(Integer.MAX_VALUE, longOption(key, defaultValue));
    }

    private boolean bool(String key, boolean defaultValue) {
        Object value = config.get(key);
        return value == null ? defaultValue : value instanceof Boolean b ? b : Boolean.parseBoolean(value.toString());
    }
}
