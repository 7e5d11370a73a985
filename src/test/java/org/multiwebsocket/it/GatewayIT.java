package org.multiwebsocket.it;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.websocket.CloseReason;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.testing.Json;
import org.multiwebsocket.testing.Latches;
import org.multiwebsocket.testing.RawWebSocket;
import org.multiwebsocket.testing.WsClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiwebsocket.testing.Json.notification;
import static org.multiwebsocket.testing.Json.request;
import static org.multiwebsocket.testing.Latches.keyParams;

/** The gateway socket against PROTOCOL.md sections 2 to 5, on a real Payara Micro. */
class GatewayIT extends GatewayDeployment {

    private static int code(JsonObject response) {
        return response.getJsonObject("error").getInt("code");
    }

    private static String str(JsonValue value) {
        return ((jakarta.json.JsonString) value).getString();
    }

    /** The frame as the answer to the request with that id, failing with the message when it is anything else. */
    private static JsonObject answerTo(String id, String frame, String message) {
        JsonValue value = Json.parse(frame);
        assertTrue(value instanceof JsonObject answer && id.equals(answer.getString("id", null)), message + frame);
        return value.asJsonObject();
    }

    /** What the test/latch calls did, asked over HTTP so no socket under test sees the question. */
    private Latches latches() {
        return new Latches(uri("api/rpc"));
    }

    @Test
    void theFramePathHoldsItsBeansRatherThanTheirClientProxies() throws Exception {
        JsonObject internals = rpc(request(1, "test/internals", "{}")).getJsonObject("result");
        assertEquals(0, internals.getInt("frameBeansBehindProxies"), "beans of the frame path reached through a client proxy: " + internals);
    }

    @Test
    void payarasJsonProcessingTakesTheGatewaysPerThreadBuffers() throws Exception {
        JsonObject internals = rpc(request(1, "test/internals", "{}")).getJsonObject("result");
        assertEquals(1, internals.getInt("jsonBuffersPerThread"), "Parsson's BufferPool API is not visible to the application");
    }

