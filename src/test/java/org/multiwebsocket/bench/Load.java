package org.multiwebsocket.bench;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * A closed-loop load generator: {@code connections × inFlight} chains of calls, each answer starting
 * the next call of its chain. Latencies of the measured window go into an HdrHistogram (µs); completed
 * calls are also counted per second, to tell how steady the window was.
 */
abstract class Load {

    final int connections;
    final int inFlight;
    final ConcurrentHistogram latencies = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
    final AtomicLong errors = new AtomicLong();
    private final AtomicLongArray perSecond = new AtomicLongArray(3_600);
    private volatile boolean measuring;
    private volatile boolean stopping;
    private volatile long windowStartNanos;

    Load(int connections, int inFlight) {
        this.connections = connections;
        this.inFlight = inFlight;
    }

    abstract void start() throws Exception;

    abstract void close() throws Exception;

    /** Records one answered call that was sent at {@code sentNanos}; returns whether to send the next. */
    boolean answered(long sentNanos) {
        long now = System.nanoTime();
        if (measuring) {
            latencies.recordValue(Math.max(1, (now - sentNanos) / 1_000));
            int second = (int) ((now - windowStartNanos) / 1_000_000_000L);
            if (second < perSecond.length()) {
                perSecond.incrementAndGet(second);
            }
        }
        return !stopping;
    }

    /**
     * Warms up, then measures.
     *
     * @return the measured window's length in nanoseconds
     */
    long run(Duration warmup, Duration window, LongSupplier serverCpuNanos, long[] cpuOut) throws Exception {
        start();
        Thread.sleep(warmup.toMillis());
        long cpuBefore = serverCpuNanos.getAsLong();
        windowStartNanos = System.nanoTime();
        measuring = true;
        Thread.sleep(window.toMillis());
        measuring = false;
        long elapsed = System.nanoTime() - windowStartNanos;
        cpuOut[0] = serverCpuNanos.getAsLong() - cpuBefore;
        stopping = true;
        Thread.sleep(300);
        close();
        return elapsed;
    }

    /** Calls per second in each whole second of the window. */
    long[] perSecond(long windowNanos) {
        int seconds = (int) (windowNanos / 1_000_000_000L);
        long[] counts = new long[Math.max(0, seconds)];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = perSecond.get(i);
        }
        return counts;
    }

    Histogram histogram() {
        return latencies;
    }

    /** A Tyrus client whose connections share one transport (one selector), not one each. */
    static WebSocketContainer sharedContainer() {
        org.glassfish.tyrus.client.ClientManager client = org.glassfish.tyrus.client.ClientManager.createClient();
        client.getProperties().put(org.glassfish.tyrus.client.ClientProperties.SHARED_CONTAINER, true);
        return client;
    }

    /** WebSocket calls: one socket per connection, ids are the chain slots. */
    static final class WebSocket extends Load {
        private final URI uri;
        private final List<String> subprotocols;
        private final String method;
        private final List<Session> sessions = new ArrayList<>();
        private final WebSocketContainer container = sharedContainer();

        WebSocket(URI uri, List<String> subprotocols, String method, int connections, int inFlight) {
            super(connections, inFlight);
            this.uri = uri;
            this.subprotocols = subprotocols;
            this.method = method;
        }

        private String frame(int slot) {
            return "{\"jsonrpc\":\"2.0\",\"id\":" + slot + ",\"method\":\"" + method + "\",\"params\":{\"name\":\"bench\"}}";
        }

        @Override
        void start() throws Exception {
            ClientEndpointConfig config = ClientEndpointConfig.Builder.create().preferredSubprotocols(subprotocols).build();
            for (int c = 0; c < connections; c++) {
                long[] sent = new long[inFlight];
                String[] frames = new String[inFlight];
                for (int slot = 0; slot < inFlight; slot++) {
                    frames[slot] = frame(slot);
                }
                Session session = container.connectToServer(new Endpoint() {
                    @Override
                    public void onOpen(Session session, EndpointConfig ignored) {
                        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
                            int at = text.indexOf("\"id\":") + 5;
                            int slot = 0;
                            while (at < text.length() && Character.isDigit(text.charAt(at))) {
                                slot = slot * 10 + (text.charAt(at++) - '0');
                            }
                            if (text.contains("\"error\"")) {
                                errors.incrementAndGet();
                            }
                            if (answered(sent[slot])) {
                                sent[slot] = System.nanoTime();
                                session.getAsyncRemote().sendText(frames[slot]);
                            }
                        });
                    }
                }, config, uri);
                sessions.add(session);
                for (int slot = 0; slot < inFlight; slot++) {
                    sent[slot] = System.nanoTime();
                    session.getAsyncRemote().sendText(frames[slot]);
                }
            }
        }

        @Override
        void close() throws Exception {
            for (Session session : sessions) {
                if (session.isOpen()) {
                    session.close();
                }
            }
        }
    }

    /** HTTP calls: one request per call over keep-alive connections. */
    static final class Http extends Load {
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final HttpRequest request;

        Http(HttpRequest request, int connections, int inFlight) {
            super(connections, inFlight);
            this.request = request;
        }

        private void chain() {
            long sent = System.nanoTime();
            client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
                if (failure != null || response.statusCode() != 200 || response.body().contains("\"error\"")) {
                    errors.incrementAndGet();
                }
                if (answered(sent)) {
                    chain();
                }
            });
        }

        @Override
        void start() {
            for (int i = 0; i < connections * inFlight; i++) {
                chain();
            }
        }

        @Override
        void close() {
            // the chains stop by themselves; the client's connections close when it is collected
        }
    }
}
