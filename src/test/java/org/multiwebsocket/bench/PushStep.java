package org.multiwebsocket.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Executors;

/**
 * The push figures and the upstream call, on the gateway: stream items/s, topic deliveries/s to many
 * subscribers, and a call to an upstream REST service through the gateway against the same GET sent
 * directly. Each is measured for {@code bench.pushSeconds} after {@code bench.pushWarmup} seconds.
 */
final class PushStep {

    private PushStep() {
    }

    /** Items (stream) or deliveries (topic) received in a window, and the server's CPU over it. */
    record Push(String what, int connections, double seconds, long received, long calls, long errors, long cpuNanos,
                Histogram latencies) {
        double perSecond() {
            return received / seconds;
        }

        double cpuMicrosPer() {
            return received == 0 ? Double.NaN : cpuNanos / 1_000.0 / received;
        }

        double ms(double percentile) {
            return latencies == null || latencies.getTotalCount() == 0 ? Double.NaN : latencies.getValueAtPercentile(percentile) / 1_000.0;
        }
    }

    /** The upstream call through the gateway and the same GET sent directly. */
    record Upstream(int concurrency, Benchmark.Round gateway, Benchmark.Round direct) {
    }

    static Push stream(long pid, int port, Settings s) throws Exception {
        PushLoad load = new PushLoad(PushLoad.Mode.STREAM, "127.0.0.1", port, s.streamConnections, s.perAddress, 0);
        System.out.printf("stream          words {\"prefix\":\"\"} on %d connections: warm-up %d s, %d s measured…%n",
                s.streamConnections, s.pushWarmup, s.pushSeconds);
        try {
            load.start();
            return window("stream", load, new long[]{pid}, s, s.streamConnections);
        } finally {
            load.close();
        }
    }

    static Push topic(long pid, int port, Settings s) throws Exception {
        return topic("topic", new long[]{pid}, port, port, s.subscribers, s.topicRate, s);
    }

