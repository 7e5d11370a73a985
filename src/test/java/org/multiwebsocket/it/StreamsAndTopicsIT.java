package org.multiwebsocket.it;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.testing.Json;
import org.multiwebsocket.testing.Tokens;
import org.multiwebsocket.testing.WsClient;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiwebsocket.testing.Json.request;

/** Streams (PROTOCOL.md section 8) and topics (section 9) on a real Payara Micro, over both transports. */
class StreamsAndTopicsIT extends GatewayDeployment {

    private static final List<String> V1 = List.of("multiwebsocket.v1");
    private static final List<String> PLAIN = List.of();

    private static int code(JsonObject response) {
        return response.getJsonObject("error").getInt("code");
    }

    private JsonObject internals(boolean reset) throws Exception {
        return rpc(request(1, "test/internals", "{\"reset\":" + reset + "}"))
                .getJsonObject("result");
    }

    private static String stream(Object id, int count, long delayMs, int failAfter, int size) {
        return request(id, "test/stream", "{\"count\":" + count + ",\"delayMs\":" + delayMs + ",\"failAfter\":" + failAfter
                + ",\"size\":" + size + "}");
    }

    private static String publish(String topic, int count, String text) {
        return request("p", "test/publish", "{\"topic\":\"" + topic + "\",\"count\":" + count + ",\"text\":\"" + text + "\"}");
    }

    private static String subscribe(Object id, String topic, String since) {
        return request(id, "rpc.subscribe", "{\"topic\":\"" + topic + "\"" + (since == null ? "" : ",\"since\":" + since) + "}");
    }

    /** Reads frames until the response to {@code id}, returning the items of that stream in order. */
    private static List<JsonObject> items(WsClient ws, String id, JsonObject[] response) throws Exception {
        List<JsonObject> items = new ArrayList<>();
        while (true) {
            JsonObject frame = Json.object(ws.nextText(10_000));
            if ("rpc.item".equals(frame.getString("method", null))) {
                items.add(frame.getJsonObject("params"));
            } else {
                assertEquals(id, frame.getString("id"), frame.toString());
                response[0] = frame;
                return items;
            }
        }
    }

