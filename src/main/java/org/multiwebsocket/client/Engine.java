package org.multiwebsocket.client;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * What {@code MultiWebsocketClient} delegates to, wired from the parts of this package: which
 * transport carries calls now, connection attempts (discovery, each gateway in turn, the HTTP
 * fallback) and their retries, streams and topic subscriptions, and the threads, started by
 * {@link #connect()} and ended by {@link #close()}. Each public method has the contract of the
 * client's method it serves (those of {@link Transport.Listener}: what the transports report). State
 * changes hold {@link #lock}; futures and listeners are told outside it, futures never on the
 * socket's read thread.
 */
final class Engine implements Transport.Listener {

    private enum State { NEW, CONNECTING, SOCKET, HTTP, DISCONNECTED, CLOSED }

    private static final Logger LOG = Logger.getLogger(Engine.class.getName());

    private final String name;
    private final Map<String, Object> config;
    private final Payloads payloads = new Payloads();
    private final PendingCalls calls = new PendingCalls();
    private final Events events = new Events();
    private final TopicFeeds topics = new TopicFeeds();
    private final Executor workers = task -> Threads.execute(this.threads, task);
    private final SessionLink session = new SessionLink(calls, topics, events, workers);
    /** Calls, streams and topic subscriptions, made into the calls this engine carries. */
    final Requests requests = new Requests(payloads, topics, workers, this::submit, this::abandoned, () -> this.transport);
    private final Inbound inbound = new Inbound(calls, topics, payloads, events, workers, () -> this.discovered, session);
    private final Object lock = new Object();

    // set once, by start(); guarded by lock
    private Settings settings;
    private Backoff backoff;
    private volatile Threads threads;
    private Connector connector;

    // guarded by lock
    private State state = State.NEW;
    private volatile Transport transport; // read without the lock where the latest will do
    private boolean attemptRunning;
    private volatile SocketTransport handshaking; // open, waiting for the answer to rpc.session
    private Future<?> retry;

    volatile Discovered discovered; // the latest document, null before the first; read by the typed proxies

    /**
     * @param name   the prefix of its threads' names
     * @param config the client's live option map, read by {@link #connect()}
     */
    public Engine(String name, Map<String, Object> config) {
        this.name = name;
        this.config = config;
    }

    /** @param listener hears ready, disconnected, reconnected and error events */
    public void addListener(ClientListener listener) {
        events.add(listener);
    }

    /** @param callback runs once at the next ready, or at once (on this thread) when ready now */
    public void onReady(Runnable callback) {
        synchronized (lock) {
            if (transport == null) {
                events.onNextReady(callback);
                return;
            }
        }
        callback.run();
    }

    /** @return the transport's name, or null while no transport carries calls */
    public String transport() {
        synchronized (lock) {
            return transport == null ? null : transport.name();
        }
    }

    /**
     * Reads the settings and starts the threads the first time; starts an attempt if none runs.
     *
     * @return completes at the next ready (at once when ready), fails when that attempt fails
     * @throws IllegalStateException when closed, or when an option is missing or wrong
     */
    public CompletableFuture<Void> connect() {
        synchronized (lock) {
            switch (state) {
                case CLOSED -> throw new IllegalStateException("the client is closed");
                case SOCKET, HTTP -> {
                    return CompletableFuture.completedFuture(null);
                }
                case NEW -> start();
                default -> {
                    if (!attemptRunning && retry == null && handshaking == null) {
                        startAttempt();
                    }
                }
            }
            return events.nextReady();
        }
    }

    /** Under the lock: reads the settings and starts the threads; until now a call only waited. */
    private void start() {
        settings = Settings.from(config);
        backoff = new Backoff(settings.reconnectInitialMs(), settings.reconnectMaxMs(), settings.reconnectResetAfterMs());
        threads = new Threads(name);
        connector = new Connector(settings, HttpTransport.client(settings.connectTimeoutMs(), threads.http), this);
        session.start(settings.sessions(), threads.timer);
        state = State.CONNECTING;
        calls.waiting().forEach(this::deadline);
        startAttempt();
    }

    private void submit(PendingCall<?> call) {
        Discovered known = discovered;
        ServiceCallException refused = known == null ? null : known.refusal(call.method, call.frame);
        if (refused != null) {
            call.completeExceptionally(refused);
            return;
        }
        synchronized (lock) {
            if (state == State.CLOSED) {
                call.completeExceptionally(new ConnectionLostException("the client is closed"));
                return;
            }
            int bound = settings == null ? Settings.maxQueuedCalls(config) : settings.maxQueuedCalls();
            if (!calls.register(call, bound)) {
                call.completeExceptionally(new MultiWebsocketException(
                        "the call queue is full (" + bound + " calls); try again later"));
                return;
            }
            if (state != State.NEW) {
                deadline(call);
            }
            pump();
        }
    }

    /** Under the lock, once started. */
    private void deadline(PendingCall<?> call) {
        PendingCalls.deadline(call, settings.timeoutMs(call, discovered), threads.timer, this::abandoned);
    }

    /** Sends waiting calls while the transport is open and has room (discovery's maxInFlight); under the lock. */
    private void pump() {
        Discovered known = discovered;
        for (PendingCall<?> call; transport != null && transport.isOpen() && (call = calls.next(transport, known.maxInFlight())) != null; ) {
            ServiceCallException refused = known.refusal(call.method, call.frame);
            if (refused != null || (call.only != null && call.only != transport)) {
                calls.remove(call);
                complete(call, refused != null ? refused : new ConnectionLostException("its socket was lost"));
            } else {
                transport.send(call);
            }
        }
    }

    private void pumpLater() {
        threads.execute(() -> {
            synchronized (lock) {
                pump();
            }
        });
    }

    /** A call's future is done without an answer (timed out, cancelled): forget it and tell the gateway. */
    void abandoned(PendingCall<?> call) {
        Transport carrier = calls.remove(call);
        if (carrier != null) {
            carrier.cancel(call);
        }
        synchronized (lock) {
            pump();
        }
    }

    @Override
    public void received(Transport from, String text) {
        SessionLink.Step step = from == handshaking ? session.answered((SocketTransport) from, text) : null;
        if (step == SessionLink.Step.CARRY) {
            carry((SocketTransport) from);
        } else if (step == null) {
            inbound.received(text);
        }
        synchronized (lock) {
            pump();
        }
    }

    @Override
    public void failed(PendingCall<?> call, MultiWebsocketException failure) {
        if (calls.remove(call) != null) {
            complete(call, failure);
            pumpLater();
        }
    }

    @Override
    public void lost(Transport which, Throwable reason) {
        boolean kept;
        synchronized (lock) {
            if (which == handshaking) {
                handshakeFailed(which);
                return;
            }
            if (which != transport || state != State.SOCKET) {
                return;
            }
            transport = null;
            state = State.DISCONNECTED;
            backoff.down(System.nanoTime());
            scheduleRetry(0);
            kept = session.keeps(which);
        }
        if (!kept) {
            ConnectionLostException lostCall = new ConnectionLostException("the connection to the gateway was lost", reason);
            calls.remove(call -> call.via == which).forEach(call -> complete(call, lostCall));
        }
        events.disconnected(reason);
        threads.execute(which::close);
    }

    /** On a worker: the send may have failed inside {@link #pump()}, or under Tyrus's lock of the socket. */
    @Override
    public void sendFailed(Transport which, Throwable reason) {
        threads.execute(() -> lost(which, reason));
    }

    /** Under the lock: a socket lost, or not answering, before it carried calls: try again, keeping the session. */
    private void handshakeFailed(Transport socket) {
        if (socket == handshaking) {
            handshaking = null;
            threads.execute(socket::close);
            if (state != State.CLOSED) {
                scheduleRetry(0);
            }
        }
    }

    private void complete(PendingCall<?> call, Throwable failure) {
        threads.execute(() -> call.completeExceptionally(failure));
    }

    /** Under the lock. */
    private void startAttempt() {
        attemptRunning = true;
        retry = null;
        threads.worker.execute(this::attempt);
    }

    private void attempt() {
        Connector.Outcome outcome = connector.attempt(this::discovered, this::opened);
        if (outcome.fallback() != null) {
            httpMode(outcome.fallback());
        } else if (outcome.failure() != null) {
            attemptFailed(outcome.failure(), outcome.retryAfterMs());
        }
    }

    /** Calls waiting for a service the new document does not list fail now. */
    private void discovered(Discovered found) {
        discovered = found;
        calls.remove(call -> call.via == null && !found.lists(call.method))
                .forEach(call -> complete(call, Discovered.unknown(call.method)));
    }

    /**
     * The socket carries calls once the gateway answered {@code rpc.session} (or at once without sessions);
     * meanwhile the HTTP fallback, if it carries them, goes on.
     *
     * @return false when the socket closed before it could carry a call, so the attempt goes on
     */
    private boolean opened(SocketTransport socket, Discovered found) {
        synchronized (lock) {
            if (state == State.CLOSED || !socket.isOpen()) {
                socket.close();
                return state == State.CLOSED;
            }
            attemptRunning = false;
            socket.heartbeat(threads.timer, settings.heartbeatMs() == Settings.DISCOVERED ? found.heartbeatMs() : settings.heartbeatMs());
            handshaking = socket;
            if (session.handshake(socket, found)) {
                threads.timer.schedule(() -> {
                    synchronized (lock) {
                        handshakeFailed(socket); // no answer to rpc.session
                    }
                }, settings.connectTimeoutMs(), TimeUnit.MILLISECONDS);
                return true;
            }
        }
        carry(socket);
        return true;
    }

    private void carry(SocketTransport socket) {
        Runnable announce;
        synchronized (lock) {
            if (state == State.CLOSED || handshaking != socket) {
                return;
            }
            handshaking = null;
            boolean wasHttp = state == State.HTTP;
            transport = socket;
            state = State.SOCKET;
            backoff.up(System.nanoTime()); // a socket lost before it carried calls counts as a failed attempt
            pump();
            announce = wasHttp ? null : events.ready();
        }
        if (announce != null) {
            announce.run();
        }
        topics.carriedBy(socket);
    }

    private void httpMode(HttpTransport fallback) {
        Runnable announce;
        synchronized (lock) {
            attemptRunning = false;
            if (state == State.CLOSED) {
                return;
            }
            boolean already = state == State.HTTP;
            transport = fallback;
            state = State.HTTP;
            pump();
            scheduleRetry(0);
            announce = already ? null : events.ready();
        }
        if (announce != null) {
            LOG.info(() -> name + ": no gateway socket could be opened; calls go over HTTP meanwhile");
            announce.run();
        }
        topics.carriedBy(fallback);
    }

    private void attemptFailed(Throwable failure, long retryAfterMs) {
        CompletableFuture<Void> failed = null;
        synchronized (lock) {
            attemptRunning = false;
            if (state == State.CLOSED) {
                return;
            }
            if (state != State.HTTP) {
                failed = events.takeNextReady();
            }
            scheduleRetry(retryAfterMs);
        }
        if (failed != null) {
            failed.completeExceptionally(failure);
        }
        events.error(failure);
    }

    /** Under the lock. */
    private void scheduleRetry(long retryAfterMs) {
        retry = threads.timer.schedule(() -> {
            synchronized (lock) {
                if (state != State.CLOSED && state != State.SOCKET && !attemptRunning && handshaking == null) {
                    startAttempt();
                }
            }
        }, backoff.nextDelayMs(retryAfterMs), TimeUnit.MILLISECONDS);
    }

    /** Closes the transport, fails what is pending, and ends the threads. Idempotent. */
    public void close() {
        Transport open;
        CompletableFuture<Void> ready;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            open = transport != null ? transport : handshaking;
            handshaking = null;
            transport = null;
            ready = events.takeNextReady();
        }
        ConnectionLostException closed = new ConnectionLostException("the client was closed");
        calls.remove(call -> true).forEach(call -> call.completeExceptionally(closed));
        topics.close(closed);
        ready.completeExceptionally(closed);
        session.ackBeforeClosing();
        if (open != null) {
            open.close();
        }
        if (threads != null) {
            threads.shutdown();
            connector.close();
        }
        payloads.close();
    }
}
