package org.multiwebsocket.client;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import org.multiwebsocket.protocol.JsonRpc;
import org.multiwebsocket.protocol.Protocol;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The gateway socket, from {@link jakarta.websocket.ContainerProvider} (the Tyrus client at run time):
 * calls go out as text frames, answers come in on the container's read thread, pings tell whether
 * the connection still lives.
 */
final class SocketTransport extends Endpoint implements Transport {

    private static final Logger LOG = Logger.getLogger(SocketTransport.class.getName());

    private final Listener listener;
    private volatile Session session;
    private volatile long lastPongNanos = System.nanoTime();
    private volatile Future<?> heartbeat;
    /** A send failed: the socket counts as closed from then on, before the engine has heard. */
    private volatile boolean sendFailed;

    SocketTransport(Listener listener) {
        this.listener = listener;
    }

    /**
     * Opens a socket offering {@code multiwebsocket.v1}, with the bearer token as {@code Authorization}.
     *
     * @throws RetryLater when the handshake was refused with a {@code Retry-After}
     */
    static SocketTransport open(WebSocketContainer container, URI gateway, String bearerToken, Listener listener)
            throws Exception {
        SocketTransport socket = new SocketTransport(listener);
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                .preferredSubprotocols(List.of(Protocol.SUBPROTOCOL))
                .configurator(new ClientEndpointConfig.Configurator() {
                    @Override
                    public void beforeRequest(Map<String, List<String>> headers) {
                        if (bearerToken != null) {
                            headers.put("Authorization", List.of("Bearer " + bearerToken));
                        }
                    }
                }).build();
        try {
            container.connectToServer(socket, config, gateway);
            return socket;
        } catch (Exception e) {
            long retryAfterMs = retryAfterMs(e);
            throw retryAfterMs > 0 ? new RetryLater("gateway " + gateway + " refused the handshake", retryAfterMs, e) : e;
        }
    }

    /**
     * Tyrus reports the {@code Retry-After} of a refused handshake as {@code RetryAfterException.getDelay()}
     * in seconds (its configurator's {@code afterResponse} comes too late to rely on); looked up by name, so
     * that the client needs Tyrus only at run time.
     */
    private static long retryAfterMs(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getClass().getSimpleName().equals("RetryAfterException")) {
                try {
                    return cause.getClass().getMethod("getDelay").invoke(cause) instanceof Number seconds
                            ? Math.max(0, seconds.longValue() * 1_000) : 0;
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    @Override
    public void onOpen(Session opened, EndpointConfig ignored) {
        session = opened;
        opened.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> listener.received(this, text));
        opened.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) pong -> lastPongNanos = System.nanoTime());
    }

    @Override
    public void onClose(Session closed, CloseReason reason) {
        String phrase = reason.getReasonPhrase() == null || reason.getReasonPhrase().isEmpty() ? "" : " " + reason.getReasonPhrase();
        listener.lost(this, new ConnectionLostException("closed by the gateway: " + reason.getCloseCode().getCode() + phrase));
    }

    @Override
    public void onError(Session failed, Throwable error) {
        listener.lost(this, error);
    }

    /** Pings every {@code intervalMs} (0: never); a socket that answered none for 2.5 intervals is lost. */
    void heartbeat(ScheduledExecutorService timer, long intervalMs) {
        if (intervalMs <= 0) {
            return;
        }
        lastPongNanos = System.nanoTime();
        heartbeat = timer.scheduleWithFixedDelay(() -> {
            long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastPongNanos);
            if (silentMs > intervalMs * 5 / 2) {
                listener.lost(this, new ConnectionLostException("heartbeat: no answer to pings for " + silentMs + " ms"));
                return;
            }
            try {
                session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
            } catch (IOException | RuntimeException e) {
                listener.lost(this, e);
            }
        }, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public String name() {
        return "websocket";
    }

    /**
     * A send that fails means the socket is lost: reported as such, so that a session carries the call to the
     * next socket (sent again there unless the gateway lists it as known) instead of failing it.
     */
    @Override
    public void send(PendingCall<?> call) {
        try {
            session.getAsyncRemote().sendText(call.frame, result -> {
                if (!result.isOK()) {
                    sendFailed = true;
                    listener.sendFailed(this, new ConnectionLostException("the connection failed while sending a call", result.getException()));
                }
            });
        } catch (RuntimeException e) {
            sendFailed = true;
            listener.sendFailed(this, new ConnectionLostException("the connection failed while sending a call", e));
        }
    }

    @Override
    public void cancel(PendingCall<?> call) {
        sendText(JsonRpc.cancel(call.id));
    }

    /**
     * Sends a frame of the client's own (a notification, {@code rpc.session}); a socket that failed is reported
     * lost anyway. @return done once it was written; null when it could not be sent
     */
    Future<Void> sendText(String frame) {
        try {
            return session.getAsyncRemote().sendText(frame);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "a control frame was not sent", e);
            return null;
        }
    }

    @Override
    public boolean isOpen() {
        Session current = session;
        return current != null && current.isOpen() && !sendFailed;
    }

    @Override
    public void close() {
        Future<?> pings = heartbeat;
        if (pings != null) {
            pings.cancel(false);
        }
        try {
            if (isOpen()) {
                session.close();
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "closing the socket failed", e);
        }
    }

    /** Ends the container's threads: Tyrus's client container has a shutdown method outside the standard API. */
    static void shutdown(WebSocketContainer container) {
        if (container != null) {
            try {
                container.getClass().getMethod("shutdown").invoke(container);
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.log(Level.FINE, "the WebSocket container has no shutdown method", e);
            }
        }
    }
}