    @Test
    void itemsArriveInOrderWithTheirIndexesThenTheirCount() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri(), V1)) {
            ws.send(stream("s", 20, 0, -1, 0));
            JsonObject[] response = new JsonObject[1];
            List<JsonObject> items = items(ws, "s", response);
            assertEquals(20, items.size());
            for (int i = 0; i < items.size(); i++) {
                assertEquals("s", items.get(i).getString("id"));
                assertEquals(i + 1, items.get(i).getInt("index"));
                assertEquals(i + 1, items.get(i).getJsonObject("item").getInt("n"));
            }
            assertEquals(20, response[0].getJsonObject("result").getInt("items"));
        }
    }

    @Test
    void aPlainClientGetsTheItemsCollectedIntoOneArray() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri(), PLAIN)) {
            JsonArray result = ws.call(stream(1, 5, 0, -1, 0)).getJsonArray("result");
            assertEquals(List.of(1, 2, 3, 4, 5), result.stream().map(v -> v.asJsonObject().getInt("n")).toList());
        }
    }

    @Test
    void overHttpTheItemsComeAsOneArray() throws Exception {
        JsonArray result = rpc(stream(1, 3, 0, -1, 0)).getJsonArray("result");
        assertEquals(3, result.size());
    }

    @Test
    void overHttpAskingForEventsTheItemsComeAsServerSentEvents() throws Exception {
        HttpResponse<Stream<String>> response = HTTP.send(HttpRequest.newBuilder(uri("api/rpc")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(stream(1, 3, 0, -1, 0))).build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        List<String> lines = response.body().filter(line -> !line.isBlank()).toList();
        assertEquals(List.of("event: item", "id: 1"), lines.subList(0, 2), lines.toString());
        assertEquals(3, lines.stream().filter("event: item"::equals).count(), lines.toString());
        assertTrue(lines.contains("event: result"), lines.toString());
        assertTrue(lines.get(lines.size() - 1).startsWith("data: [") || lines.get(lines.size() - 1).contains("items"),
                lines.toString());
    }

    @Test
    void aStreamTooLargeForOneAnswerIsRefused() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri(), PLAIN)) {
            JsonObject response = ws.call(stream(1, 100, 0, -1, 2_000));
            assertEquals(-32603, code(response));
            assertEquals("stream too large", response.getJsonObject("error").getJsonObject("data").getString("reason"));
        }
    }

    @Test
    void aPublisherFailingMidStreamEndsTheCallWithItsError() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri(), V1)) {
            ws.send(stream("f", 10, 0, 3, 0));
            JsonObject[] response = new JsonObject[1];
            assertEquals(3, items(ws, "f", response).size());
            assertEquals(4242, code(response[0]));
        }
    }

    @Test
    void cancellingMidStreamCancelsThePublisher() throws Exception {
        int cancelledBefore = internals(false).getInt("streamsCancelled");
        try (WsClient ws = WsClient.connect(gatewayUri(), V1)) {
            ws.send(stream("c", 1_000, 50, -1, 0));
            assertEquals("rpc.item", Json.object(ws.nextText()).getString("method"));
            ws.send("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.cancel\",\"params\":{\"id\":\"c\"}}");
            JsonObject answer;
            do {
                answer = Json.object(ws.nextText());
            } while (answer.containsKey("method"));
            assertEquals(-32005, code(answer));
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> internals(false).getInt("streamsCancelled") > cancelledBefore);
    }

    @Test
    void aPublisherFarFasterThanTheReaderIsHeldToTheWindow() throws Exception {
        internals(true);
        int window = Json.object(get("api/discover").body()).getJsonObject("limits").getInt("streamWindow");
        try (WsClient ws = WsClient.connect(gatewayUri(), V1)) {
            ws.send(stream("w", 5_000, 0, -1, 100));
            JsonObject[] response = new JsonObject[1];
            assertEquals(5_000, items(ws, "w", response).size());
            assertEquals(5_000, response[0].getJsonObject("result").getInt("items"));
            assertTrue(ws.isOpen());
        }
        int most = internals(false).getInt("streamMostDemand");
        assertTrue(most <= window, "the publisher was asked for " + most + " items ahead, past the window of " + window);
    }

    @Test
    void theDeadlineRunsBetweenItemsNotOverTheWholeStream() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri(), V1)) {
            ws.send(stream("slow", 4, 1_200, -1, 0));
            JsonObject[] response = new JsonObject[1];
            assertEquals(4, items(ws, "slow", response).size());
            assertEquals(4, response[0].getJsonObject("result").getInt("items"));
            ws.send(stream("stuck", 2, 3_500, -1, 0));
            assertEquals(-32003, code(Json.object(ws.nextText(10_000))));
        }
    }

    @Test
    void discoveryMarksStreamsAndListsTopics() throws Exception {
        JsonObject document = Json.object(get("api/discover").body());
        assertTrue(document.getJsonObject("services").getJsonObject("words").getBoolean("stream"));
        assertFalse(document.getJsonObject("services").getJsonObject("helloworld").containsKey("stream"));
        JsonObject topics = document.getJsonObject("topics");
        assertEquals(50, topics.getJsonObject("chat").getInt("history"));
        assertEquals(List.of("admin"), topics.getJsonObject("test/secret").getJsonArray("roles")
                .getValuesAs(jakarta.json.JsonString::getString));
        assertTrue(topics.containsKey("test/prices/*"));
        assertTrue(document.getJsonObject("limits").getInt("maxSubscriptions") > 0);
    }

    @Test
    void subscribersReceiveEveryMessageInOrderWithOffsets() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri(), V1)) {
            JsonObject subscribed = ws.call(subscribe(1, "test/prices/ORDER", null)).getJsonObject("result");
            assertTrue(subscribed.getBoolean("recovered"));
            long start = subscribed.getJsonNumber("offset").longValue();
            post("api/rpc", publish("test/prices/ORDER", 10, "hi"));
            for (int i = 1; i <= 10; i++) {
                JsonObject params = Json.object(ws.nextText()).getJsonObject("params");
                assertEquals("test/prices/ORDER", params.getString("topic"));
                assertEquals(start + i, params.getJsonNumber("offset").longValue());
                assertEquals(subscribed.getString("epoch"), params.getString("epoch"));
                assertEquals(i, params.getJsonObject("data").getInt("n"));
            }
        }
    }

    @Test
    void sinceReplaysTheKeptMessagesInOrderBeforeNewOnes() throws Exception {
        String topic = "test/topic";
        String epoch;
        long first;
        try (WsClient ws = WsClient.connect(gatewayUri(), V1)) {
            JsonObject subscribed = ws.call(subscribe(1, topic, null)).getJsonObject("result");
            epoch = subscribed.getString("epoch");
            first = subscribed.getJsonNumber("offset").longValue();
        }
        post("api/rpc", publish(topic, 3, "missed"));
        try (WsClient ws = WsClient.connect(gatewayUri(), V1)) {
            JsonObject resumed = ws.call(subscribe(2, topic, "{\"offset\":" + first + ",\"epoch\":\"" + epoch + "\"}"))
                    .getJsonObject("result");
            assertTrue(resumed.getBoolean("recovered"));
            assertEquals(first + 3, resumed.getJsonNumber("offset").longValue());
            for (int i = 1; i <= 3; i++) {
                assertEquals(first + i, Json.object(ws.nextText()).getJsonObject("params").getJsonNumber("offset").longValue());
            }
            post("api/rpc", publish(topic, 1, "live"));
            assertEquals(first + 4, Json.object(ws.nextText()).getJsonObject("params").getJsonNumber("offset").longValue());
        }
    }

    @Test
    void aSubscriberBehindTheHistoryOrOnAnotherEpochIsToldItLostMessages() throws Exception {
        String topic = "test/prices/LOSS";
        try (WsClient ws = WsClient.connect(gatewayUri(), V1)) {
            JsonObject subscribed = ws.call(subscribe(1, topic, null)).getJsonObject("result");
            String epoch = subscribed.getString("epoch");
            post("api/rpc", publish(topic, 5, "x"));
            for (int i = 0; i < 5; i++) {
                ws.nextText();
            }
            JsonObject behind = ws.call(subscribe(2, topic, "{\"offset\":0,\"epoch\":\"" + epoch + "\"}")).getJsonObject("result");
            assertFalse(behind.getBoolean("recovered"), "history 2 cannot replay 5 messages");
            assertEquals(2, List.of(Json.object(ws.nextText()), Json.object(ws.nextText())).size());
            JsonObject elsewhere = ws.call(subscribe(3, topic, "{\"offset\":5,\"epoch\":\"another\"}")).getJsonObject("result");
            assertFalse(elsewhere.getBoolean("recovered"));
        }
    }

    @Test
    void unsubscribingStopsTheMessages() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri(), V1)) {
            ws.call(subscribe(1, "test/prices/UNSUB", null));
            assertTrue(ws.call(request(2, "rpc.unsubscribe", "{\"topic\":\"test/prices/UNSUB\"}")).getBoolean("result"));
            assertFalse(ws.call(request(3, "rpc.unsubscribe", "{\"topic\":\"test/prices/UNSUB\"}")).getBoolean("result"));
            post("api/rpc", publish("test/prices/UNSUB", 1, "x"));
            assertEquals("pong", ws.call(request(4, "rpc.ping", null)).getString("result"), "a message came after unsubscribe");
        }
    }

    @Test
    void anUndeclaredTopicIsInvalidParamsNamingIt() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri(), V1)) {
            JsonObject refused = ws.call(subscribe(1, "nowhere", null));
            assertEquals(-32602, code(refused));
            assertEquals("nowhere", refused.getJsonObject("error").getJsonObject("data").getString("topic"));
        }
        assertEquals(-32603, code(rpc(publish("nowhere", 1, "x"))),
                "publishing to an undeclared topic is the publishing handler's own failure");
    }

    @Test
    void topicRolesGuardSubscriptions() throws Exception {
        try (WsClient anonymous = WsClient.connect(gatewayUri(), V1)) {
            assertEquals(-32001, code(anonymous.call(subscribe(1, "test/secret", null))));
        }
        try (WsClient admin = WsClient.connect(gatewayUri(), List.of("multiwebsocket.v1",
                "bearer." + Tokens.valid("ada", "admin")))) {
            assertTrue(admin.call(subscribe(1, "test/secret", null)).containsKey("result"));
        }
    }

    @Test
    void aConnectionMayHoldOnlyMaxSubscriptions() throws Exception {
        int max = Json.object(get("api/discover").body()).getJsonObject("limits").getInt("maxSubscriptions");
        try (WsClient ws = WsClient.connect(gatewayUri(), V1)) {
            for (int i = 0; i < max; i++) {
                assertTrue(ws.call(subscribe(i, "test/prices/S" + i, null)).containsKey("result"));
            }
            JsonObject refused = ws.call(subscribe("over", "test/prices/OVER", null));
            assertEquals(-32004, code(refused));
            assertEquals(max, refused.getJsonObject("error").getJsonObject("data").getInt("maxSubscriptions"));
        }
    }

    @Test
    void topicsReachHttpClientsAsServerSentEventsAndResumeWithLastEventId() throws Exception {
        String topic = "test/prices/SSE";
        post("api/rpc", publish(topic, 2, "kept"));
        JsonObject state;
        try (Stream<String> body = events(topic, null)) {
            java.util.Iterator<String> lines = body.iterator();
            assertEquals("event: subscribed", nextNonBlank(lines));
            state = Json.object(nextNonBlank(lines).substring("data: ".length()));
            post("api/rpc", publish(topic, 1, "live"));
            assertEquals("event: message", nextNonBlank(lines));
            String id = nextNonBlank(lines);
            assertEquals("id: " + state.getString("epoch") + ":" + (state.getJsonNumber("offset").longValue() + 1), id);
            JsonObject message = Json.object(nextNonBlank(lines).substring("data: ".length()));
            assertEquals("live", message.getJsonObject("data").getString("text"));
        }
        try (Stream<String> resumed = events(topic, state.getString("epoch") + ":" + (state.getJsonNumber("offset").longValue() - 1))) {
            List<String> replay = resumed.filter(l -> l.startsWith("data: ")).limit(3).toList();
            assertTrue(replay.get(0).contains("\"recovered\":true"), replay.toString());
            assertTrue(replay.get(1).contains("\"kept\""), replay.toString());
            assertTrue(replay.get(2).contains("\"live\""), replay.toString());
        }
    }

    @Test
    void anEventStreamWhoseClientWentAwayIsUnsubscribedAtTheNextMessage() throws Exception {
        String topic = "test/prices/GONE";
        subscribeAndVanish(topic, "event: subscribed");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            post("api/rpc", publish(topic, 1, "anyone there?"));
            return subscribers(topic) == 0;
        });
    }

    @Test
    void anEventStreamWhoseClientWentAwayOnAQuietTopicIsUnsubscribedAtTheNextHeartbeat() throws Exception {
        String topic = "test/prices/QUIET";
        subscribeAndVanish(topic, ": keep-alive"); // heartbeat-ms=1000 in tests
        await().atMost(Duration.ofSeconds(10)).until(() -> subscribers(topic) == 0); // nothing published meanwhile
    }

    /** Subscribes to the topic's event stream over a plain socket, reads up to the line, then resets the connection. */
    private void subscribeAndVanish(String topic, String line) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.getOutputStream().write(("GET " + base.getPath() + "api/topics/" + topic + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.setSoTimeout(10_000);
            java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            String read;
            do {
                read = lines.readLine();
                assertTrue(read != null, "the stream ended before " + line);
            } while (!read.equals(line));
            await().atMost(Duration.ofSeconds(5)).until(() -> subscribers(topic) == 1); // added just after "subscribed"
            socket.setSoLinger(true, 0);
        }
    }

    private int subscribers(String topic) throws Exception {
        return rpc(request(1, "test/subscribers", "{\"topic\":\"" + topic + "\"}")).getInt("result");
    }

    /** The topic's Server-Sent Events, resumed after {@code lastEventId} when not null; the caller closes the lines. */
    private Stream<String> events(String topic, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("api/topics/" + topic)).timeout(Duration.ofSeconds(10))
                .header("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        return response.body();
    }

    /** The next line that is neither blank nor a comment (the heartbeat's {@code : keep-alive}). */
    private static String nextNonBlank(java.util.Iterator<String> lines) {
        String line;
        do {
            line = lines.next();
        } while (line.isBlank() || line.startsWith(":"));
        return line;
    }

    @Test
    void aPlainClientThatNeverSubscribesNeverGetsAMessage() throws Exception {
        try (WsClient plain = WsClient.connect(gatewayUri(), PLAIN)) {
            post("api/rpc", publish("test/topic", 3, "noise"));
            assertEquals("pong", plain.call(request(1, "rpc.ping", null)).getString("result"));
        }
    }

    @Test
    void theChatExampleValidatesAndPublishes() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri(), V1)) {
            ws.call(subscribe(1, "chat", null));
            assertEquals(-32602, code(ws.call(request(2, "chat/send", "{\"name\":\"ada\",\"text\":\"\"}"))));
            assertEquals(-32602, code(ws.call(request(3, "chat/send", "{\"name\":\"ada\",\"text\":\"" + "x".repeat(501) + "\"}"))));
            ws.send(request(4, "chat/send", "{\"name\":\"ada\",\"text\":\"hello\"}"));
            Map<String, JsonObject> got = new java.util.HashMap<>();
            for (int i = 0; i < 2; i++) {
                JsonObject frame = Json.object(ws.nextText());
                got.put(frame.containsKey("method") ? "message" : "answer", frame);
            }
            assertEquals("hello", got.get("message").getJsonObject("params").getJsonObject("data").getString("text"));
            assertEquals(got.get("message").getJsonObject("params").getJsonNumber("offset").longValue(),
                    got.get("answer").getJsonNumber("result").longValue());
        }
    }
}
