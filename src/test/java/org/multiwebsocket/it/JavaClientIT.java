package org.multiwebsocket.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.client.CallTimeoutException;
import org.multiwebsocket.client.ClientListener;
import org.multiwebsocket.client.ClientOptions;
import org.multiwebsocket.client.ConnectionLostException;
import org.multiwebsocket.client.MultiWebsocketClient;
import org.multiwebsocket.client.ServiceCallException;
import org.multiwebsocket.testing.FakeDiscovery;
import org.multiwebsocket.testing.FakeGateway;
import org.multiwebsocket.testing.Json;
import org.multiwebsocket.testing.TcpProxy;

import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;

/** The bundled Java client against a real gateway on Payara Micro. */
class JavaClientIT extends GatewayDeployment {

    /** The seed's way of writing a client: a subclass that sets its configuration. */
    public static class SeedClient extends MultiWebsocketClient {
        public SeedClient(String discoveryUrl, Map<String, Object> options) {
            config().put("service-discovery-url", discoveryUrl);
            config().putAll(options);
        }

        CompletableFuture<JsonValue> helloWorld() {
            return callService("/helloworld/", Map.of());
        }
    }

    /** The events a client reported, in order. */
    public static class Events implements ClientListener {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void onReady() {
            seen.add("ready");
        }

        @Override
        public void onDisconnected(Throwable reason) {
            seen.add("disconnected");
        }

        @Override
        public void onReconnected() {
            seen.add("reconnected");
        }

        private int awaited;

        /** Waits for the event after those already waited for. */
        public void await(String event, long timeoutMs) {
            int at = Awaitility.await("a '" + event + "' event after the first " + awaited + " of " + seen)
                    .atMost(timeoutMs, TimeUnit.MILLISECONDS)
                    .until(() -> seen.subList(awaited, seen.size()).indexOf(event), index -> index >= 0);
            awaited += at + 1;
        }
    }

    public record Completions(String query, List<String> completions) {
    }

    private SeedClient client(Map<String, Object> options) {
        return new SeedClient(uri("api/discover").toString(), options);
    }

