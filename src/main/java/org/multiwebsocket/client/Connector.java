package org.multiwebsocket.client;

import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Connection attempts: discovery, then each gateway it lists in turn, then the HTTP fallback. Owns
 * the WebSocket container the sockets come from.
 */
final class Connector {

    /** The last discovery document, for when discovery fails later. */
    private volatile Discovered lastFound;

    /**
     * How an attempt ended: a socket was taken (nothing to do), the HTTP fallback answers, or it failed.
     *
     * @param retryAfterMs the longest {@code Retry-After} heard, or 0
     */
    record Outcome(HttpTransport fallback, Throwable failure, long retryAfterMs) {
        static final Outcome CONNECTED = new Outcome(null, null, 0);
    }

    private static final Logger LOG = Logger.getLogger(Connector.class.getName());

    private final Settings settings;
    private final HttpClient http;
    private final Transport.Listener listener;
    private WebSocketContainer container; // guarded by this
    private boolean closed; // guarded by this

    Connector(Settings settings, HttpClient http, Transport.Listener listener) {
        this.settings = settings;
        this.http = http;
        this.listener = listener;
    }

    /**
     * @param discovered hears the discovery document first
     * @param opened     takes an open socket; false when the socket closed before it could be used, and
     *                   the next gateway is tried
     */
    Outcome attempt(Consumer<Discovered> discovered, BiPredicate<SocketTransport, Discovered> opened) {
        Throwable failure = null;
        long retryAfterMs = 0;
        try {
            Discovered found = discover();
            discovered.accept(found);
            for (String gateway : found.gateways()) {
                try {
                    if (opened.test(SocketTransport.open(container(), URI.create(gateway), settings.bearerToken(), listener), found)) {
                        return Outcome.CONNECTED;
                    }
                    failure = new ConnectionLostException("gateway " + gateway + " closed the socket as it opened");
                } catch (RetryLater e) {
                    failure = e;
                    retryAfterMs = Math.max(retryAfterMs, e.retryAfterMs);
                } catch (Exception e) {
                    failure = e;
                    LOG.log(Level.FINE, "gateway " + gateway + " refused", e);
                }
            }
            if (settings.httpFallback() && found.http() != null) {
                HttpTransport fallback = new HttpTransport(http, URI.create(found.http()), settings.bearerToken(), listener);
                if (fallback.answers(settings.connectTimeoutMs())) {
                    return new Outcome(fallback, null, 0);
                }
            }
            return new Outcome(null, new MultiWebsocketException("no gateway of " + found.gateways() + " could be opened"
                    + (settings.httpFallback() ? ", nor the HTTP transport" : ""), failure), retryAfterMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(null, new MultiWebsocketException("the connection attempt was interrupted", e), 0);
        } catch (Exception e) {
            return new Outcome(null, new MultiWebsocketException("discovery at " + settings.discovery() + " failed", e),
                    e instanceof RetryLater later ? later.retryAfterMs : 0);
        }
    }

    /** Discovery; when it fails after having answered once (its node stopped, say), the gateways it listed last. */
    private Discovered discover() throws Exception {
        try {
            Discovered found = Discovery.fetch(http, settings);
            lastFound = found;
            return found;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            Discovered last = lastFound;
            if (last == null) {
                throw e;
            }
            LOG.log(Level.FINE, "discovery failed; trying the gateways it listed last", e);
            return last;
        }
    }

    private synchronized WebSocketContainer container() {
        if (closed) {
            throw new IllegalStateException("the client is closed");
        }
        if (container == null) {
            container = ContainerProvider.getWebSocketContainer();
            container.setDefaultMaxTextMessageBufferSize(16 * 1024 * 1024);
        }
        return container;
    }

    /** Ends the container's threads; later attempts fail. */
    void close() {
        WebSocketContainer webSockets;
        synchronized (this) {
            closed = true;
            webSockets = container;
        }
        SocketTransport.shutdown(webSockets);
    }
}
