package org.multiwebsocket.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A discovery endpoint on a port of its own, for browser tests: each request gets the next scripted
 * answer (the last one repeats), with the CORS headers a page of another origin needs to read it
 * (Retry-After included), and the time every request arrived is kept.
 */
public final class ScriptedDiscovery implements AutoCloseable {

    /** One answer: status, body (JSON) and extra headers. */
    public record Answer(int status, String body, Map<String, String> headers) {

        public static Answer ok(String document) {
            return new Answer(200, document, Map.of());
        }

        public static Answer unavailable(String retryAfter) {
            return new Answer(503, "{\"error\":\"draining\"}", Map.of("Retry-After", retryAfter));
        }
    }

    private final HttpServer server;
    private final List<Answer> answers;
    private final AtomicInteger served = new AtomicInteger();
    private final List<Long> arrivals = new CopyOnWriteArrayList<>();

    public ScriptedDiscovery(Answer... answers) throws IOException {
        this.answers = List.of(answers);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/discover", exchange -> {
            arrivals.add(System.nanoTime());
            Answer answer = this.answers.get(Math.min(served.getAndIncrement(), this.answers.size() - 1));
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
            exchange.getResponseHeaders().add("Access-Control-Expose-Headers", "Retry-After");
            answer.headers().forEach(exchange.getResponseHeaders()::add);
            exchange.sendResponseHeaders(answer.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/discover");
    }

    /** {@link System#nanoTime()} at each request's arrival, in order. */
    public List<Long> arrivals() {
        return List.copyOf(arrivals);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