    private static Throwable failure(CompletableFuture<?> call) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(10, SECONDS));
        return e.getCause();
    }

    private int interrupted(MultiWebsocketClient client) throws Exception {
        return client.callService("test/probe", null, JsonObject.class).get(5, SECONDS).getInt("interrupted");
    }

    /** Calls in flight on the gateway's sockets, asked over HTTP so that the probe is not one of them. */
    private int serverCallsInFlight() throws Exception {
        return Json.parse(post("api/rpc", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/probe\"}").body())
                .asJsonObject().getJsonObject("result").getInt("inFlight");
    }

    /** Threads started since {@code before} and still alive, but for the JDK's and the tests' own. */
    private static List<String> threadsStartedSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive())
                .map(Thread::getName)
                .filter(n -> !n.startsWith("ForkJoinPool.commonPool") && !n.equals("Keep-Alive-Timer")
                        && !n.startsWith("tcp-proxy") && !n.startsWith("fake-gateway") && !n.startsWith("HttpClient")
                        && !n.equals("process reaper") && !n.startsWith("awaitility"))
                .toList();
    }

    @Test
    void aSeedStyleSubclassConnectsAndGreets() throws Exception {
        try (SeedClient client = client(Map.of())) {
            CountDownLatch ready = new CountDownLatch(1);
            client.onReady(ready::countDown);
            client.connect().get(10, SECONDS);
            assertTrue(ready.await(5, SECONDS));
            assertEquals("websocket", client.transport());
            JsonObject greeting = client.helloWorld().get(5, SECONDS).asJsonObject();
            assertEquals("Hello, World!", greeting.getString("greeting"));
            assertEquals("websocket", greeting.getString("transport"));
            CountDownLatch again = new CountDownLatch(1);
            client.onReady(again::countDown);
            assertEquals(0, again.getCount(), "onReady on a ready client runs at once");
        }
    }

    @Test
    void resultsComeTypedOrAsJson() throws Exception {
        try (SeedClient client = client(Map.of())) {
            client.connect().get(10, SECONDS);
            Completions typed = client.callService("autocomplete", Map.of("query", "AB", "limit", 3), Completions.class)
                    .get(5, SECONDS);
            assertEquals("AB", typed.query());
            assertEquals(3, typed.completions().size());
            assertTrue(typed.completions().stream().allMatch(w -> w.startsWith("ab")));
            JsonValue raw = client.callService("/autocomplete/", new Completions("ab", List.of())).get(5, SECONDS);
            assertEquals(10, raw.asJsonObject().getJsonArray("completions").size());
            assertEquals("v", client.callService("test/later", Map.of("ms", 10, "value", "v"), String.class).get(5, SECONDS));
            assertEquals(6L, client.callService("test/sum", List.of(1, 2, 3), Long.class).get(5, SECONDS));
            assertEquals("pong", client.callService("rpc.ping", null, String.class).get(5, SECONDS));
        }
    }

    @Test
    void everyErrorSurfacesWithItsCodeMessageAndData() throws Exception {
        try (SeedClient client = client(Map.of())) {
            client.connect().get(10, SECONDS);

            ServiceCallException invalid = assertInstanceOf(ServiceCallException.class,
                    failure(client.callService("autocomplete", Map.of("query", ""))));
            assertEquals(-32602, invalid.code());
            assertEquals("params.query", invalid.data().asJsonObject().getJsonArray("violations")
                    .getJsonObject(0).getString("path"));

            ServiceCallException thrown = assertInstanceOf(ServiceCallException.class,
                    failure(client.callService("test/fail", null)));
            assertEquals(404, thrown.code());
            assertEquals("no such thing", thrown.getMessage());
            assertEquals("unicorn", thrown.data().asJsonObject().getString("thing"));

            ServiceCallException internal = assertInstanceOf(ServiceCallException.class,
                    failure(client.callService("test/boom", null)));
            assertEquals(-32603, internal.code());

            CallTimeoutException serverTimeout = assertInstanceOf(CallTimeoutException.class,
                    failure(client.callService("test/later", Map.of("never", true), JsonValue.class, 10_000)));
            assertEquals(-32003, serverTimeout.code());
            assertEquals(3000, serverTimeout.data().asJsonObject().getInt("timeoutMs"), "answered by the gateway");
        }
    }

    @Test
    void anUnknownServiceFailsAtOnceWithoutARoundTrip() throws Exception {
        try (SeedClient client = client(Map.of())) {
            client.connect().get(10, SECONDS);
            CompletableFuture<JsonValue> call = client.callService("/nosuchservice/", Map.of());
            assertTrue(call.isCompletedExceptionally(), "the call was not failed at once");
            ServiceCallException unknown = assertInstanceOf(ServiceCallException.class, failure(call));
            assertEquals(-32601, unknown.code());
            assertEquals("/nosuchservice/", unknown.data().asJsonObject().getString("method"));
            assertThrows(IllegalArgumentException.class, () -> client.callService("helloworld", "just a string"));
            CompletableFuture<JsonValue> tooBig = client.callService("test/echo", Map.of("blob", "x".repeat(70_000)));
            assertTrue(tooBig.isCompletedExceptionally(), "an oversized call must fail at once");
            ServiceCallException refused = assertInstanceOf(ServiceCallException.class, failure(tooBig));
            assertEquals(-32600, refused.code());
            assertTrue(refused.getMessage().contains("maxMessageBytes"), refused.getMessage());
            assertEquals("Hello, World!", client.helloWorld().get(5, SECONDS).asJsonObject().getString("greeting"),
                    "the connection survived");
        }
    }

    @Test
    void aClientTimeoutAndACancelBothReachTheServer() throws Exception {
        try (SeedClient client = client(Map.of())) {
            client.connect().get(10, SECONDS);
            int before = interrupted(client);

            long start = System.nanoTime();
            CompletableFuture<JsonValue> slow = client.callService("test/sleep", Map.of("ms", 20_000, "value", "x"),
                    JsonValue.class, 500);
            CallTimeoutException timeout = assertInstanceOf(CallTimeoutException.class, failure(slow));
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertNull(timeout.data(), "a client-side timeout");
            assertTrue(elapsedMs >= 450, "timed out before its deadline, after " + elapsedMs + " ms");
            awaitInterrupted(client, before + 1);
            await().atMost(5, SECONDS).until(this::serverCallsInFlight, is(0));

            CompletableFuture<JsonValue> cancelled = client.callService("test/sleep", Map.of("ms", 20_000, "value", "x"));
            await("the handler runs").atMost(5, SECONDS).until(this::serverCallsInFlight, is(1));
            assertTrue(cancelled.cancel(true));
            awaitInterrupted(client, before + 2);
        }
    }

    private void awaitInterrupted(MultiWebsocketClient client, int expected) {
        await("the server's handler was interrupted").atMost(5, SECONDS).until(() -> interrupted(client), is(expected));
    }

    /** A client whose discovery and socket go through the proxy, reconnecting quickly. */
    private SeedClient through(TcpProxy proxy) {
        return new SeedClient("http://127.0.0.1:" + proxy.port() + base.getPath() + "api/discover",
                Map.of(ClientOptions.RECONNECT_INITIAL_DELAY_MS, 100, ClientOptions.RECONNECT_MAX_DELAY_MS, 500));
    }

    /** The same without sessions: what a dropped socket does to calls in flight then (ClientSessionsIT: with them). */
    private SeedClient withoutSessionsThrough(TcpProxy proxy) {
        return new SeedClient("http://127.0.0.1:" + proxy.port() + base.getPath() + "api/discover",
                Map.of(ClientOptions.RECONNECT_INITIAL_DELAY_MS, 100, ClientOptions.RECONNECT_MAX_DELAY_MS, 500,
                        ClientOptions.SESSIONS, false));
    }

    private static Events connected(SeedClient client) throws Exception {
        Events events = new Events();
        client.addListener(events);
        client.connect().get(10, SECONDS);
        return events;
    }

    @Test
    void withoutSessionsACutConnectionFailsCallsInFlightQueuesNewOnesAndRecovers() throws Exception {
        try (TcpProxy proxy = new TcpProxy(base.getHost(), base.getPort()); SeedClient client = withoutSessionsThrough(proxy)) {
            Events events = connected(client);
            events.await("ready", 1_000);

            CompletableFuture<JsonValue> inFlight = client.callService("test/sleep", Map.of("ms", 2_000, "value", "x"));
            await("the call reached the handler").atMost(5, SECONDS).until(this::serverCallsInFlight, greaterThan(0));
            proxy.cut();
            assertInstanceOf(ConnectionLostException.class, failure(inFlight), "failed by the cut, not by its deadline");
            events.await("disconnected", 2_000);

            CompletableFuture<JsonValue> queued = client.helloWorld();
            await("a call made while disconnected waits").during(500, MILLISECONDS).atMost(2, SECONDS)
                    .until(() -> !queued.isDone());
            proxy.restore();
            assertEquals("Hello, World!", queued.get(10, SECONDS).asJsonObject().getString("greeting"));
            events.await("reconnected", 5_000);
        }
    }

    @Test
    void aSilentDropIsDetectedByTheHeartbeat() throws Exception {
        try (TcpProxy proxy = new TcpProxy(base.getHost(), base.getPort()); SeedClient client = withoutSessionsThrough(proxy)) {
            Events events = connected(client);
            CompletableFuture<JsonValue> inFlight = client.callService("test/sleep", Map.of("ms", 2_000, "value", "x"),
                    JsonValue.class, 20_000);
            proxy.blackhole();
            events.await("disconnected", 6_000);
            assertInstanceOf(ConnectionLostException.class, failure(inFlight));
            proxy.cut();
            proxy.restore();
            events.await("reconnected", 10_000);
            assertEquals("Hello, World!", client.helloWorld().get(5, SECONDS).asJsonObject().getString("greeting"));
        }
    }

    private String document(List<String> gateways) {
        return document(gateways, uri("api/rpc").toString(), 256);
    }

    private String document(List<String> gateways, String http, int maxInFlight) {
        return "{\"protocol\":\"multiwebsocket.v1\",\"gateway\":\"" + gateways.get(0) + "\",\"gateways\":["
                + gateways.stream().map(g -> "\"" + g + "\"").collect(Collectors.joining(",")) + "],"
                + "\"http\":\"" + http + "\",\"services\":{\"helloworld\":{},\"test/fail\":{},\"test/sleep\":{}},"
                + "\"limits\":{\"callTimeoutMs\":3000,\"heartbeatMs\":1000,\"maxInFlight\":" + maxInFlight + "}}";
    }

    /** Lets the client find the real gateway from now on, and waits until it is connected to it. */
    private void recoversOnTheRealGateway(FakeDiscovery discovery, SeedClient client) throws Exception {
        discovery.serve(document(List.of(gatewayUri().toString())));
        await("connected to the real gateway").atMost(20, SECONDS).until(client::transport, is("websocket"));
        assertEquals("Hello, World!", client.helloWorld().get(5, SECONDS).asJsonObject().getString("greeting"));
    }

    @Test
    void aDeadGatewayListedFirstIsSkipped() throws Exception {
        String dead = "ws://127.0.0.1:" + FakeDiscovery.deadPort() + "/gateway";
        try (FakeDiscovery discovery = new FakeDiscovery(document(List.of(dead, gatewayUri().toString())));
             SeedClient client = new SeedClient(discovery.uri().toString(), Map.of())) {
            client.connect().get(10, SECONDS);
            assertEquals("websocket", client.transport());
            assertEquals("websocket", client.helloWorld().get(5, SECONDS).asJsonObject().getString("transport"));
        }
    }

    @Test
    void callsFallBackToHttpWhenNoSocketOpens() throws Exception {
        String dead = "ws://127.0.0.1:" + FakeDiscovery.deadPort() + "/gateway";
        try (FakeDiscovery discovery = new FakeDiscovery(document(List.of(dead)))) {
            try (SeedClient client = new SeedClient(discovery.uri().toString(), Map.of())) {
                client.connect().get(10, SECONDS);
                assertEquals("http", client.transport());
                assertEquals("http", client.helloWorld().get(5, SECONDS).asJsonObject().getString("transport"));
                ServiceCallException thrown = assertInstanceOf(ServiceCallException.class,
                        failure(client.callService("test/fail", null)));
                assertEquals(404, thrown.code());
            }
            try (SeedClient client = new SeedClient(discovery.uri().toString(),
                    Map.of(ClientOptions.HTTP_FALLBACK, false))) {
                ExecutionException refused = assertThrows(ExecutionException.class, () -> client.connect().get(10, SECONDS));
                assertTrue(refused.getCause().getMessage().contains("no gateway"), refused.getCause().getMessage());
            }
        }
    }

    @Test
    void theHttpFallbackKeepsAtMostMaxInFlightCallsOpenAndNoThreadPerCall() throws Exception {
        String dead = "ws://127.0.0.1:" + FakeDiscovery.deadPort() + "/gateway";
        try (TcpProxy http = new TcpProxy(base.getHost(), base.getPort());
             FakeDiscovery discovery = new FakeDiscovery(document(List.of(dead),
                     "http://127.0.0.1:" + http.port() + base.getPath() + "api/rpc", 4));
             SeedClient client = new SeedClient(discovery.uri().toString(), Map.of())) {
            client.connect().get(10, SECONDS);
            assertEquals("http", client.transport());
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            List<CompletableFuture<JsonValue>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(client.callService("test/sleep", Map.of("ms", 100, "value", "v" + i), JsonValue.class, 30_000));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, SECONDS);
            for (int i = 0; i < 40; i++) {
                assertEquals("v" + i, calls.get(i).join().asJsonObject().getString("value"));
            }
            assertTrue(http.accepted() <= 2 * 4, "40 calls at most 4 at a time took " + http.accepted()
                    + " HTTP connections, not at most maxInFlight (4) and the ping's");
            List<String> started = threadsStartedSince(before).stream().filter(n -> n.startsWith("multiwebsocket-client")).toList();
            assertTrue(started.size() <= 4, "client threads started for 40 HTTP calls: " + started);
        }
    }

    @Test
    void aSocketClosedRightAfterItsHandshakeIsNotTakenForAConnection() throws Exception {
        try (FakeGateway closing = FakeGateway.closing(1001, 0);
             FakeDiscovery discovery = new FakeDiscovery(document(List.of(closing.uri().toString())));
             SeedClient client = new SeedClient(discovery.uri().toString(), Map.of(ClientOptions.HTTP_FALLBACK, false,
                     ClientOptions.HEARTBEAT_MS, 0, ClientOptions.RECONNECT_INITIAL_DELAY_MS, 20,
                     ClientOptions.RECONNECT_MAX_DELAY_MS, 100))) {
            client.connect();
            await("the client keeps trying instead of holding a closed socket").atMost(15, SECONDS)
                    .until(closing::handshakes, greaterThanOrEqualTo(8));
            recoversOnTheRealGateway(discovery, client);
        }
    }

    @Test
    void callingBeforeConnectStartsNoThreadAndTheCallIsSentOnceConnected() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (SeedClient client = client(Map.of())) {
            CompletableFuture<JsonValue> early = client.helloWorld();
            CompletableFuture<JsonValue> cancelled = client.helloWorld();
            assertTrue(cancelled.cancel(true));
            await("no thread started before connect()").during(500, MILLISECONDS).atMost(2, SECONDS)
                    .until(() -> threadsStartedSince(before), empty());
            assertFalse(early.isDone());
            client.connect().get(10, SECONDS);
            assertEquals("Hello, World!", early.get(5, SECONDS).asJsonObject().getString("greeting"));
        }
    }

    @Test
    void aGatewayThatClosesEverySocketAtOnceIsRetriedLessAndLessOften() throws Exception {
        try (FakeGateway draining = FakeGateway.closing(1001, 50);
             FakeDiscovery discovery = new FakeDiscovery(document(List.of(draining.uri().toString())));
             SeedClient client = new SeedClient(discovery.uri().toString(), Map.of(ClientOptions.HTTP_FALLBACK, false,
                     ClientOptions.RECONNECT_INITIAL_DELAY_MS, 100))) {
            client.connect();
            await().atMost(10, SECONDS).until(draining::handshakes, greaterThanOrEqualTo(1));
            // delays of 50-100, 100-200, 200-400, 400-800, 800-1600 ms: six sockets in the first three seconds
            // at most; without the backoff growing it would be one every 100-150 ms
            await("few reconnections").during(3, SECONDS).atMost(4, SECONDS)
                    .until(() -> draining.handshakes() <= 8 && discovery.requests() <= 8);
            recoversOnTheRealGateway(discovery, client);
        }
    }

    private static final Map<String, Object> IMPATIENT = Map.of(ClientOptions.HTTP_FALLBACK, false,
            ClientOptions.RECONNECT_INITIAL_DELAY_MS, 20, ClientOptions.RECONNECT_MAX_DELAY_MS, 100);

    @Test
    void aRetryAfterOnA503FromDiscoveryIsWaitedOut() throws Exception {
        try (FakeDiscovery discovery = new FakeDiscovery(document(List.of(gatewayUri().toString())));
             SeedClient client = new SeedClient(discovery.uri().toString(), IMPATIENT)) {
            discovery.refuse(503, "3");
            assertThrows(ExecutionException.class, () -> client.connect().get(10, SECONDS));
            await("no discovery before Retry-After").during(2, SECONDS).atMost(3, SECONDS)
                    .until(discovery::requests, is(1));
            recoversOnTheRealGateway(discovery, client);
        }
    }

    @Test
    void aRetryAfterOnAHandshakeRefusedWith503IsWaitedOut() throws Exception {
        try (FakeGateway full = FakeGateway.refusing(503, "3");
             FakeDiscovery discovery = new FakeDiscovery(document(List.of(full.uri().toString())));
             SeedClient client = new SeedClient(discovery.uri().toString(), IMPATIENT)) {
            assertThrows(ExecutionException.class, () -> client.connect().get(10, SECONDS));
            await("no handshake before Retry-After").during(2, SECONDS).atMost(3, SECONDS)
                    .until(full::handshakes, is(1));
            recoversOnTheRealGateway(discovery, client);
        }
    }

    @Test
    void tenThousandCallsFromEightThreadsEachCompleteExactlyOnce() throws Exception {
        try (SeedClient client = client(Map.of(ClientOptions.MAX_QUEUED_CALLS, 20_000))) {
            client.connect().get(10, SECONDS);
            AtomicInteger completions = new AtomicInteger();
            AtomicInteger failures = new AtomicInteger();
            List<CompletableFuture<JsonValue>> calls = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                threads.add(new Thread(() -> {
                    for (int i = 0; i < 1_250; i++) {
                        CompletableFuture<JsonValue> call = client.callService("helloworld", Map.of("name", thread + "-" + i));
                        call.whenComplete((result, failure) -> {
                            completions.incrementAndGet();
                            if (failure != null) {
                                failures.incrementAndGet();
                            }
                        });
                        calls.add(call);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join(30_000);
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, SECONDS);
            assertEquals(10_000, calls.size());
            await("every completion callback ran").atMost(5, SECONDS).untilAtomic(completions, is(10_000));
            assertEquals(0, failures.get());
            Set<String> greetings = calls.stream().map(c -> c.join().asJsonObject().getString("greeting"))
                    .collect(Collectors.toSet());
            assertEquals(10_000, greetings.size(), "answers were mixed up between calls");
        }
    }

    @Test
    void closeFailsWhatIsPendingAndLeavesNoThreadBehind() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        SeedClient client = client(Map.of());
        client.connect().get(10, SECONDS);
        client.helloWorld().get(5, SECONDS);
        CompletableFuture<JsonValue> pending = client.callService("test/sleep", Map.of("ms", 2_000, "value", "x"));
        client.close();
        assertInstanceOf(ConnectionLostException.class, failure(pending));
        assertThrows(IllegalStateException.class, client::connect);
        await("no thread left after close()").atMost(10, SECONDS).until(() -> threadsStartedSince(before), empty());
    }

    @Test
    void theClientJarIsTheOnlyJarAProgramNeeds() throws Exception {
        String jar = System.getProperty("multiwebsocket.clientJar");
        assertTrue(new File(jar).isFile(), jar + " is missing");
        try (JarFile client = new JarFile(jar)) {
            Attributes manifest = client.getManifest().getMainAttributes();
            assertEquals("org.multiwebsocket.client.example.ExampleClient", manifest.getValue("Main-Class"));
            assertEquals("true", manifest.getValue("Multi-Release"), "Yasson binds records with its Java 16 classes");
            assertNull(client.getEntry("module-info.class"), "the merged jar is no module");
            for (String provider : List.of("jakarta.websocket.ContainerProvider", "jakarta.json.spi.JsonProvider",
                    "jakarta.json.bind.spi.JsonbProvider")) {
                assertNotNull(client.getEntry("META-INF/services/" + provider), provider);
            }
        }
        Process example = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-jar", jar,
                uri("api/discover").toString(), "2").redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(example.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        try {
            assertTrue(example.waitFor(60, SECONDS), "the example client did not finish");
            String printed = output.get(5, SECONDS);
            assertEquals(0, example.exitValue(), printed);
            Map<String, Integer> lines = new HashMap<>();
            printed.lines().forEach(l -> lines.merge(l.split(" ")[0], 1, Integer::sum));
            assertEquals(2, lines.get("helloworld"), printed);
            assertEquals(2, lines.get("autocomplete"), printed);
            assertTrue(printed.contains("Hello, World!") && printed.contains("\"completions\"") && printed.contains(" ms "), printed);
        } finally {
            example.destroyForcibly();
        }
    }
}