    @Test
    void helloworldGreetsByNameOverTheSocket() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            assertEquals("multiwebsocket.v1", ws.subprotocol());
            JsonObject response = ws.call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"/helloworld/\",\"params\":{\"name\":\"Ada\"}}");
            assertEquals("2.0", response.getString("jsonrpc"));
            assertEquals(1, response.getInt("id"));
            assertEquals("Hello, Ada!", response.getJsonObject("result").getString("greeting"));
            assertEquals("websocket", response.getJsonObject("result").getString("transport"));
        }
    }

    @Test
    void clientsOfferingNoOrOnlyUnknownSubprotocolsAreServedWithNoneSelected() throws Exception {
        for (List<String> offered : List.of(List.<String>of(), List.of("graphql-ws", "mqtt"))) {
            try (WsClient ws = WsClient.connect(gatewayUri(), offered)) {
                assertEquals("", ws.subprotocol() == null ? "" : ws.subprotocol());
                assertEquals("pong", str(ws.call(request(1, "rpc.ping", null)).get("result")));
            }
        }
    }

    @Test
    void serviceNamesAreAcceptedWithOrWithoutSlashes() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            for (String name : List.of("/helloworld/", "/helloworld", "helloworld", "helloworld/")) {
                JsonObject response = ws.call(request(name, name, null));
                assertEquals("Hello, World!", response.getJsonObject("result").getString("greeting"), name);
            }
        }
    }

    private static List<String> autocompleted(WsClient ws, String query, int limit) throws Exception {
        return ws.call(request(2, "autocomplete", "{\"query\":\"" + query + "\",\"limit\":" + limit + "}"))
                .getJsonObject("result").getJsonArray("completions").getValuesAs(jakarta.json.JsonString::getString);
    }

    @Test
    void autocompleteAnswersSortedCaseInsensitivePrefixMatchesUpToTheLimit() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            List<String> words = autocompleted(ws, "BAT", 100);
            assertFalse(words.isEmpty());
            assertTrue(words.stream().allMatch(w -> w.startsWith("bat")), words.toString());
            assertEquals(words.stream().sorted().toList(), words);
            assertEquals(words.subList(0, 2), autocompleted(ws, "bat", 2));
            assertEquals(List.of(), autocompleted(ws, "qqqzzz", 5));
        }
    }

    @Test
    void aFrameThatIsNotJsonIsAParseErrorWithNullId() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            for (String frame : List.of("{\"jsonrpc\":\"2.0\",\"method\"", "hello", "[1,2", "")) {
                JsonObject response = ws.call(frame);
                assertEquals(-32700, code(response), frame);
                assertEquals(JsonValue.NULL, response.get("id"));
            }
        }
    }

    @Test
    void malformedRequestsAreInvalidRequest() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            Map<String, JsonValue> cases = new HashMap<>();
            cases.put("{\"id\":1,\"method\":\"helloworld\"}", Json.parse("1"));
            cases.put("{\"jsonrpc\":\"1.0\",\"id\":2,\"method\":\"helloworld\"}", Json.parse("2"));
            cases.put("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":42}", Json.parse("3"));
            cases.put("{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"helloworld\"}", JsonValue.NULL);
            cases.put("{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"helloworld\"}", JsonValue.NULL);
            cases.put("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"helloworld\"}", JsonValue.NULL);
            cases.put("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"helloworld\",\"params\":\"Ada\"}", Json.parse("4"));
            cases.put("42", JsonValue.NULL);
            cases.put("\"just a string\"", JsonValue.NULL);
            for (Map.Entry<String, JsonValue> c : cases.entrySet()) {
                JsonObject response = ws.call(c.getKey());
                assertEquals(-32600, code(response), c.getKey());
                assertEquals("Invalid Request", response.getJsonObject("error").getString("message"));
                assertEquals(c.getValue(), response.get("id"), c.getKey());
                assertTrue(response.getJsonObject("error").getJsonObject("data").containsKey("reason"));
            }
        }
    }

    @Test
    void unknownServiceIsMethodNotFound() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            JsonObject response = ws.call(request(7, "/nosuchservice/", "{}"));
            assertEquals(-32601, code(response));
            assertEquals(7, response.getInt("id"));
            assertEquals("/nosuchservice/", response.getJsonObject("error").getJsonObject("data").getString("method"));
            assertEquals(-32601, code(ws.call(request(8, "rpc.nosuchbuiltin", null))));
        }
    }

    @Test
    void paramsThatCannotBeBoundAreInvalidParams() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            JsonObject wrongShape = ws.call(request(1, "autocomplete", "[\"bat\"]"));
            assertEquals(-32602, code(wrongShape));
            assertTrue(wrongShape.getJsonObject("error").getJsonObject("data").getString("reason").contains("object"));
            JsonObject wrongType = ws.call(request(2, "autocomplete", "{\"query\":\"bat\",\"limit\":\"many\"}"));
            assertEquals(-32602, code(wrongType));
            assertFalse(wrongType.toString().contains("org.multiwebsocket"), wrongType.toString());
            JsonObject wrongArray = ws.call(request(3, "test/sum", "{\"a\":1}"));
            assertEquals(-32602, code(wrongArray));
            assertEquals(6, ws.call(request(4, "test/sum", "[1,2,3]")).getInt("result"));
        }
    }

    @Test
    void constraintViolationsAreInvalidParamsListingEveryViolation() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            JsonObject response = ws.call(request(1, "test/validated",
                    "{\"name\":\" \",\"email\":\"not-an-address\",\"age\":-3}"));
            assertEquals(-32602, code(response));
            JsonArray violations = response.getJsonObject("error").getJsonObject("data").getJsonArray("violations");
            Set<String> paths = violations.stream().map(v -> v.asJsonObject().getString("path")).collect(Collectors.toSet());
            assertEquals(Set.of("params.name", "params.email", "params.age"), paths);
            violations.forEach(v -> assertFalse(v.asJsonObject().getString("message").isBlank()));

            JsonObject missing = ws.call(request(2, "test/validated", null));
            assertEquals(-32602, code(missing));

            JsonObject tooShort = ws.call(request(3, "autocomplete", "{\"query\":\"\"}"));
            assertEquals("params.query", tooShort.getJsonObject("error").getJsonObject("data")
                    .getJsonArray("violations").getJsonObject(0).getString("path"));

            assertEquals("welcome Ada", str(ws.call(request(4, "test/validated",
                    "{\"name\":\"Ada\",\"email\":\"ada@example.org\",\"age\":36}")).get("result")));
        }
    }

    @Test
    void aServiceExceptionReachesTheCallerAsThrown() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            for (String params : List.of("{\"async\":false}", "{\"async\":true}")) {
                JsonObject error = ws.call(request(1, "test/fail", params)).getJsonObject("error");
                assertEquals(404, error.getInt("code"), params);
                assertEquals("no such thing", error.getString("message"));
                assertEquals("unicorn", error.getJsonObject("data").getString("thing"));
            }
        }
    }

    @Test
    void anUnexpectedFailureIsAnInternalErrorThatLeaksNothing() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            String frame = ws.call(request(1, "test/boom", null)).toString();
            JsonObject error = Json.object(frame).getJsonObject("error");
            assertEquals(-32603, error.getInt("code"));
            assertEquals("Internal error", error.getString("message"));
            assertFalse(error.getJsonObject("data").getString("errorId").isBlank());
            assertFalse(frame.contains("SECRET"), frame);
            assertFalse(frame.contains("IllegalStateException"), frame);
            assertFalse(frame.contains("org."), frame);
        }
    }

    @Test
    void aCallPastItsDeadlineIsTimeoutAndItsHandlerIsInterrupted() throws Exception {
        Latches latches = latches();
        String slow = Latches.key("past-deadline");
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            ws.send(request("slow", "test/latch", Latches.params(slow, 20_000)));
            ws.send(request("never", "test/later", "{\"never\":true}"));
            ws.send(request("inTime", "test/sleep", "{\"ms\":1000,\"value\":\"in time\"}"));
            Map<String, JsonObject> answers = new HashMap<>();
            for (int i = 0; i < 3; i++) {
                // The deadline is 3 s (arquillian.xml): a gateway that never enforces it fails this bounded read.
                JsonObject response = Json.object(ws.nextText(10_000));
                answers.put(response.getString("id"), response);
            }
            assertEquals("in time", answers.get("inTime").getJsonObject("result").getString("value"),
                    "a call well within its deadline was cut short: " + answers.get("inTime"));
            assertEquals(-32003, code(answers.get("slow")), answers.get("slow").toString());
            assertEquals(-32003, code(answers.get("never")), answers.get("never").toString());
            latches.awaitInterrupted(slow, Latches.WAIT);
            assertEquals(0, latches.finished(slow), "the handler ran on after its deadline");
        }
    }

    @Test
    void callsBeyondMaxInFlightAreOverloadedWithARetryHint() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            int sent = 300;
            for (int i = 0; i < sent; i++) {
                ws.send(request(i, "test/later", "{\"ms\":1000,\"value\":\"v\"}"));
            }
            int overloaded = 0;
            int answered = 0;
            for (int i = 0; i < sent; i++) {
                JsonObject response = Json.object(ws.nextText(10_000));
                if (response.containsKey("error")) {
                    assertEquals(-32004, code(response));
                    assertTrue(response.getJsonObject("error").getJsonObject("data").getInt("retryAfterMs") > 0);
                    overloaded++;
                } else {
                    answered++;
                }
            }
            assertEquals(256, answered);
            assertEquals(sent - 256, overloaded);
            assertEquals("pong", str(ws.call(request("after", "rpc.ping", null)).get("result")));
        }
    }

    @Test
    void anEmptyBatchIsOneInvalidRequest() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            JsonObject response = ws.call("[]");
            assertEquals(-32600, code(response));
            assertEquals(JsonValue.NULL, response.get("id"));
        }
    }

    @Test
    void aBatchOfInvalidElementsAnswersEachOne() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            ws.send("[1,2,3]");
            JsonArray responses = ws.next().asJsonArray();
            assertEquals(3, responses.size());
            responses.forEach(r -> assertEquals(-32600, code(r.asJsonObject())));
        }
    }

    @Test
    void aMixedBatchAnswersEveryRequestAndNoNotification() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            ws.send("[" + String.join(",",
                    request(1, "helloworld", "{\"name\":\"A\"}"),
                    notification("helloworld", null),
                    request("two", "test/sleep", "{\"ms\":200,\"value\":\"slow\"}"),
                    request(3, "nosuch", null),
                    "{\"foo\":\"boo\"}",
                    request(4, "rpc.ping", null)) + "]");
            JsonArray responses = ws.next().asJsonArray();
            assertEquals(5, responses.size());
            Map<String, JsonObject> byId = new HashMap<>();
            responses.forEach(r -> byId.put(r.asJsonObject().get("id").toString(), r.asJsonObject()));
            assertEquals("Hello, A!", byId.get("1").getJsonObject("result").getString("greeting"));
            assertEquals("slow", byId.get("\"two\"").getJsonObject("result").getString("value"));
            assertEquals(-32601, code(byId.get("3")));
            assertEquals(-32600, code(byId.get("null")));
            assertEquals("pong", str(byId.get("4").get("result")));
        }
    }

    /**
     * Reading one frame right after some notifications proves nothing: a wrong answer may come from a
     * worker later. So the test waits until the notification's handler has returned (it is observed
     * over HTTP), and only then asks on the same socket: any answer to the notifications would be
     * written before the answer to that question.
     */
    @Test
    void aBatchOfNotificationsGetsNoAnswer() throws Exception {
        Latches latches = latches();
        String ran = Latches.key("batch-of-notifications");
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            ws.send("[" + String.join(",", notification("test/latch", Latches.params(ran, 0)),
                    notification("helloworld", null), notification("nosuch", null)) + "]");
            latches.awaitFinished(ran);
            String next = ws.nextTextAfter(request("after", "test/latch/state", keyParams(ran)));
            JsonObject answer = answerTo("after", next, "the notifications were answered: ");
            assertEquals(1, answer.getJsonObject("result").getInt("finished"), next);
        }
    }

    @Test
    void aNotificationGetsNoAnswerWhetherItsHandlerReturnsOrRunsPastItsDeadline() throws Exception {
        Latches latches = latches();
        String returns = Latches.key("notification-returns");
        String overruns = Latches.key("notification-overruns");
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            ws.send(notification("test/latch", Latches.params(returns, 0)));
            ws.send(notification("test/latch", Latches.params(overruns, 20_000)));
            ws.send(notification("helloworld", "{\"name\":\"x\"}"));
            ws.send(notification("nosuch", null));
            latches.awaitFinished(returns);
            // The 3 s deadline stops the second one: had it been answered (-32003), that answer came first.
            latches.awaitInterrupted(overruns, Duration.ofSeconds(10));
            String next = ws.nextTextAfter(request("after", "test/latch/state", keyParams(returns)));
            JsonObject answer = answerTo("after", next, "a notification was answered: ");
            assertEquals(1, answer.getJsonObject("result").getInt("finished"), next);
        }
    }

    @Test
    void aBatchLargerThanMaxBatchIsOneInvalidRequest() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            String batch = IntStream.range(0, 101).mapToObj(i -> request(i, "rpc.ping", null))
                    .collect(Collectors.joining(",", "[", "]"));
            JsonObject response = ws.call(batch);
            assertEquals(-32600, code(response));
            assertTrue(response.getJsonObject("error").getJsonObject("data").getString("reason").contains("maxBatch"));
            String full = IntStream.range(0, 100).mapToObj(i -> request(i, "rpc.ping", null))
                    .collect(Collectors.joining(",", "[", "]"));
            ws.send(full);
            assertEquals(100, ws.next().asJsonArray().size());
        }
    }

    @Test
    void idsComeBackExactlyAsSent() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            for (String id : List.of("\"abc\"", "0", "-12", "1.5", "123456789012345678901234567890", "\"\"")) {
                String frame = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"rpc.ping\"}";
                String raw = ws.nextTextAfter(frame);
                assertTrue(raw.contains("\"id\":" + id + ","), raw);
            }
        }
    }

    @Test
    void aSecondCallWithAnIdStillInFlightIsRejected() throws Exception {
        Latches latches = latches();
        String first = Latches.key("duplicate-id");
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            ws.send(request("dup", "test/latch", Latches.params(first, 20_000)));
            ws.send(request("dup", "test/sleep", "{\"ms\":0,\"value\":\"second\"}"));
            JsonObject rejected = ws.nextObject();
            assertEquals(-32600, code(rejected), rejected.toString());
            assertEquals(0, latches.finished(first), "the first call was no longer in flight");
            latches.open(first);
            assertEquals("opened", str(ws.nextObject().get("result")));
        }
    }

    @Test
    void twoHundredConcurrentCallsAreAllAnsweredAndCorrelated() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            Random random = new Random(42);
            Map<Integer, String> expected = new HashMap<>();
            for (int i = 0; i < 200; i++) {
                int ms = random.nextInt(51);
                expected.put(i, "value-" + i);
                ws.send(request(i, "test/sleep", "{\"ms\":" + ms + ",\"value\":\"value-" + i + "\"}"));
            }
            Map<Integer, String> answered = new HashMap<>();
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                JsonObject response = Json.object(ws.nextText(10_000));
                int id = response.getInt("id");
                assertTrue(response.containsKey("result"), "call " + id + " failed: " + response);
                assertNull(answered.put(id, response.getJsonObject("result").getString("value")), "answered twice: " + id);
                order.add(id);
            }
            assertEquals(expected, answered);
            // Calls that sleep 0 to 50 ms at random come back in request order only if they ran one after another.
            assertFalse(order.equals(IntStream.range(0, 200).boxed().toList()),
                    "answers came back in request order: the calls ran one after another");
        }
    }

    /**
     * The slow call waits until the test lets it go, which the test does only once every fast call is
     * answered: fast calls queued behind it would never be answered (each read is bounded), and a slow
     * call that had to give up first would answer -32003 instead of "opened".
     */
    @Test
    void aSlowCallDelaysNeitherFastCallsNorPing() throws Exception {
        Latches latches = latches();
        String slow = Latches.key("slow-call");
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            ws.send(request("slow", "test/latch", Latches.params(slow, 20_000)));
            latches.awaitStarted(slow);
            ws.send(request("ping", "rpc.ping", null));
            for (int i = 0; i < 20; i++) {
                ws.send(request(i, "helloworld", null));
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 21; i++) {
                seen.add(ws.nextObject().get("id").toString());
            }
            assertFalse(seen.contains("\"slow\""), "the slow call answered before the fast ones");
            assertEquals(21, seen.size(), seen.toString());
            assertEquals(0, latches.finished(slow), "the slow call was not running while the fast ones were answered");
            latches.open(slow);
            JsonObject answer = ws.nextObject();
            assertEquals("slow", answer.getString("id"), answer.toString());
            assertEquals("opened", str(answer.get("result")), answer.toString());
        }
    }

    @Test
    void rpcCancelAnswersCancelledAtOnceAndInterruptsTheHandler() throws Exception {
        Latches latches = latches();
        String key = Latches.key("cancelled");
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            ws.send(request(99, "test/latch", Latches.params(key, 20_000)));
            latches.awaitStarted(key); // the handler is waiting, so the interrupt lands inside it
            ws.send(notification("rpc.cancel", "{\"id\":99}"));
            // At once: before the call's own 3 s deadline, which would have answered -32003 instead.
            JsonObject cancelled = ws.nextObject();
            assertEquals(99, cancelled.getInt("id"));
            assertEquals(-32005, code(cancelled), cancelled.toString());
            latches.awaitInterrupted(key, Latches.WAIT);
            assertEquals(0, latches.finished(key), "the cancelled handler ran to its end");
            // The handler has returned: an answer of its own would come before this one.
            answerTo("after", ws.nextTextAfter(request("after", "rpc.ping", null)), "the cancelled call was answered twice: ");
        }
    }

    @Test
    void rpcCancelOfAnUnknownIdChangesNothing() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            ws.send(notification("rpc.cancel", "{\"id\":\"nobody\"}"));
            assertEquals(JsonValue.FALSE, ws.call(request(1, "rpc.cancel", "{\"id\":\"nobody\"}")).get("result"));
            assertEquals(-32602, code(ws.call(request(2, "rpc.cancel", "{\"call\":1}"))));
        }
    }

    @Test
    void rpcDiscoverAnswersTheDiscoveryDocument() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            JsonObject document = ws.call(request(1, "rpc.discover", null)).getJsonObject("result");
            assertEquals("multiwebsocket.v1", document.getString("protocol"));
            assertEquals(gatewayUri().toString(), document.getString("gateway"));
            assertTrue(document.getJsonObject("services").containsKey("helloworld"));
            assertEquals(100, document.getJsonObject("limits").getInt("maxBatch"));
        }
    }

    @Test
    void handlersSeeTheirCallAndGetARequestContext() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            JsonObject echo = ws.call(request("e1", "/test/echo/", "{\"x\":[1,2]}")).getJsonObject("result");
            assertEquals(Json.parse("{\"x\":[1,2]}"), echo.get("params"));
            assertEquals("e1", echo.getString("id"));
            assertEquals("test/echo", echo.getString("service"));
            assertEquals("websocket", echo.getString("transport"));
            assertTrue(echo.getBoolean("hasDeadline"));
            int first = ((JsonNumber) ws.call(request(1, "test/scoped", null)).get("result")).intValue();
            int second = ((JsonNumber) ws.call(request(2, "test/scoped", null)).get("result")).intValue();
            assertTrue(second != first, "the request-scoped bean was shared between calls");
        }
    }

    @Test
    void aBinaryFrameClosesTheConnectionWith1003() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            ws.sendBinary(new byte[]{1, 2, 3});
            CloseReason reason = ws.awaitClose(5_000);
            assertEquals(1003, reason.getCloseCode().getCode());
            assertEquals("binary frames are not accepted; send JSON-RPC as text", reason.getReasonPhrase());
        }
    }

    @Test
    void aFrameOverMaxMessageBytesClosesTheConnectionWith1009() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            String big = request(1, "test/echo", "{\"blob\":\"" + "x".repeat(70_000) + "\"}");
            try {
                ws.send(big);
            } catch (IOException | RuntimeException closedMidSend) {
                // the gateway may close at the frame's head, before the client has written all of it
            }
            CloseReason reason = ws.awaitClose(5_000);
            assertEquals(1009, reason.getCloseCode().getCode());
        }
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            assertEquals("pong", str(ws.call(request(1, "rpc.ping", null)).get("result")), "the gateway still serves");
        }
    }

    @Test
    void theGatewayPingsAndClosesAConnectionThatNeverAnswers() throws Exception {
        try (RawWebSocket raw = new RawWebSocket(gatewayUri(), Map.of("Sec-WebSocket-Protocol", "multiwebsocket.v1"));
             WsClient healthy = WsClient.connect(gatewayUri())) {
            assertEquals(101, raw.status(), raw.handshakeResponse());
            raw.answeringPings(false);
            int pings = 0;
            RawWebSocket.Frame frame;
            do {
                frame = raw.read(8_000);
                if (frame.opcode() == RawWebSocket.PING) {
                    pings++;
                    // It closes a connection that answered none of its last two pings: one more ping may
                    // go out before the check, an endless series may not (this bounds the loop, too).
                    assertTrue(pings <= 3, "still pinging after " + (pings - 1) + " unanswered pings, not closed");
                }
            } while (frame.opcode() != RawWebSocket.CLOSE);
            assertTrue(pings >= 2, "pings before the close: " + pings);
            assertEquals(1001, frame.closeCode());
            assertTrue(healthy.isOpen(), "a client that answers pings was closed too");
            assertEquals("pong", str(healthy.call(request(1, "rpc.ping", null)).get("result")));
        }
    }

    @Test
    void invalidUtf8InATextFrameClosesThatConnectionOnly() throws Exception {
        try (RawWebSocket raw = new RawWebSocket(gatewayUri(), Map.of())) {
            raw.send(RawWebSocket.TEXT, new byte[]{'{', (byte) 0xC3, (byte) 0x28, '}'});
            RawWebSocket.Frame frame;
            do {
                frame = raw.read(5_000);
            } while (frame.opcode() != RawWebSocket.CLOSE);
            assertEquals(1007, frame.closeCode(), new String(frame.payload(), StandardCharsets.UTF_8));
        }
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            assertNotNull(ws.call(request(1, "rpc.ping", null)).get("result"));
        }
    }
}
