package org.multiwebsocket.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.client.ClientListener;
import org.multiwebsocket.client.ClientOptions;
import org.multiwebsocket.client.ConnectionLostException;
import org.multiwebsocket.client.MultiWebsocketClient;
import org.multiwebsocket.client.SessionLostException;
import org.multiwebsocket.client.TopicListener;
import org.multiwebsocket.client.TopicSubscription;
import org.multiwebsocket.testing.Chromium;
import org.multiwebsocket.testing.Json;
import org.multiwebsocket.testing.Latches;
import org.multiwebsocket.testing.TcpProxy;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Both clients keep their calls across a cut connection with the gateway's sessions (PROTOCOL.md section
 * 10), on by default: the call in flight is answered once, after the resume, and its handler ran once.
 */
class ClientSessionsIT extends GatewayDeployment {

    private static ChromeDriver driver;

    @AfterAll
    static void quit() {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
    }

    private Latches latches() {
        return new Latches(uri("api/rpc"));
    }

    /** The gateway's address through the proxy: discovery then lists the gateway socket through it too. */
    private URI through(TcpProxy proxy, String path) {
        return URI.create("http://127.0.0.1:" + proxy.port() + base.getPath() + path);
    }

    /** The session and connection events a Java client reported, in order. */
    static final class Heard implements ClientListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onDisconnected(Throwable reason) {
            events.add("disconnected");
        }

        @Override
        public void onReconnected() {
            events.add("reconnected");
        }

        @Override
        public void onSessionResumed() {
            events.add("resumed");
        }

