package org.multiwebsocket.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves a discovery document of the test's making, e.g. one that lists a dead gateway first, or
 * refuses with a status; the document can change while it runs. Counts the requests it answered.
 */
public final class FakeDiscovery implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile String document;
    private volatile int status = 200;
    private volatile String retryAfter;

    public FakeDiscovery(String document) throws IOException {
        this.document = document;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/discover", exchange -> {
            requests.incrementAndGet();
            byte[] body = status == 200 ? this.document.getBytes(StandardCharsets.UTF_8) : new byte[0];
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (retryAfter != null) {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
            }
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/discover");
    }

    /** From now on, answers 200 with this document. */
    public void serve(String newDocument) {
        document = newDocument;
        retryAfter = null;
        status = 200;
    }

    /** From now on, answers the status without a document, with the {@code Retry-After} value unless null. */
    public void refuse(int refusal, String retryAfterValue) {
        retryAfter = retryAfterValue;
        status = refusal;
    }

    public int requests() {
        return requests.get();
    }

    /** A port nothing listens on. */
    public static int deadPort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