    /**
     * {@code subscribers} connections to {@code port} subscribe to {@code chat}, one publisher connects to
     * {@code publisherPort} (another node of a cluster, or the same); the CPU is the sum over {@code pids}.
     */
    static Push topic(String what, long[] pids, int port, int publisherPort, int subscribers, int rate, Settings s) throws Exception {
        PushLoad load = new PushLoad(PushLoad.Mode.TOPIC, "127.0.0.1", port, publisherPort, subscribers, s.perAddress, rate);
        System.out.printf("%-15s %d subscribers of chat (port %d), 1 publisher (port %d, %s): warm-up %d s, %d s measured…%n", what,
                subscribers, port, publisherPort, rate == 0 ? "next publish when the previous is answered and delivered to every subscriber"
                        : rate + " publishes/s", s.pushWarmup, s.pushSeconds);
        try {
            long t0 = System.nanoTime();
            load.start();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (load.subscribed.get() < subscribers && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            System.out.printf(Locale.ROOT, "%-15s %d of %d subscribed in %.1f s%n", what, load.subscribed.get(), subscribers,
                    (System.nanoTime() - t0) / 1e9);
            load.startPublishing();
            return window(what, load, pids, s, subscribers);
        } finally {
            load.close();
        }
    }

    private static Push window(String what, PushLoad load, long[] pids, Settings s, int connections) throws Exception {
        Thread.sleep(s.pushWarmup * 1_000L);
        load.latencies();
        long errors0 = load.errors.get();
        long received0 = load.received.get();
        long calls0 = load.answered.get();
        long cpu0 = Proc.cpuNanos(pids);
        long t0 = System.nanoTime();
        Thread.sleep(s.pushSeconds * 1_000L);
        long cpu1 = Proc.cpuNanos(pids);
        long received1 = load.received.get();
        long calls1 = load.answered.get();
        double seconds = (System.nanoTime() - t0) / 1e9;
        Histogram latencies = load.latencies();
        Push p = new Push(what, connections, seconds, received1 - received0, calls1 - calls0, load.errors.get() - errors0, cpu1 - cpu0,
                latencies.getTotalCount() == 0 ? null : latencies);
        boolean stream = what.equals("stream");
        System.out.printf(Locale.ROOT, "%-15s %9.0f %s/s  %7.2f µs CPU/%s  %d calls answered  %d errors%s%n", what, p.perSecond(),
                stream ? "items" : "deliveries", p.cpuMicrosPer(), stream ? "item" : "delivery", p.calls(),
                p.errors(), p.latencies() == null ? "" : String.format(Locale.ROOT, "  latency p50 %.2f ms p99 %.2f ms", p.ms(50), p.ms(99)));
        return p;
    }

    /**
     * The upstream REST service: {@code GET /hello?name=x} and its OpenAPI 3.0 document at {@code /openapi.json},
     * served by the JDK's HTTP server in this JVM.
     */
    static HttpServer upstreamServer() throws IOException {
        // the JDK server writes headers and body apart: without TCP_NODELAY each answer waits for a delayed ACK (40 ms)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        int port = server.getAddress().getPort();
        String openapi = """
                {"openapi": "3.0.3", "info": {"title": "bench", "version": "1"},
                 "servers": [{"url": "http://127.0.0.1:%d"}],
                 "paths": {"/hello": {"get": {"operationId": "hello", "summary": "Greets",
                   "parameters": [{"name": "name", "in": "query", "required": true, "schema": {"type": "string"}}],
                   "responses": {"200": {"description": "the greeting", "content": {"application/json": {"schema":
                     {"type": "object", "properties": {"greeting": {"type": "string"}}}}}}}}}}}
                """.formatted(port);
        server.createContext("/openapi.json", exchange -> reply(exchange, openapi));
        server.createContext("/hello", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            String name = "";
            if (query != null) {
                for (String pair : query.split("&")) {
                    if (pair.startsWith("name=")) {
                        name = URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
                    }
                }
            }
            reply(exchange, "{\"greeting\":\"Hello, " + name.replace("\\", "\\\\").replace("\"", "\\\"") + "!\"}");
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return server;
    }

    private static void reply(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Waits until the gateway's discovery lists {@code bench/hello}. */
    static void awaitUpstream(String host, int seconds) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest discover = HttpRequest.newBuilder(URI.create("http://" + host + "/api/discover")).GET().build();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        String body = "";
        while (System.nanoTime() < deadline) {
            body = client.send(discover, HttpResponse.BodyHandlers.ofString()).body();
            if (body.contains("\"bench/hello\"")) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("discovery does not list bench/hello after " + seconds + " s: " + body);
    }

    static Upstream upstream(long pid, String host, int upstreamPort, Settings s) throws Exception {
        awaitUpstream(host, 60);
        int c = s.upstreamConnections;
        int k = s.upstreamInFlight;
        System.out.printf("upstream        bench/hello through the gateway, %d connections x %d in flight: warm-up %d s, %d s measured…%n",
                c, k, s.pushWarmup, s.pushSeconds);
        Benchmark.Round gateway = Benchmark.measure(new RawWebSocketLoad(URI.create("ws://" + host + "/gateway"), "multiwebsocket.v1", c, k,
                id -> "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"bench/hello\",\"params\":{\"name\":\"bench\"}}", false), pid, s.pushWarmup, s.pushSeconds);
        System.out.printf("upstream        the same GET directly, %d requests in flight, keep-alive: warm-up %d s, %d s measured…%n",
                c * k, s.pushWarmup, s.pushSeconds);
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + upstreamPort + "/hello?name=bench")).GET().build();
        Benchmark.Round direct = Benchmark.measure(new Load.Http(get, c, k), ProcessHandle.current().pid(), s.pushWarmup, s.pushSeconds);
        Upstream u = new Upstream(c * k, gateway, direct);
        for (Benchmark.Round r : new Benchmark.Round[]{gateway, direct}) {
            System.out.printf(Locale.ROOT, "%-15s %9.0f calls/s  p50 %6.2f ms  p99 %6.2f ms  %d errors%s%n",
                    r == gateway ? "upstream-gw" : "upstream-direct", r.callsPerSecond(), r.window().latencies().getValueAtPercentile(50) / 1_000.0,
                    r.p99Ms(), r.errors(), r == gateway ? String.format(Locale.ROOT, "  %.1f µs gateway CPU/call", r.cpuMicrosPerCall()) : "");
        }
        return u;
    }
}
