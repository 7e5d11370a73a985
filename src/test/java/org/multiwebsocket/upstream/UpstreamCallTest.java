package org.multiwebsocket.upstream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.protocol.RpcError;
import org.multiwebsocket.registry.InvalidParams;
import org.multiwebsocket.registry.RpcFailure;
import org.multiwebsocket.registry.Violation;
import org.multiwebsocket.service.CallContext;
import org.multiwebsocket.service.ServiceException;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An upstream operation against a real HTTP server on loopback (the JDK's own): answers, statuses,
 * params checked before a request leaves, headers, the timeout and cancel aborting the request, the body
 * limit, the circuit breaker and the bulkhead.
 */
class UpstreamCallTest {

    private static HttpServer server;
    private static ExecutorService executor;
    private static ScheduledThreadPoolExecutor timer;
    private static final AtomicInteger aborted = new AtomicInteger();
    private static final AtomicInteger requests = new AtomicInteger();
    private static volatile boolean failing;
    private static OpenApiReader.Document document;

    /** A call as the dispatcher would make it. */
    record Context(Optional<String> traceparent, Optional<String> bearerToken) implements CallContext {
        public JsonValue id() {
            return Json.createValue(1);
        }

        public String service() {
            return "inventory/x";
        }

        public Instant deadline() {
            return Instant.now().plusSeconds(30);
        }

        public String connectionId() {
            return "c";
        }

        public String transport() {
            return "websocket";
        }

        public Optional<Principal> principal() {
            return Optional.empty();
        }

        public boolean isCancelled() {
            return false;
        }
    }

    private static final Context ANONYMOUS = new Context(Optional.empty(), Optional.empty());

    @BeforeAll
    static void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/inventory/api/", UpstreamCallTest::handle);
        server.start();
        executor = Executors.newCachedThreadPool();
        timer = new ScheduledThreadPoolExecutor(1);
        timer.setRemoveOnCancelPolicy(true);
        document = OpenApiReader.read(OpenApiReaderTest.inventory(),
                OpenApiReaderTest.settings("inventory", Set.of(), Set.of(), Map.of()));
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        executor.shutdownNow();
        timer.shutdownNow();
    }

    private static void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String path = exchange.getRequestURI().getRawPath().substring("/inventory/api".length());
        String query = exchange.getRequestURI().getRawQuery();
        if (failing) {
            send(exchange, 503, "application/json", "{\"error\":\"down\"}");
        } else if (path.equals("/items/a1")) {
            send(exchange, 200, "application/json", "{\"id\":\"a1\",\"name\":\"Nut\",\"quantity\":3}");
        } else if (path.startsWith("/items/")) {
            send(exchange, 404, "application/json; charset=utf-8", "{\"error\":\"no such item\"}");
        } else if (path.equals("/text")) {
            send(exchange, 200, "text/plain; charset=utf-8", "plain text");
        } else if (path.startsWith("/echo/")) {
            JsonObject headers = Json.createObjectBuilder()
                    .add("path", exchange.getRequestURI().getRawPath())
                    .add("traceparent", String.valueOf(exchange.getRequestHeaders().getFirst("traceparent")))
                    .add("authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")))
                    .add("apiKey", String.valueOf(exchange.getRequestHeaders().getFirst("X-Api-Key")))
                    .add("accept", String.valueOf(exchange.getRequestHeaders().getFirst("Accept"))).build();
            send(exchange, 200, "application/json", headers.toString());
        } else if (path.equals("/slow")) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 100; i++) {
                    out.write(' ');
                    out.flush();
                    Thread.sleep(50);
                }
                out.write("{}".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                aborted.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (path.equals("/large")) {
            int kb = Integer.parseInt(query.replaceAll(".*kb=(\\d+).*", "$1"));
            String body = "[\"" + "x".repeat(kb * 1024) + "\"]";
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            boolean chunked = query.contains("chunked=true");
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, chunked ? 0 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int at = 0; at < bytes.length; at += 4096) {
                    out.write(bytes, at, Math.min(4096, bytes.length - at));
                }
            } catch (IOException e) {
                aborted.incrementAndGet();
            }
        } else {
            send(exchange, 500, "text/plain", "unexpected " + path);
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static UpstreamOperation operation(String id, long timeoutMs, int maxConcurrent, boolean forward,
                                               Map<String, String> headers) {
        UpstreamConfig.Settings settings = new UpstreamConfig.Settings("inventory", null, "/openapi", Set.of(), Set.of(),
                Set.of(), timeoutMs, maxConcurrent, forward, headers, 3, 1_000, false);
        Upstream upstream = new Upstream(settings, executor, timer, UpstreamEvents.NONE, 64 * 1024, 250);
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/inventory/api");
        return new UpstreamOperation(upstream, base, OpenApiReaderTest.operation(document, id));
    }

    private static UpstreamOperation operation(String id) {
        return operation(id, 5_000, 8, false, Map.of());
    }

    private static JsonValue params(String json) {
        return Json.createReader(new StringReader(json)).readValue();
    }

    private static Object call(UpstreamOperation operation, String params, CallContext context) throws Exception {
        CompletableFuture<?> future = operation.invoke(params(params), context).toCompletableFuture();
        return future.get(10, TimeUnit.SECONDS);
    }

    private static Throwable failure(UpstreamOperation operation, String params) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> call(operation, params, ANONYMOUS));
        return e.getCause();
    }

    @Test
    void theUpstreamsJsonIsTheResultAndTextIsAString() throws Exception {
        assertEquals(params("{\"id\":\"a1\",\"name\":\"Nut\",\"quantity\":3}"), call(operation("getItem"), "{\"id\":\"a1\"}", ANONYMOUS));
        assertEquals("plain text", ((JsonString) call(operation("text"), "{}", ANONYMOUS)).getString());
    }

    @Test
    void anErrorStatusIsAnErrorWithTheStatusAsCode() {
        ServiceException error = assertInstanceOf(ServiceException.class, failure(operation("getItem"), "{\"id\":\"zz\"}"));
        assertEquals(404, error.code());
        assertEquals("Not Found", error.getMessage());
        assertEquals(Map.of("status", 404, "body", params("{\"error\":\"no such item\"}")), error.data());
    }

    @Test
    void paramsAreCheckedBeforeAnyRequestLeaves() {
        int before = requests.get();
        InvalidParams missing = assertThrows(InvalidParams.class, () -> operation("getItem").invoke(params("{}"), ANONYMOUS));
        assertEquals(Map.of("violations", List.of(new Violation("params.id", "required property 'id' not found"))),
                missing.data());
        InvalidParams body = assertThrows(InvalidParams.class, () -> operation("updateItem").invoke(
                params("{\"id\":\"a1\",\"body\":{\"name\":\"\",\"quantity\":-1,\"note\":null},\"extra\":1}"), ANONYMOUS));
        @SuppressWarnings("unchecked")
        List<Violation> violations = (List<Violation>) ((Map<String, Object>) body.data()).get("violations");
        assertEquals(List.of("params", "params.body.name", "params.body.quantity"), violations.stream().map(Violation::path).toList(),
                violations.toString());
        assertThrows(InvalidParams.class, () -> operation("getItem").invoke(params("[\"a1\"]"), ANONYMOUS));
        assertEquals(before, requests.get());
    }

    @Test
    void traceparentAlwaysAuthorizationWhereConfiguredAndStaticHeaders() throws Exception {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        Context caller = new Context(Optional.of(traceparent), Optional.of("the-token"));
        JsonObject plain = (JsonObject) call(operation("echo"), "{\"value\":\"v\"}", caller);
        assertEquals(traceparent, plain.getString("traceparent"));
        assertEquals("null", plain.getString("authorization"));
        JsonObject forwarded = (JsonObject) call(operation("echo", 5_000, 8, true, Map.of("X-Api-Key", "k3y")),
                "{\"value\":\"v\"}", caller);
        assertEquals("Bearer the-token", forwarded.getString("authorization"));
        assertEquals("k3y", forwarded.getString("apiKey"));
        assertTrue(forwarded.getString("accept").startsWith("application/json"));
    }

    @Test
    void theTimeoutAnswersMinus32003AndAbortsTheRequest() {
        int before = aborted.get();
        RpcFailure timeout = assertInstanceOf(RpcFailure.class, failure(operation("slow", 300, 8, false, Map.of()), "{\"ms\":5000}"));
        assertEquals(RpcError.TIMEOUT, timeout.error().code());
        await().atMost(5, TimeUnit.SECONDS).until(() -> aborted.get() > before);
    }

    @Test
    void cancellingTheCallAbortsTheRequest() throws Exception {
        int before = aborted.get();
        CompletableFuture<?> call = operation("slow").invoke(params("{\"ms\":5000}"), ANONYMOUS).toCompletableFuture();
        Thread.sleep(300);
        call.cancel(true);
        assertThrows(CancellationException.class, call::join);
        await().atMost(5, TimeUnit.SECONDS).until(() -> aborted.get() > before);
    }

    @Test
    void aResponseLargerThanTheLimitIsRefused() {
        for (String chunked : List.of("false", "true")) {
            RpcFailure tooLarge = assertInstanceOf(RpcFailure.class,
                    failure(operation("large"), "{\"kb\":1000,\"chunked\":" + chunked + "}"));
            assertEquals(RpcError.INTERNAL_ERROR, tooLarge.error().code());
            assertEquals(Map.of("reason", "the upstream's response is larger than maxMessageBytes (65536)"), tooLarge.error().data());
        }
    }

    @Test
    void theCircuitOpensAfterFailuresInARowAndClosesWhenTheUpstreamRecovers() throws Exception {
        UpstreamOperation get = operation("getItem");
        failing = true;
        try {
            for (int i = 0; i < 3; i++) {
                assertEquals(503, assertInstanceOf(ServiceException.class, failure(get, "{\"id\":\"a1\"}")).code());
            }
            int before = requests.get();
            RpcFailure open = assertInstanceOf(RpcFailure.class, failure(get, "{\"id\":\"a1\"}"));
            assertEquals(RpcError.UNAVAILABLE, open.error().code());
            long retryAfterMs = ((Number) ((Map<?, ?>) open.error().data()).get("retryAfterMs")).longValue();
            assertTrue(retryAfterMs > 0 && retryAfterMs <= 1_000, "retryAfterMs " + retryAfterMs);
            assertEquals(before, requests.get(), "an open circuit sends nothing");
        } finally {
            failing = false;
        }
        await().atMost(5, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).ignoreExceptions()
                .until(() -> call(get, "{\"id\":\"a1\"}", ANONYMOUS) instanceof JsonObject);
    }

    @Test
    void anUnreachableUpstreamIsUnavailable() throws Exception {
        int port;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
            port = closed.getLocalPort();
        }
        UpstreamConfig.Settings settings = new UpstreamConfig.Settings("gone", null, "/openapi", Set.of(), Set.of(), Set.of(),
                2_000, 8, false, Map.of(), 3, 1_000, false);
        Upstream upstream = new Upstream(settings, executor, timer, UpstreamEvents.NONE, 65_536, 250);
        UpstreamOperation get = new UpstreamOperation(upstream, URI.create("http://127.0.0.1:" + port + "/inventory/api"),
                OpenApiReaderTest.operation(document, "getItem"));
        RpcFailure unreachable = assertInstanceOf(RpcFailure.class, failure(get, "{\"id\":\"a1\"}"));
        assertEquals(RpcError.UNAVAILABLE, unreachable.error().code());
        assertEquals(Map.of("reason", "the upstream gone cannot be reached", "retryAfterMs", 250L), unreachable.error().data());
    }

    @Test
    void pastItsConcurrencyLimitACallIsOverloaded() throws Exception {
        UpstreamOperation slow = operation("slow", 5_000, 1, false, Map.of());
        CompletableFuture<?> first = slow.invoke(params("{\"ms\":5000}"), ANONYMOUS).toCompletableFuture();
        try {
            RpcFailure overloaded = assertInstanceOf(RpcFailure.class, failure(slow, "{\"ms\":1}"));
            assertEquals(RpcError.OVERLOADED, overloaded.error().code());
        } finally {
            first.cancel(true);
        }
    }
}