        @Override
        public void onSessionLost(SessionLostException reason) {
            events.add("lost " + reason.reason());
        }
    }

    @Test
    void javaClientACallInFlightWhenTheSocketIsCutIsAnsweredOnceAfterTheResumeAndItsHandlerRanOnce() throws Exception {
        String key = Latches.key("java-session");
        Latches latches = latches();
        try (TcpProxy proxy = new TcpProxy(base.getHost(), base.getPort());
             MultiWebsocketClient client = new MultiWebsocketClient(through(proxy, "api/discover"))) {
            Heard heard = new Heard();
            client.addListener(heard);
            client.connect().get(10, SECONDS);
            AtomicInteger answers = new AtomicInteger();
            CompletableFuture<String> call = client.callService("test/latch", Json.parse(Latches.params(key, 20_000)),
                    String.class);
            call.whenComplete((answer, failure) -> answers.incrementAndGet());
            CompletableFuture<JsonObject> slow = client.callService("test/sleep", Map.of("ms", 1_500, "value", "slow"),
                    JsonObject.class);
            latches.awaitStarted(key);

            proxy.cut();
            await("the client saw the cut").atMost(5, SECONDS).until(() -> heard.events.contains("disconnected"));
            latches.open(key);
            latches.awaitFinished(key); // answered while no socket is attached: the session keeps the answer
            assertFalse(call.isDone(), "a call in flight waits for the resume, it does not fail");
            proxy.restore();

            assertEquals("opened", call.get(10, SECONDS));
            assertEquals("slow", slow.get(10, SECONDS).getString("value"));
            await().atMost(5, SECONDS).until(() -> heard.events.contains("reconnected"));
            assertEquals(List.of("disconnected", "resumed", "reconnected"), heard.events);
            assertEquals(1, answers.get());
            JsonObject state = latches.state(key);
            assertEquals(1, state.getInt("started"), "the handler ran once: " + state);
            assertEquals(1, state.getInt("finished"), "the handler ran once: " + state);
            assertEquals("Hello, World!", client.callService("helloworld", Map.of()).get(5, SECONDS)
                    .asJsonObject().getString("greeting"));
        }
    }

    @Test
    void javaClientASessionThatExpiredWhileCutFailsTheCallInFlightWithSessionLostAndANewSessionCarriesOn() throws Exception {
        String key = Latches.key("java-expired");
        Latches latches = latches();
        try (TcpProxy proxy = new TcpProxy(base.getHost(), base.getPort());
             MultiWebsocketClient client = new MultiWebsocketClient(through(proxy, "api/discover"))) {
            Heard heard = new Heard();
            client.addListener(heard);
            client.connect().get(10, SECONDS);
            String session = sessionOf(client);
            assertTrue(held(session));
            CompletableFuture<String> call = client.callService("test/latch", Json.parse(Latches.params(key, 20_000)),
                    String.class, 60_000);
            latches.awaitStarted(key);

            proxy.cut();
            await("the session expired (the IT gateway's session-ttl-ms is 4000)").atMost(15, SECONDS)
                    .pollInterval(java.time.Duration.ofMillis(200)).until(() -> !held(session));
            proxy.restore();

            ExecutionException failed = assertThrows(ExecutionException.class, () -> call.get(10, SECONDS));
            SessionLostException lost = assertInstanceOf(SessionLostException.class, failed.getCause());
            assertEquals(-32007, lost.code());
            await().atMost(5, SECONDS).until(() -> heard.events.contains("reconnected"));
            assertEquals(List.of("disconnected", "lost " + lost.reason(), "reconnected"), heard.events);
            assertEquals("Hello, World!", client.callService("helloworld", Map.of()).get(5, SECONDS)
                    .asJsonObject().getString("greeting"));
            String next = sessionOf(client);
            assertTrue(held(next), "a new session");
            assertFalse(next.equals(session));
        }
    }

    /**
     * The id of the client's session, read from its package-private parts (the client keeps it to itself; the
     * test needs it to ask the gateway when the session expired instead of sleeping past the TTL).
     */
    private static String sessionOf(MultiWebsocketClient client) throws ReflectiveOperationException {
        Object engine = field(client, MultiWebsocketClient.class, "engine");
        Object link = field(engine, engine.getClass(), "session");
        synchronized (link) {
            return (String) field(link, link.getClass(), "id");
        }
    }

    private static Object field(Object owner, Class<?> type, String name) throws ReflectiveOperationException {
        java.lang.reflect.Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(owner);
    }

    /** Whether the gateway still holds the session, asked over HTTP. */
    private boolean held(String session) throws Exception {
        return rpc(Json.request(1, "test/sessions", "{\"session\":\"" + session + "\"}"))
                .getBoolean("result");
    }

    @Test
    void javaClientATopicSubscriptionCarriesOnAcrossACutWithEveryMessageEvenPastTheTopicsHistory() throws Exception {
        String topic = "test/prices/SESSION"; // keeps two
        try (TcpProxy proxy = new TcpProxy(base.getHost(), base.getPort());
             MultiWebsocketClient client = new MultiWebsocketClient(through(proxy, "api/discover"))) {
            Heard heard = new Heard();
            client.addListener(heard);
            List<String> messages = new CopyOnWriteArrayList<>();
            List<String> gaps = new CopyOnWriteArrayList<>();
            TopicSubscription subscription = client.subscribe(topic, JsonObject.class, new TopicListener<JsonObject>() {
                @Override
                public void onMessage(JsonObject message, long offset) {
                    messages.add(message.getInt("n") + " " + message.getString("text"));
                }

                @Override
                public void onGap(long lastOffset, long offset) {
                    gaps.add(lastOffset + ".." + offset);
                }
            });
            client.connect().get(10, SECONDS);
            subscription.subscribed().get(10, SECONDS);
            publish(topic, 1, "before");
            await().atMost(5, SECONDS).until(() -> messages.size() == 1);

            proxy.cut();
            await("the client saw the cut").atMost(5, SECONDS).until(() -> heard.events.contains("disconnected"));
            publish(topic, 5, "missed");
            proxy.restore();
            await("every message, from the session").atMost(10, SECONDS).until(() -> messages.size() == 6);
            publish(topic, 1, "live");
            await().atMost(5, SECONDS).until(() -> messages.size() == 7);
            assertEquals(List.of("1 before", "1 missed", "2 missed", "3 missed", "4 missed", "5 missed", "1 live"), messages);
            assertEquals(List.of(), gaps, "the session kept what the history no longer does");
            assertEquals(List.of("disconnected", "resumed", "reconnected"), heard.events);
        }
    }

    /** Publishes over HTTP, not through the client under test. */
    private void publish(String topic, int count, String text) throws Exception {
        post("api/rpc", Json.request(1, "test/publish", "{\"topic\":\"" + topic + "\",\"count\":" + count
                + ",\"text\":\"" + text + "\"}"));
    }

    @Test
    void javaClientWithSessionsTurnedOffFailsTheCallInFlightOnACut() throws Exception {
        String key = Latches.key("java-no-session");
        Latches latches = latches();
        try (TcpProxy proxy = new TcpProxy(base.getHost(), base.getPort());
             MultiWebsocketClient client = new MultiWebsocketClient(through(proxy, "api/discover")) {
                 {
                     config().put(ClientOptions.SESSIONS, false);
                 }
             }) {
            client.connect().get(10, SECONDS);
            CompletableFuture<JsonValue> call = client.callService("test/latch", Json.parse(Latches.params(key, 20_000)));
            latches.awaitStarted(key);
            proxy.cut();
            ExecutionException failed = assertThrows(
                    ExecutionException.class, () -> call.get(10, SECONDS));
            assertEquals(ConnectionLostException.class, failed.getCause().getClass());
            latches.open(key);
        }
    }

    @Test
    void browserClientACallInFlightWhenTheSocketIsCutIsAnsweredOnceAfterTheResumeAndItsHandlerRanOnce() throws Exception {
        if (driver == null) {
            driver = Chromium.start(800, 600);
        }
        String key = Latches.key("browser-session");
        Latches latches = latches();
        try (TcpProxy proxy = new TcpProxy(base.getHost(), base.getPort())) {
            driver.get(through(proxy, "multiwebsocket.js").toString());
            JavascriptExecutor page = driver;
            page.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "const s = document.createElement('script'); s.src = '" + through(proxy, "multiwebsocket.js") + "';"
                    + "s.onload = () => {"
                    + "  window.events = []; window.answers = [];"
                    + "  window.client = new MultiWebsocket.Client({ 'service-discovery-url': '" + through(proxy, "api/discover")
                    + "', 'reconnect-initial-delay-ms': 100, 'reconnect-max-delay-ms': 500 });"
                    + "  ['disconnected', 'session-resumed', 'session-lost', 'reconnected'].forEach((e) => client.on(e, () => events.push(e)));"
                    + "  client.connect().then(() => {"
                    + "    client.callService('test/latch', " + Latches.params(key, 20_000) + ").then("
                    + "      (a) => answers.push(a), (e) => answers.push('failed ' + e.code + ' ' + e.message));"
                    + "    done();"
                    + "  }, (e) => done('connect failed: ' + e));"
                    + "};"
                    + "document.head.appendChild(s);");
            latches.awaitStarted(key);

            proxy.cut();
            await("the page saw the cut").atMost(5, SECONDS)
                    .until(() -> Boolean.FALSE.equals(page.executeScript("return client.isReady();")));
            latches.open(key);
            latches.awaitFinished(key);
            proxy.restore();

            await("the answer, after the resume").atMost(10, SECONDS)
                    .until(() -> ((List<?>) page.executeScript("return answers;")).size() == 1);
            await().atMost(5, SECONDS).until(() -> ((List<?>) page.executeScript("return events;")).contains("reconnected"));
            assertEquals(List.of("opened"), page.executeScript("return answers;"));
            assertEquals(List.of("disconnected", "session-resumed", "reconnected"), page.executeScript("return events;"));
            JsonObject state = latches.state(key);
            assertEquals(1, state.getInt("started"), "the handler ran once: " + state);
            assertEquals(1, state.getInt("finished"), "the handler ran once: " + state);
            page.executeScript("client.close();");
        }
    }
}
