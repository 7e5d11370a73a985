package org.multiwebsocket.client;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.testing.ScriptedGateway;
import org.multiwebsocket.testing.ScriptedGateway.Connection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.multiwebsocket.client.SessionFrames.answer;
import static org.multiwebsocket.client.SessionFrames.item;
import static org.multiwebsocket.client.SessionFrames.message;
import static org.multiwebsocket.client.SessionFrames.newSession;
import static org.multiwebsocket.client.SessionFrames.nextBesidesAcks;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java client's side of sessions (PROTOCOL.md section 10), against a gateway whose every frame the test writes. */
class SessionsTest {

    private static final String SERVICES = "{\"echo\":{\"transports\":[\"websocket\"]}}";
    private static final String SESSION_LIMITS = "{\"heartbeatMs\":0,\"sessionTtlMs\":120000,\"sessionBufferBytes\":1048576}";

    private ScriptedGateway gateway;
    private MultiWebsocketClient client;
    private final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        gateway = new ScriptedGateway(SERVICES, SESSION_LIMITS);
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        gateway.close();
    }

    private MultiWebsocketClient client(Object sessions) {
        client = new MultiWebsocketClient(gateway.discovery());
        client.config().put(ClientOptions.RECONNECT_INITIAL_DELAY_MS, 10);
        client.config().put(ClientOptions.RECONNECT_MAX_DELAY_MS, 50);
        if (sessions != null) {
            client.config().put(ClientOptions.SESSIONS, sessions);
        }
        client.addListener(new ClientListener() {
            @Override
            public void onSessionResumed() {
                events.add("resumed");
            }

            @Override
            public void onSessionLost(SessionLostException reason) {
                events.add("lost: " + reason.reason());
            }

            @Override
            public void onReconnected() {
                events.add("reconnected");
            }
        });
        return client;
    }

    /** A client with sessions, connected, on its first socket, whose session is {@code s1}. */
    private Connection connectedWithSession() throws Exception {
        client(null);
        client.connect();
        Connection first = gateway.next(5);
        newSession(first, "s1");
        client.connect().get(5, SECONDS);
        return first;
    }

    @Test
    void theFirstFrameOnTheSocketIsRpcSessionAndCallsWaitForItsAnswer() throws Exception {
        client(null);
        CompletableFuture<JsonValue> early = client.callService("echo", Map.of("n", 1));
        client.connect();
        Connection connection = gateway.next(5);
        JsonObject first = connection.json(5);
        assertEquals("rpc.session", first.getString("method"));
        assertNull(connection.textWithin(300), "nothing may follow rpc.session before its answer");
        assertFalse(client.isReady());
        connection.send(answer(first, "{\"session\":\"s1\",\"token\":\"t1\",\"resumed\":false,\"known\":[],\"ttlMs\":120000}"));
        JsonObject call = connection.json(5);
        assertEquals("echo", call.getString("method"));
        connection.send(answer(call, "{\"n\":1}", 1));
        assertEquals(1, early.get(5, SECONDS).asJsonObject().getInt("n"));
    }

    @Test
    void aResumeSendsAgainOnlyTheCallsTheGatewayDoesNotKnowAndNeitherResubscribesNorRepeatsAnything() throws Exception {
        client(null);
        List<Object> chat = new CopyOnWriteArrayList<>();
        client.subscribe("chat", JsonValue.class, (message, offset) -> chat.add(offset));
        client.connect();
        Connection first = gateway.next(5);
        newSession(first, "s1");
        JsonObject subscribe = first.json(5);
        assertEquals("rpc.subscribe", subscribe.getString("method"));
        first.send(answer(subscribe, "{\"topic\":\"chat\",\"offset\":4,\"epoch\":\"e1\",\"recovered\":true}", 1));
        client.connect().get(5, SECONDS);
        List<CompletableFuture<JsonValue>> calls = new ArrayList<>();
        List<JsonObject> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(client.callService("echo", Map.of("n", i)));
            sent.add(first.json(5));
        }
        first.send(message("chat", 5, "\"five\"", 2));
        await().atMost(5, SECONDS).until(() -> chat.equals(List.of(5L)));
        first.cut();

        Connection second = gateway.next(5);
        JsonObject resume = second.json(5);
        JsonObject params = resume.getJsonObject("params").getJsonObject("resume");
        assertEquals("s1", params.getString("session"));
        assertEquals("secret-s1", params.getString("token"));
        assertEquals(2, params.getInt("ack"));
        second.send(answer(resume, "{\"session\":\"s1\",\"token\":\"secret-s1\",\"resumed\":true,\"known\":["
                + sent.get(0).get("id") + "," + sent.get(1).get("id") + "],\"ttlMs\":120000}"));
        JsonObject resent = nextBesidesAcks(second);
        assertEquals(sent.get(2), resent, "only the call the gateway did not know goes out again, as it was");
        // The replay: what the client had (seq 2) again, then the answers it missed, one of them twice.
        second.send(message("chat", 5, "\"five\"", 2));
        second.send(answer(sent.get(0), "{\"n\":\"first\"}", 3));
        second.send(answer(sent.get(1), "{\"n\":\"second\"}", 4));
        second.send(answer(sent.get(1), "{\"n\":\"second again\"}", 4));
        second.send(answer(resent, "{\"n\":\"third\"}", 5));
        second.send(message("chat", 6, "\"six\"", 6));
        assertEquals("first", calls.get(0).get(5, SECONDS).asJsonObject().getString("n"));
        assertEquals("second", calls.get(1).get(5, SECONDS).asJsonObject().getString("n"));
        assertEquals("third", calls.get(2).get(5, SECONDS).asJsonObject().getString("n"));
        await().atMost(5, SECONDS).until(() -> chat.equals(List.of(5L, 6L)));
        String extra;
        while ((extra = second.textWithin(1_500)) != null) {
            assertEquals("rpc.ack", org.multiwebsocket.testing.Json.object(extra).getString("method"),
                    "after a resume nothing is subscribed or sent again: " + extra);
        }
        assertEquals(List.of("resumed", "reconnected"), events);
    }

    @Test
    void messagesWhoseSeqIsNotPastTheLastProcessedAreDropped() throws Exception {
        client(null);
        List<String> chat = new CopyOnWriteArrayList<>();
        client.subscribe("chat", String.class, (message, offset) -> chat.add(message));
        client.connect();
        Connection connection = gateway.next(5);
        newSession(connection, "s1");
        JsonObject subscribe = connection.json(5);
        connection.send(answer(subscribe, "{\"topic\":\"chat\",\"offset\":0,\"epoch\":\"e1\",\"recovered\":true}", 1));
        connection.send(message("chat", 1, "\"one\"", 2));
        connection.send(message("chat", 2, "\"two\"", 3));
        connection.send(message("chat", 3, "\"a duplicate by its seq\"", 3));
        connection.send(message("chat", 3, "\"an older one by its seq\"", 1));
        connection.send(message("chat", 3, "\"three\"", 4));
        await().atMost(5, SECONDS).until(() -> chat.size() >= 3);
        assertEquals(List.of("one", "two", "three"), chat);
    }

    @Test
    void aSessionTheGatewayCannotResumeFailsTheCallsInFlightAndANewOneStartsWithTopicsSubscribedAgain() throws Exception {
        client(null);
        client.subscribe("chat", JsonValue.class, (message, offset) -> { });
        client.connect();
        Connection first = gateway.next(5);
        newSession(first, "s1");
        JsonObject subscribe = first.json(5);
        first.send(answer(subscribe, "{\"topic\":\"chat\",\"offset\":4,\"epoch\":\"e1\",\"recovered\":true}", 1));
        first.send(message("chat", 5, "\"five\"", 2));
        client.connect().get(5, SECONDS);
        CompletableFuture<JsonValue> inFlight = client.callService("echo", Map.of());
        JsonObject call = first.json(5);
        first.cut();
        await().atMost(5, SECONDS).until(() -> !client.isReady());
        CompletableFuture<JsonValue> later = client.callService("echo", Map.of("later", true));

        Connection second = gateway.next(5);
        JsonObject resume = second.json(5);
        second.send("{\"jsonrpc\":\"2.0\",\"id\":" + resume.get("id") + ",\"error\":{\"code\":-32007,\"message\":\"Not resumable\","
                + "\"data\":{\"reason\":\"unknown or expired session\"}}}");
        ExecutionException failed = assertThrows(ExecutionException.class, () -> inFlight.get(5, SECONDS));
        SessionLostException lost = assertInstanceOf(SessionLostException.class, failed.getCause());
        assertEquals(-32007, lost.code());
        assertEquals("unknown or expired session", lost.reason());
        assertTrue(lost.getMessage().contains("session was lost"), lost.getMessage());

        JsonObject fresh = second.json(5);
        assertEquals("rpc.session", fresh.getString("method"));
        assertEquals(JsonValue.EMPTY_JSON_OBJECT, fresh.getJsonObject("params"), "a new session, not another resume");
        second.send(answer(fresh, "{\"session\":\"s2\",\"token\":\"t2\",\"resumed\":false,\"known\":[],\"ttlMs\":120000}"));
        List<JsonObject> after = List.of(nextBesidesAcks(second), nextBesidesAcks(second));
        JsonObject again = after.stream().filter(f -> f.getString("method").equals("rpc.subscribe")).findFirst().orElseThrow();
        assertEquals(5, again.getJsonObject("params").getJsonObject("since").getInt("offset"));
        JsonObject queued = after.stream().filter(f -> f.getString("method").equals("echo")).findFirst().orElseThrow();
        assertEquals(JsonValue.TRUE, queued.getJsonObject("params").get("later"), "the call never sent goes out on the new session");
        assertFalse(queued.get("id").equals(call.get("id")));
        second.send(answer(queued, "{}", 1));
        later.get(5, SECONDS);
        await().atMost(5, SECONDS).until(() -> events.equals(List.of("lost: unknown or expired session", "reconnected")));
    }

    @Test
    void acksGoOutAfter32MessagesASecondAfterAnUnacknowledgedOneAndBeforeClosing() throws Exception {
        client(null);
        java.util.concurrent.atomic.AtomicLong delivered = new java.util.concurrent.atomic.AtomicLong();
        client.subscribe("chat", JsonValue.class, (message, offset) -> delivered.set(offset));
        client.connect();
        Connection connection = gateway.next(5);
        newSession(connection, "s1");
        JsonObject subscribe = connection.json(5);
        connection.send(answer(subscribe, "{\"topic\":\"chat\",\"offset\":0,\"epoch\":\"e1\",\"recovered\":true}", 1));
        for (int seq = 2; seq <= 32; seq++) {
            connection.send(message("chat", seq - 1, "1", seq));
        }
        JsonObject ack = connection.json(5);
        assertEquals("rpc.ack", ack.getString("method"));
        assertEquals(32, ack.getJsonObject("params").getInt("seq"));
        assertFalse(ack.containsKey("id"), "an ack is a notification");

        long sent = System.nanoTime();
        connection.send(message("chat", 32, "1", 33));
        JsonObject timed = connection.json(5);
        assertEquals(33, timed.getJsonObject("params").getInt("seq"));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent) >= 900, "the timer waits about a second");

        connection.send(message("chat", 33, "1", 34));
        await().atMost(5, SECONDS).until(() -> delivered.get() == 33);
        client.close();
        JsonObject last = connection.json(5);
        assertEquals("rpc.ack", last.getString("method"));
        assertEquals(34, last.getJsonObject("params").getInt("seq"));
    }

    @Test
    void aStreamInFlightCarriesOnAfterTheResumeWithEveryItemOnce() throws Exception {
        gateway.close();
        gateway = new ScriptedGateway("{\"count\":{\"transports\":[\"websocket\"],\"stream\":true}}", SESSION_LIMITS);
        Connection first = connectedWithSession();
        List<Integer> items = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        client.stream("count", Map.of(), Integer.class).subscribe(new java.util.concurrent.Flow.Subscriber<>() {
            @Override
            public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(Integer item) {
                items.add(item);
            }

            @Override
            public void onError(Throwable throwable) {
                done.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }
        });
        JsonObject call = first.json(5);
        first.send(item(call, 1, 1));
        first.send(item(call, 2, 2));
        await().atMost(5, SECONDS).until(() -> items.size() == 2);
        first.cut();

        Connection second = gateway.next(5);
        JsonObject resume = second.json(5);
        assertEquals(2, resume.getJsonObject("params").getJsonObject("resume").getInt("ack"));
        second.send(answer(resume, "{\"session\":\"s1\",\"token\":\"secret-s1\",\"resumed\":true,\"known\":["
                + call.get("id") + "],\"ttlMs\":120000}"));
        second.send(item(call, 2, 2));
        second.send(item(call, 3, 3));
        second.send(answer(call, "{\"items\":3}", 4));
        done.get(5, SECONDS);
        assertEquals(List.of(1, 2, 3), items);
        String extra;
        while ((extra = second.textWithin(1_500)) != null) {
            assertTrue(extra.contains("rpc.ack"), "the stream is not sent again: " + extra);
        }
    }

    @Test
    void aGatewayWhoseDiscoveryAnnouncesNoSessionsIsUsedWithout() throws Exception {
        gateway.close();
        gateway = new ScriptedGateway(SERVICES, "{\"heartbeatMs\":0}");
        client(null);
        client.connect();
        Connection connection = gateway.next(5);
        client.connect().get(5, SECONDS);
        client.callService("echo", Map.of());
        assertEquals("echo", connection.json(5).getString("method"), "no rpc.session first");
    }

    @Test
    void aGatewayThatDoesNotAnswerRpcSessionIsLeftForANewSocketThatAsksAgain() throws Exception {
        client(null);
        client.config().put(ClientOptions.CONNECT_TIMEOUT_MS, 300);
        CompletableFuture<JsonValue> call = client.callService("echo", Map.of());
        client.connect();
        Connection silent = gateway.next(5);
        assertEquals("rpc.session", silent.json(5).getString("method"));
        Connection second = gateway.next(5);
        newSession(second, "s1");
        JsonObject sent = second.json(5);
        assertEquals("echo", sent.getString("method"));
        assertNull(silent.textWithin(200), "the call never went to the silent socket");
        second.send(answer(sent, "{}", 1));
        call.get(5, SECONDS);
    }

    @Test
    void aResumeOnANodeWithoutSessionsFailsTheCallsInFlightAndGoesOnWithoutOne() throws Exception {
        Connection first = connectedWithSession();
        CompletableFuture<JsonValue> inFlight = client.callService("echo", Map.of());
        first.json(5);
        first.cut();
        Connection second = gateway.next(5);
        JsonObject resume = second.json(5);
        second.send("{\"jsonrpc\":\"2.0\",\"id\":" + resume.get("id") + ",\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}");
        ExecutionException failed = assertThrows(ExecutionException.class, () -> inFlight.get(5, SECONDS));
        assertEquals(-32007, assertInstanceOf(SessionLostException.class, failed.getCause()).code());
        CompletableFuture<JsonValue> after = client.callService("echo", Map.of("after", true));
        JsonObject sent = second.json(5);
        assertEquals("echo", sent.getString("method"), "no new rpc.session on a node without sessions");
        second.send(answer(sent, "{}"));
        after.get(5, SECONDS);
    }

    @Test
    void withSessionsTurnedOffADroppedSocketFailsTheCallsInFlightAsBefore() throws Exception {
        client("false");
        client.connect();
        Connection connection = gateway.next(5);
        CompletableFuture<JsonValue> call = client.callService("echo", Map.of());
        assertEquals("echo", connection.json(5).getString("method"), "no rpc.session first");
        connection.cut();
        ExecutionException failed = assertThrows(ExecutionException.class, () -> call.get(5, SECONDS));
        assertInstanceOf(ConnectionLostException.class, failed.getCause());
        assertFalse(failed.getCause() instanceof SessionLostException);
    }

    @Test
    void aGatewayThatAnswersRpcSessionWithMethodNotFoundIsUsedWithoutSessions() throws Exception {
        client(null);
        client.connect();
        Connection connection = gateway.next(5);
        JsonObject request = connection.json(5);
        connection.send("{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id")
                + ",\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}");
        client.connect().get(5, SECONDS);
        CompletableFuture<JsonValue> call = client.callService("echo", Map.of());
        JsonObject sent = connection.json(5);
        connection.cut();
        ExecutionException failed = assertThrows(ExecutionException.class, () -> call.get(5, SECONDS));
        assertInstanceOf(ConnectionLostException.class, failed.getCause());
        assertEquals("rpc.session", gateway.next(5).json(5).getString("method"), "the next socket asks again");
        assertEquals("echo", sent.getString("method"));
    }
}
