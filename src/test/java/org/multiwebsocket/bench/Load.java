package org.multiwebsocket.bench;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A closed-loop load generator: {@code connections × inFlight} chains of calls, each answer starting
 * the next call of its chain. Every answer is counted (for the time series from startup); inside a
 * measured window its latency also goes into an HdrHistogram (µs) and it is counted per second, to tell
 * how steady the window was.
 */
abstract class Load {

    /** The one request every target gets: the gateway's helloworld call (ids 1…inFlight: 0 would be falsy to some). */
    static String frame(int id) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"helloworld\",\"params\":{\"name\":\"bench\"}}";
    }

    final int connections;
    final int inFlight;
    final AtomicLong errors = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private volatile ConcurrentHistogram latencies = newHistogram();
    private volatile AtomicLongArray perSecond = new AtomicLongArray(3_600);
    private volatile boolean measuring;
    private volatile boolean stopping;
    private volatile long windowStartNanos;

    Load(int connections, int inFlight) {
        this.connections = connections;
        this.inFlight = inFlight;
    }

    private static ConcurrentHistogram newHistogram() {
        return new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
    }

    /** Opens the connections and starts every chain. */
    abstract void start() throws Exception;

    abstract void close() throws Exception;

    /** Records one answered call that was sent at {@code sentNanos}; returns whether to send the next. */
    boolean answered(long sentNanos) {
        answered.incrementAndGet();
        if (measuring) {
            long now = System.nanoTime();
            latencies.recordValue(Math.max(1, (now - sentNanos) / 1_000));
            int second = (int) ((now - windowStartNanos) / 1_000_000_000L);
            if (second < perSecond.length()) {
                perSecond.incrementAndGet(second);
            }
        }
        return !stopping;
    }

    /** Calls answered since {@link #start()}, inside a window or not. */
    long answeredTotal() {
        return answered.get();
    }

    /** Starts a measured window: latencies and per-second counts from now on. */
    void beginWindow() {
        latencies = newHistogram();
        perSecond = new AtomicLongArray(3_600);
        windowStartNanos = System.nanoTime();
        measuring = true;
    }

    /** Ends the window begun last. */
    Window endWindow() {
        measuring = false;
        long elapsed = System.nanoTime() - windowStartNanos;
        int seconds = (int) (elapsed / 1_000_000_000L);
        long[] counts = new long[Math.max(0, Math.min(seconds, perSecond.length()))];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = perSecond.get(i);
        }
        return new Window(elapsed, latencies.copy(), counts);
    }

    /** Stops every chain, lets the last answers arrive, closes the connections. */
    void stop() throws Exception {
        stopping = true;
        Thread.sleep(300);
        close();
    }

    /** One measured window: its length, its latencies (µs) and the calls completed in each whole second. */
    record Window(long nanos, Histogram latencies, long[] perSecond) {
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
